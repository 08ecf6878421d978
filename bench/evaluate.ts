import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Engine } from "json-rules-engine";
import { valueAt } from "../src/core/scoring/dated.ts";
import { lastDayAged } from "../src/core/scoring/dates.ts";
import type { CompiledModel, EvalInput, RecordFact } from "../src/core/scoring/index.ts";
import type { IndicatorDef } from "../src/core/scoring/schema.ts";
import { loadDemo } from "../src/demo/load.ts";
import { catalog } from "../src/policy/load.ts";
import { chinaToday, ingest } from "../src/services/collect/ingest.ts";
import { reevaluateBatch } from "../src/services/evaluate/after-ingest.ts";
import { FieldProjector, fieldsRead } from "../src/services/evaluate/fields.ts";
import { modelSet } from "../src/services/evaluate/models.ts";
import { MAX_CODE, SqliteReader } from "../src/services/evaluate/sqlite-read.ts";
import { openStore } from "../src/store/db.ts";
import { migrate } from "../src/store/migrations/index.ts";
import { machine, measure } from "./measure.ts";

/**
 * Evaluation benchmark: the demo city (default 1,500,000 subjects, about 15,000,000 records) in SQLite,
 * evaluated in full by `credit evaluate` with the public model and the three industry models — cold (no
 * stored results) and warm (nothing changed) — against two peers: the public model's record indicators as
 * json-rules-engine rules (on a sample, extrapolated) and its deductions as one hand-written SQL aggregate;
 * then the incremental path: one record through ingest and reevaluateBatch, timed to the stored grade.
 * The city is built once with loadDemo and kept (BENCH_DIR or the temp folder, keyed by size and seed).
 * Options: --subjects N (default 1500000), --seed S, --sample N (rules sample, default 20000),
 * --incremental N (default 1000).
 */
export async function run(args: string[]): Promise<void> {
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  const subjects = Number(opt("subjects", "1500000"));
  const seed = opt("seed", "quanzhou");
  const sampleSize = Number(opt("sample", "20000"));
  const incremental = Number(opt("incremental", "1000"));
  const c = await city(subjects, seed);
  const asOf = c.today;
  const lines: string[] = [];
  const row = (what: string, seconds: number, peak: string, note = "") => {
    const line = `| ${what} | ${seconds.toFixed(1)} | ${peak} | ${note} |`;
    lines.push(line);
    console.error(line);
  };

  // Full runs, each a `credit evaluate` process (worker threads included in its peak RSS).
  const store = openStore({ url: c.file });
  await migrate(store);
  store.sqlite!.exec("DELETE FROM evaluations; DELETE FROM evaluation_runs;");
  store.sqlite!.pragma("wal_checkpoint(TRUNCATE)");
  await store.close();
  const bin = path.resolve("bin/credit.js");
  const full = async (what: string) => {
    const cpu = cpuOfChildren();
    const m = await measure(process.execPath, [bin, "evaluate", "--json", "--as-of", asOf], {
      DATABASE_URL: c.file,
    });
    if (m.code !== 0) throw new Error(`credit evaluate failed: ${m.stderr}\n${m.stdout}`);
    const r = JSON.parse(m.stdout) as { subjects: number; changed: number; seconds: number };
    row(
      `credit evaluate, ${what}`,
      m.seconds,
      String(m.peakRssMb),
      `${r.subjects.toLocaleString("en")} subjects, ${r.changed.toLocaleString("en")} results stored; run ${r.seconds.toFixed(1)} s; CPU ${cpu().toFixed(1)} s (all threads)`,
    );
    return m.seconds;
  };
  const cold = await full("cold (no stored results)");
  const warm = await full("warm (nothing changed)");

  // Peers, in this process.
  const p = await peers(c.file, asOf, sampleSize, c.subjects);
  row(
    `our engine, public model only, ${p.sample.toLocaleString("en")}-subject sample (inputs in memory, best of 3)`,
    p.ours,
    "–",
    `${p.records.toLocaleString("en")} records; ×${(c.subjects / p.sample).toFixed(0)} → ${((p.ours * c.subjects) / p.sample).toFixed(1)} s for the city`,
  );
  const rulesFull = (p.rules * c.subjects) / p.sample;
  row(
    "peer: json-rules-engine, public model's record indicators, same sample",
    p.rules,
    "–",
    `extrapolated ×${(c.subjects / p.sample).toFixed(0)} → ${rulesFull.toFixed(0)} s for the city; ${(p.rules / p.ours).toFixed(0)}× our engine`,
  );
  row(
    "peer: one SQL aggregate of the public model's deductions (GROUP BY subject)",
    p.sql,
    "–",
    `${p.sqlSubjects.toLocaleString("en")} subjects with deductions; deductions only — no bonuses, windows, triggers, ceilings, industry models`,
  );

  const inc = await incrementalRuns(c.file, incremental);
  row(
    `incremental: one record → ingest → reevaluateBatch → grade stored (${incremental} times)`,
    inc.total,
    "–",
    `p50 ${inc.p50.toFixed(1)} ms, p99 ${inc.p99.toFixed(1)} ms (evaluation alone p50 ${inc.evalP50.toFixed(1)} ms, p99 ${inc.evalP99.toFixed(1)} ms)`,
  );

  console.log(`\n### evaluate — ${machine()}\n`);
  console.log(
    `Demo city: ${c.subjects.toLocaleString("en")} subjects, ${c.records.toLocaleString("en")} records (seed ${seed}, as of ${asOf}), SQLite ${(fs.statSync(c.file).size / 2 ** 30).toFixed(1)} GiB; load average at start ${os.loadavg()[0]!.toFixed(1)}.\n`,
  );
  console.log("| what | seconds | peak RSS MB | notes |\n|---|---:|---:|---|");
  for (const l of lines) console.log(l);
  console.log(
    `\nRatios: json-rules-engine (extrapolated) / credit evaluate warm = ${(rulesFull / warm).toFixed(1)}; ` +
      `SQL aggregate / credit evaluate warm = ${(p.sql / warm).toFixed(2)}, cold = ${(p.sql / cold).toFixed(2)}.`,
  );
}

interface City {
  file: string;
  subjects: number;
  records: number;
  today: string;
  buildSeconds: number;
}

/** The demo city of `subjects` subjects in a SQLite file, built once and reused (keyed by size and seed). */
export async function city(subjects: number, seed: string): Promise<City> {
  const dir = path.join(process.env.BENCH_DIR ?? os.tmpdir(), "credit-bench-city");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${seed}-${subjects}.db`);
  const meta = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(meta))
    return { file, ...(JSON.parse(fs.readFileSync(meta, "utf8")) as Omit<City, "file">) };
  const building = `${file}.building`;
  for (const f of [building, `${building}-wal`, `${building}-shm`]) fs.rmSync(f, { force: true });
  const today = chinaToday();
  console.error(`building the demo city: ${subjects.toLocaleString("en")} subjects → ${file} (minutes)`);
  const store = openStore({ url: building });
  let r: Awaited<ReturnType<typeof loadDemo>>;
  try {
    await migrate(store);
    let last = 0;
    r = await loadDemo(store, {
      subjects,
      seed,
      today,
      onProgress: (p) => {
        if (Date.now() - last < 10_000) return;
        last = Date.now();
        console.error(
          `  ${p.phase}: ${p.subjects.toLocaleString("en")} subjects, ${p.records.toLocaleString("en")} records`,
        );
      },
    });
    store.sqlite!.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    await store.close();
  }
  fs.renameSync(building, file);
  const c = { subjects: r.subjects, records: r.records, today, buildSeconds: r.seconds };
  fs.writeFileSync(meta, JSON.stringify(c));
  console.error(`built in ${r.seconds} s: ${r.records.toLocaleString("en")} records`);
  return { file, ...c };
}

/** CPU seconds (user + system) used by this process's finished children since the call, from /proc. */
function cpuOfChildren(): () => number {
  const read = () => {
    // /proc/self/stat fields 16 and 17: cutime and cstime of waited-for children, in clock ticks (100/s).
    const f = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    return (Number(f[13]) + Number(f[14])) / 100;
  };
  const start = read();
  return () => read() - start;
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * The peers. A sample of subjects (every k-th chunk of codes) is read into memory, then evaluated with the
 * public model by our engine and by json-rules-engine rules made from the same model. The SQL aggregate runs
 * over the whole city. Times are CPU seconds of this process (the machines these run on are shared).
 */
async function peers(file: string, asOf: string, sampleSize: number, total: number) {
  const store = openStore({ url: file });
  const db = store.sqlite!;
  const models = modelSet(catalog());
  const pub = models.public;
  const reader = new SqliteReader(db, new FieldProjector(fieldsRead(models.all)));

  // The sample: chunks of 1,000 codes spread over the city, records copied out of the reader's reused ones.
  const sample: EvalInput[] = [];
  const every = Math.max(1, Math.floor(total / sampleSize));
  let after = "";
  while (sample.length < sampleSize) {
    const c = reader.range(after, MAX_CODE, 1000);
    if (c === null) break;
    for (const s of c.subjects) {
      const records = c.decode(s).map((r) => ({ ...r, fields: { ...r.fields } }) as RecordFact);
      if (sample.length < sampleSize) sample.push({ subject: s.subject, records });
    }
    // Skip ahead so the sample spans the city.
    const skip = db
      .prepare("SELECT code FROM subjects WHERE code > ? ORDER BY code LIMIT 1 OFFSET ?")
      .pluck()
      .get(c.last, Math.max(0, (every - 1) * 1000 - 1)) as string | undefined;
    if (skip === undefined) break;
    after = skip;
  }
  const records = sample.reduce((a, s) => a + s.records.length, 0);

  // The best of three passes (the first one also compiles the engine's code).
  let ours = Number.POSITIVE_INFINITY;
  let check = 0;
  let t = 0;
  for (let pass = 0; pass < 3; pass++) {
    t = cpuSeconds();
    for (const input of sample) check += pub.evaluate(input, asOf).score;
    ours = Math.min(ours, cpuSeconds() - t);
  }

  const rules = rulesOf(pub, asOf);
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const r of rules.rules) engine.addRule(r);
  t = cpuSeconds();
  for (const input of sample) check += await rules.score(engine, input);
  const rulesTime = cpuSeconds() - t;

  t = performance.now();
  const sql = deductionsSql(pub, asOf);
  const agg = db.prepare(sql).get() as { subjects: number; deducted: number };
  const sqlTime = (performance.now() - t) / 1000;
  await store.close();
  if (Number.isNaN(check)) throw new Error("unreachable");
  return { sample: sample.length, records, ours, rules: rulesTime, sql: sqlTime, sqlSubjects: agg.subjects };
}

type RecordIndicator = IndicatorDef & { basis: "records" };

function recordIndicators(model: CompiledModel): { ind: RecordIndicator; dim: number }[] {
  return model.def.dimensions.flatMap((d, dim) =>
    d.indicators.filter((i): i is RecordIndicator => i.basis === "records").map((ind) => ({ ind, dim })),
  );
}

/** Decay buckets of an indicator on a date: [lowest decision date exclusive, highest inclusive, factor]. */
function buckets(ind: RecordIndicator, asOf: string): [string, string, number][] {
  const steps = ind.decay ? valueAt(ind.decay, asOf) : [];
  const cuts = steps.map((s) => lastDayAged(asOf, s.after));
  const out: [string, string, number][] = [];
  let hi = asOf;
  let factor = 1;
  for (let b = 0; b <= cuts.length; b++) {
    const lo = cuts[b] ?? "";
    out.push([lo, hi, factor]);
    hi = lo;
    factor = steps[b]?.factor ?? 0;
  }
  return out;
}

/**
 * The public model's record indicators as json-rules-engine rules: one rule per indicator, points key and
 * decay step, on the record's facts; the per-subject sums, caps, bases and clamps are plain code (rules
 * engines leave aggregation to their caller). Publicity windows, triggers, ceilings and NR are left out.
 */
function rulesOf(model: CompiledModel, asOf: string) {
  const list = recordIndicators(model);
  const rules = [];
  for (const { ind } of list) {
    const points = valueAt(ind.points, asOf) as Record<string, number>;
    const by = ind.points_by === "severity" ? "severity" : ind.points_by.slice("field:".length);
    const common = [
      { fact: "category", operator: "in", value: ind.match.categories },
      { fact: "status", operator: "notEqual", value: "revoked" },
      ...(ind.match.departments
        ? [{ fact: "department", operator: "in", value: ind.match.departments }]
        : []),
      ...(ind.match.severities ? [{ fact: "severity", operator: "in", value: ind.match.severities }] : []),
      ...Object.entries(ind.match.fields ?? {}).map(([k, v]) => ({ fact: k, operator: "in", value: v })),
      ...(ind.match.expires_field
        ? [{ fact: ind.match.expires_field, operator: "greaterThanInclusive", value: asOf }]
        : []),
    ];
    for (const [key, p] of Object.entries(points))
      for (const [lo, hi, factor] of buckets(ind, asOf))
        rules.push({
          conditions: {
            all: [
              ...common,
              { fact: by, operator: "equal", value: key },
              { fact: "decision_date", operator: "lessThanInclusive", value: hi },
              ...(lo ? [{ fact: "decision_date", operator: "greaterThan", value: lo }] : []),
            ],
          },
          event: { type: "points", params: { indicator: ind.id, points: Math.round(p * factor) } },
        });
  }
  const caps = new Map(list.map(({ ind }) => [ind.id, valueAt(ind.cap, asOf)]));
  const sign = new Map(list.map(({ ind }) => [ind.id, ind.type === "bonus" ? 1 : -1]));
  const dimOf = new Map(list.map(({ ind, dim }) => [ind.id, dim]));
  const dims = model.def.dimensions.map((d) => ({
    base: valueAt(d.base, asOf),
    max: valueAt(d.max, asOf),
    cap: d.deduction_cap ? valueAt(d.deduction_cap, asOf) : Number.POSITIVE_INFINITY,
  }));
  return {
    rules,
    async score(engine: Engine, input: EvalInput): Promise<number> {
      const sums = new Map<string, number>();
      for (const r of input.records) {
        const { events } = await engine.run({ ...r.fields, ...r, fields: undefined });
        for (const e of events) {
          const id = e.params!.indicator as string;
          sums.set(id, (sums.get(id) ?? 0) + (e.params!.points as number));
        }
      }
      const bonus = dims.map(() => 0);
      const ded = dims.map(() => 0);
      for (const [id, s] of sums) {
        const v = Math.min(s, caps.get(id)!);
        if (sign.get(id)! > 0) bonus[dimOf.get(id)!]! += v;
        else ded[dimOf.get(id)!]! += v;
      }
      return dims.reduce(
        (t, d, i) =>
          t + Math.round(Math.min(Math.max(d.base + bonus[i]! - Math.min(ded[i]!, d.cap), 0), d.max)),
        0,
      );
    },
  };
}

/**
 * The public model's deduction indicators as one SQL aggregate over credit_records: points by severity or
 * field value, decay by decision date, the indicator's cap and the dimension's deduction cap, summed per
 * subject (GROUP BY subject_code).
 */
function deductionsSql(model: CompiledModel, asOf: string): string {
  const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const byDim = new Map<number, string[]>();
  for (const { ind, dim } of recordIndicators(model)) {
    if (ind.type !== "deduction") continue;
    const points = valueAt(ind.points, asOf) as Record<string, number>;
    const key =
      ind.points_by === "severity"
        ? "severity"
        : `json_extract(fields, '$.${ind.points_by.slice("field:".length)}')`;
    const match = [
      `category IN (${ind.match.categories.map(q).join(", ")})`,
      ...(ind.match.departments ? [`department IN (${ind.match.departments.map(q).join(", ")})`] : []),
      ...(ind.match.severities ? [`severity IN (${ind.match.severities.map(q).join(", ")})`] : []),
      ...Object.entries(ind.match.fields ?? {}).map(
        ([k, v]) => `json_extract(fields, '$.${k}') IN (${v.map(q).join(", ")})`,
      ),
    ].join(" AND ");
    const pointsOf = `CASE ${key} ${Object.entries(points)
      .map(([k, p]) => `WHEN ${q(k)} THEN ${p}`)
      .join(" ")} ELSE 0 END`;
    const steps = buckets(ind, asOf);
    const decay =
      steps.length === 1
        ? "1"
        : `CASE ${steps.map(([lo, , f]) => (lo ? `WHEN decision_date > ${q(lo)} THEN ${f}` : `ELSE ${f}`)).join(" ")} END`;
    const expr = `min(${valueAt(ind.cap, asOf)}, total(CASE WHEN ${match} THEN round(${pointsOf} * ${decay}) ELSE 0 END))`;
    byDim.set(dim, [...(byDim.get(dim) ?? []), expr]);
  }
  const dims = [...byDim].map(([dim, exprs]) => {
    const d = model.def.dimensions[dim]!;
    const cap = d.deduction_cap ? valueAt(d.deduction_cap, asOf) : 1e9;
    return `min(${cap}, ${exprs.join(" + ")})`;
  });
  return `SELECT count(*) AS subjects, total(deducted) AS deducted FROM (
    SELECT subject_code, ${dims.join(" + ")} AS deducted
    FROM credit_records WHERE is_current = 1 AND status <> 'revoked' AND decision_date <= ${q(asOf)}
    GROUP BY subject_code) WHERE deducted > 0`;
}

/** One record at a time through ingest and reevaluateBatch, for registered enterprises spread over the city. */
export async function incrementalRuns(file: string, n: number) {
  const store = openStore({ url: file });
  const cat = catalog();
  const codes = store
    .sqlite!.prepare(
      "SELECT code FROM subjects WHERE type = 'enterprise' AND status = '存续' AND id % 97 = 0 ORDER BY id LIMIT ?",
    )
    .pluck()
    .all(n + 20) as string[];
  const today = chinaToday();
  const nonce = Date.now().toString(36);
  const times: number[] = [];
  const evalTimes: number[] = [];
  // The first 20 warm the process up (compiled code, prepared statements), as in a running server.
  const WARM_UP = 20;
  for (let i = 0; i < codes.length; i++) {
    const t0 = performance.now();
    const r = await ingest(
      store,
      cat,
      [
        [
          {
            row: 1,
            raw: {
              category: "INSPECTION",
              subject_code: codes[i],
              doc_no: `泉市监检〔bench-${nonce}〕${i}号`,
              decision_date: today,
              result: i % 2 ? "fail" : "problems",
            },
          },
        ],
      ],
      { channel: "rest", submitter: "bench", department: "SCJG", today, rejectsDir: os.tmpdir() },
    );
    const t1 = performance.now();
    const run = await reevaluateBatch(store, cat, r);
    const t2 = performance.now();
    if (r.status !== "committed" || !run || run.subjects !== 1)
      throw new Error(`incremental run ${i}: ${r.status}, evaluated ${run?.subjects}`);
    if (i < WARM_UP) continue;
    times.push(t2 - t0);
    evalTimes.push(t2 - t1);
  }
  await store.close();
  const pct = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.ceil((q / 100) * xs.length) - 1]!;
  return {
    total: times.reduce((a, b) => a + b, 0) / 1000,
    p50: pct(times, 50),
    p99: pct(times, 99),
    evalP50: pct(evalTimes, 50),
    evalP99: pct(evalTimes, 99),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename))
  await run(process.argv.slice(2));
