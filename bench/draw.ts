import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { assignInspectors, type Conflict, type Inspector } from "../src/core/sampling/assign.ts";
import { drawPool } from "../src/core/sampling/draw.ts";
import {
  type PoolEntry,
  parsePoolFile,
  poolDigest,
  poolFileBytes,
  STRATA,
} from "../src/core/sampling/pool-file.ts";
import { generateSubjects } from "../src/demo/generate.ts";
import { samplingPolicyAt } from "../src/policy/sampling.ts";
import { machine, measure } from "./measure.ts";

/**
 * Draw benchmark (issue 5: a stratified draw over a 1,500,000-subject pool, inspectors assigned, in ≤ 3 s).
 * The pool: the demo city's subjects (generateSubjects, natural persons left out) with strata spread like the
 * demo's grades (A 15 %, B 44 %, C 28 %, D 8 %, E 2.5 %, NR 2 %); 300 inspectors of one department, 2 % of the
 * drawn subjects with a declared conflict (one or two inspectors each). Ratios, caps and inspectors per subject:
 * the policy defaults (policy/supervision/sampling.yaml).
 *
 * Measured in a child process of its own (so that its peak RSS is the draw's, not the generator's): reading and
 * parsing the pool file, the draw, the assignment. Also: writing the pool file and its digest; a full ranking of
 * every inspector for every subject (the plain reading of the issue) on a sample, extrapolated; and, end to end,
 * `credit draw verify` and its peer, the Python reference verifier (docs/verify_draw.py), whose outputs must
 * be identical. Options: --subjects N (1500000), --inspectors N (300), --seed S, --keep (keep the pool file).
 */
export async function run(args: string[]): Promise<void> {
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  const subjects = Number(opt("subjects", "1500000"));
  const inspectorCount = Number(opt("inspectors", "300"));
  const seed = opt("seed", "上证指数 2026-12-07 收盘 3421.07");
  const today = "2026-12-07";
  const policy = samplingPolicyAt(today);
  const ratios = policy.ratioBp;
  const ratioText = STRATA.map((s) => `${s}=${ratios[s]}`).join(",");
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), "credit-bench-draw-"));
  const poolFile = path.join(dir, "pool.csv");
  const caseFile = path.join(dir, "case.json");
  const lines: string[] = [];
  const row = (what: string, wall: number, cpu: number | null, peak: string, note = "") => {
    const line = `| ${what} | ${wall.toFixed(2)} | ${cpu === null ? "–" : cpu.toFixed(2)} | ${peak} | ${note} |`;
    lines.push(line);
    console.error(line);
  };

  try {
    const load = os.loadavg()[0]!;
    console.error(`generating ${subjects.toLocaleString("en")} subjects…`);
    const entries = pool(subjects);
    const inspectors: Inspector[] = Array.from({ length: inspectorCount }, (_, i) => ({
      id: `SCJG-${String(i + 1).padStart(4, "0")}`,
      department: "SCJG",
      qualifications: i % 10 === 9 ? ["fire"] : ["food", "fire"],
    }));

    let t = performance.now();
    let u = process.cpuUsage();
    const bytes = poolFileBytes(entries);
    const digest = poolDigest(bytes);
    row(
      "pool file: poolFileBytes + poolDigest (entries in code order, as selectPool gives them)",
      (performance.now() - t) / 1000,
      cpuSince(u),
      "–",
      `${(bytes.length / 2 ** 20).toFixed(1)} MiB, digest ${digest.slice(0, 12)}…`,
    );
    fs.writeFileSync(poolFile, bytes);
    const reversed = [...entries].reverse();
    t = performance.now();
    u = process.cpuUsage();
    poolFileBytes(reversed);
    row(
      "pool file from entries in reverse order (sorted first)",
      (performance.now() - t) / 1000,
      cpuSince(u),
      "–",
    );

    // Conflicts: 2 % of the subjects this seed draws, one or two inspectors each.
    const drawnCodes = drawPool(entries, seed, ratios).drawn.map((d) => d.code);
    const conflicts: Conflict[] = [];
    drawnCodes.forEach((code, i) => {
      if (i % 50 !== 0) return;
      conflicts.push({ inspectorId: inspectors[i % inspectorCount]!.id, subjectCode: code });
      if (i % 100 === 0)
        conflicts.push({ inspectorId: inspectors[(i * 7) % inspectorCount]!.id, subjectCode: code });
    });
    fs.writeFileSync(
      caseFile,
      JSON.stringify({ seed, ratios, inspectors, conflicts, perSubject: policy.minInspectorsPerSubject }),
    );

    // The draw and the assignment in a process of their own.
    const self = fileURLToPath(import.meta.url);
    const child = await measure(process.execPath, ["--import", "tsx", self, "--child", poolFile, caseFile]);
    if (child.code !== 0) throw new Error(`draw child failed: ${child.stderr}`);
    const c = JSON.parse(child.stdout) as ChildResult;
    row("read + parsePoolFile (strict)", c.parse, c.parseCpu, "–", `${c.pool.toLocaleString("en")} subjects`);
    row(
      "drawPool",
      c.draw,
      c.drawCpu,
      "–",
      `${c.drawn.toLocaleString("en")} drawn: ${Object.entries(c.perStratum)
        .map(([s, x]) => `${s} ${x.drawn.toLocaleString("en")}/${x.pool.toLocaleString("en")}`)
        .join(", ")}`,
    );
    row(
      `assignInspectors (${inspectorCount} inspectors, ${policy.minInspectorsPerSubject} per subject)`,
      c.assign,
      c.assignCpu,
      "–",
      `${c.eligible} eligible, ${conflicts.length.toLocaleString("en")} conflicts; cap ${c.cap}, loads ${c.minLoad}–${c.maxLoad}; ${c.unassigned} unassigned`,
    );
    row(
      "**draw + assignment** (target ≤ 3 s)",
      c.draw + c.assign,
      c.drawCpu + c.assignCpu,
      String(child.peakRssMb),
      "peak RSS of the whole process (pool file, entries, draw, assignment)",
    );

    // The full ranking, on a sample of subjects.
    const sample = drawnCodes.slice(0, 5000);
    const eligible = inspectors.filter((x) => x.qualifications.includes("food"));
    t = performance.now();
    u = process.cpuUsage();
    for (const code of sample) {
      const ranked = eligible.map((x) => crypto.hash("sha256", `${seed}:${code}:${x.id}`)).sort();
      if (ranked.length === 0) throw new Error("no inspectors");
    }
    const scale = drawnCodes.length / sample.length;
    const full = ((performance.now() - t) / 1000) * scale;
    row(
      "alternative: rank every inspector for every subject (5,000-subject sample, extrapolated)",
      full,
      cpuSince(u) * scale,
      "–",
      `${(drawnCodes.length * eligible.length).toLocaleString("en")} hashes; ${(full / c.assign).toFixed(0)}× the window`,
    );

    // End to end: the CLI and the Python reference, same file, same output.
    const verifyArgs = ["--pool", poolFile, "--seed", seed, "--ratios", ratioText];
    const cli = await measure(process.execPath, [
      path.resolve("bin/credit.js"),
      "draw",
      "verify",
      ...verifyArgs,
    ]);
    if (cli.code !== 0) throw new Error(`credit draw verify failed: ${cli.stderr}`);
    row(
      "`credit draw verify` (whole command: start-up, read, parse, draw, print)",
      cli.seconds,
      null,
      String(cli.peakRssMb),
    );
    const py = await measure("python3", [path.resolve("docs/verify_draw.py"), ...verifyArgs]);
    if (py.code !== 0) throw new Error(`docs/verify_draw.py failed: ${py.stderr}`);
    const same = py.stdout === cli.stdout;
    row(
      "peer: `python3 docs/verify_draw.py` (reference verifier, standard library)",
      py.seconds,
      null,
      String(py.peakRssMb),
      same
        ? `output identical to the CLI's (${cli.stdout.length.toLocaleString("en")} bytes)`
        : "**OUTPUT DIFFERS**",
    );
    if (!same) throw new Error("the Python reference verifier and credit draw verify disagree");

    console.log(`\n### draw — ${machine()}\n`);
    console.log(
      `Pool: ${c.pool.toLocaleString("en")} subjects (demo city generator, seed quanzhou), ratios ${ratioText}, seed "${seed}"; load average at start ${load.toFixed(1)}, at the end ${os.loadavg()[0]!.toFixed(1)}.\n`,
    );
    console.log("| what | wall s | CPU s | peak RSS MB | notes |\n|---|---:|---:|---:|---|");
    for (const l of lines) console.log(l);
    console.log(
      `\nRatio: Python reference / credit draw verify = ${(py.seconds / cli.seconds).toFixed(2)}; draw + assignment ${(c.draw + c.assign).toFixed(2)} s wall of the 3 s target.`,
    );
  } finally {
    if (!args.includes("--keep")) fs.rmSync(dir, { recursive: true, force: true });
    else console.error(`kept ${dir}`);
  }
}

/** The pool: generated subjects (no natural persons), strata from a hash of the code with the demo's spread. */
function pool(n: number): PoolEntry[] {
  const spread: [string, number][] = [
    ["A", 1500],
    ["B", 4400],
    ["C", 2800],
    ["D", 800],
    ["E", 250],
    ["NR", 200],
  ];
  const total = spread.reduce((s, [, w]) => s + w, 0);
  const entries: PoolEntry[] = [];
  for (const chunk of generateSubjects(Math.ceil(n * 1.06), "quanzhou", { today: "2026-12-07" })) {
    for (const s of chunk) {
      if (s.type === "natural_person" || entries.length >= n) continue;
      let r = crypto.hash("sha256", `stratum:${s.code}`, "buffer").readUInt32BE(0) % total;
      let stratum = "NR";
      for (const [g, w] of spread) {
        if (r < w) {
          stratum = g;
          break;
        }
        r -= w;
      }
      entries.push({ code: s.code, stratum });
    }
    if (entries.length >= n) break;
  }
  // In code order, each code a flat string of its own, allocated in that order: as rows read from the store.
  return entries
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((e) => ({ code: Buffer.from(e.code, "latin1").toString("latin1"), stratum: e.stratum }));
}

const cpuSince = (u: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(u);
  return (d.user + d.system) / 1e6;
};

interface ChildResult {
  pool: number;
  parse: number;
  parseCpu: number;
  draw: number;
  drawCpu: number;
  assign: number;
  assignCpu: number;
  eligible: number;
  drawn: number;
  perStratum: Record<string, { pool: number; drawn: number }>;
  cap: number;
  minLoad: number;
  maxLoad: number;
  unassigned: number;
}

/** The measured part, in its own process: parse the file, draw, assign; timings as JSON on stdout. */
function child(poolFile: string, caseFile: string): void {
  const c = JSON.parse(fs.readFileSync(caseFile, "utf8")) as {
    seed: string;
    ratios: Record<string, number>;
    inspectors: Inspector[];
    conflicts: Conflict[];
    perSubject: number;
  };
  let t = performance.now();
  let u = process.cpuUsage();
  const entries = parsePoolFile(fs.readFileSync(poolFile));
  const parse = (performance.now() - t) / 1000;
  const parseCpu = cpuSince(u);
  t = performance.now();
  u = process.cpuUsage();
  const r = drawPool(entries, c.seed, c.ratios);
  const draw = (performance.now() - t) / 1000;
  const drawCpu = cpuSince(u);
  t = performance.now();
  u = process.cpuUsage();
  const a = assignInspectors(r.drawn, c.inspectors, c.conflicts, c.seed, {
    perSubject: c.perSubject,
    requiredQualifications: ["food"],
    department: "SCJG",
  });
  const assign = (performance.now() - t) / 1000;
  const assignCpu = cpuSince(u);
  const loads = Object.values(a.load);
  const out: ChildResult = {
    pool: entries.length,
    parse,
    parseCpu,
    draw,
    drawCpu,
    assign,
    assignCpu,
    eligible: loads.length,
    drawn: r.drawn.length,
    perStratum: r.perStratum,
    cap: a.cap,
    minLoad: Math.min(...loads),
    maxLoad: Math.max(...loads),
    unassigned: a.unassigned.length,
  };
  process.stdout.write(JSON.stringify(out));
}

if (
  process.argv[2] === "--child" &&
  process.argv[1] &&
  fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
)
  child(process.argv[3]!, process.argv[4]!);
