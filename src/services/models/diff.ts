/**
 * What-if before publishing: a draft version of a model evaluated on the current data (every subject it
 * applies to, their current records, market ratings and other grades) beside the current version of the same
 * model id — the grade transition matrix and the population stability index.
 *
 * Population: the subjects either version applies to (the public model: every subject, as the batch run does;
 * an industry model: the subjects in its scope on the as-of date). A subject one version applies to and the
 * other does not is counted in the `OUT` row or column (out of scope), so a scope change shows too.
 *
 * PSI = Σ over grades (p_draft − p_cur) × ln(p_draft / p_cur), with p the share of the population in each of
 * A–E, NR (and OUT when a scope changes); an empty bin counts as ε = 0.0001 (bins empty in both are skipped).
 * NR is a bin of its own: moving subjects into or out of "not rated" is a change of the distribution the
 * departments supervise by, so it counts like any other move. Usual reading: < 0.1 stable, 0.1–0.25 a
 * moderate shift, > 0.25 a major shift.
 */

import type { Catalog } from "../../core/catalog/types.ts";
import { GRADES_OR_NR } from "../../core/grades.ts";
import { pushTo } from "../../core/lists.ts";
import { InputError, problem } from "../../core/problem.ts";
import type { CompiledModel, EvalInput, RecordFact, SubjectFacts } from "../../core/scoring/index.ts";
import { whatIf } from "../../policy/load.ts";
import type { Store } from "../../store/db.ts";
import { chinaToday } from "../collect/ingest.ts";
import { evalExtrasOf } from "../evaluate/extras.ts";
import { type ModelSet, modelApplies } from "../evaluate/models.ts";
import { recordFact } from "../evaluate/record-facts.ts";
import { draftAgainstCurrent } from "./versions.ts";

export const DIFF_GRADES = [...GRADES_OR_NR, "OUT"] as const;
export type DiffGrade = (typeof DIFF_GRADES)[number];
export const PSI_EPSILON = 1e-4;
/** How a PSI is read (policy/what-if.yaml); returned with every diff so screens need no copy. */
export type PsiBands = { moderate: number; major: number };
/**
 * Subjects read per query. A diff runs on the request thread over the whole city, so it reads in small chunks
 * and yields between slices of work, and other requests are served meanwhile: on a 30,000-subject demo city
 * (24,635 in scope, SQLite, whose driver is synchronous) a diff held the thread for its whole 4–7 s; now the
 * longest stretch is one chunk's reads or the draft's parsing (about 0.1 s on a loaded machine).
 */
const CHUNK = 500;
/** The longest stretch of evaluation between two yields to the event loop (ms). */
const SLICE_MS = 15;

/** Lets timers, I/O and other requests run (SQLite reads never give the event loop a turn by themselves). */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface ModelDiff {
  modelId: string;
  asOf: string;
  current: { version: string; digest: string };
  draft: { version: string; digest: string };
  /** Subjects either version applies to. */
  subjects: number;
  /** Rows and columns of the matrix: A–E and NR, plus OUT when a scope changes. */
  grades: DiffGrade[];
  /** matrix[current grade][draft grade] = subjects. */
  matrix: Record<string, Record<string, number>>;
  currentCounts: Record<string, number>;
  draftCounts: Record<string, number>;
  psi: number;
  /** stable (< moderate) | moderate (moderate–major) | major (> major): see policy/what-if.yaml */
  shift: "stable" | "moderate" | "major";
  /** The thresholds `shift` was read with. */
  psiBands: PsiBands;
  /** Subjects whose grade improves, worsens, or stays; NR and OUT moves are counted apart. */
  moves: { up: number; down: number; same: number; other: number };
  /** Subjects whose score changes (both versions rate them), and the mean change. */
  scoreChanges: { changed: number; mean: number };
  seconds: number;
}

const RANK: Record<string, number> = { A: 0, B: 1, C: 2, D: 3, E: 4 };

/** Population stability index of two count vectors over the same bins (see the module comment). */
export function psi(cur: Record<string, number>, draft: Record<string, number>, eps = PSI_EPSILON): number {
  const bins = new Set([...Object.keys(cur), ...Object.keys(draft)]);
  const n1 = Object.values(cur).reduce((a, b) => a + b, 0);
  const n2 = Object.values(draft).reduce((a, b) => a + b, 0);
  if (n1 === 0 || n2 === 0) return 0;
  let sum = 0;
  for (const b of bins) {
    const c = cur[b] ?? 0;
    const d = draft[b] ?? 0;
    if (c === 0 && d === 0) continue;
    const p = Math.max(c / n1, eps);
    const q = Math.max(d / n2, eps);
    sum += (q - p) * Math.log(q / p);
  }
  return sum;
}

/**
 * Evaluates a compiled draft beside the current version of its model on every subject in the store, giving the
 * event loop a turn at least every SLICE_MS of work. Chunks are read one after another, so a record accepted
 * while a diff runs counts if its subject's chunk is read after it: a what-if is a picture of the city while it
 * ran, as a batch run is.
 */
export async function diffCompiled(
  store: Store,
  models: ModelSet,
  current: CompiledModel,
  draft: CompiledModel,
  asOf: string,
): Promise<ModelDiff> {
  const t0 = performance.now();
  let since = t0;
  const matrix: Record<string, Record<string, number>> = {};
  const curCounts: Record<string, number> = {};
  const draftCounts: Record<string, number> = {};
  const moves = { up: 0, down: 0, same: 0, other: 0 };
  let population = 0;
  let changed = 0;
  let delta = 0;
  const needsPublic = current.kind === "industry" || draft.kind === "industry";

  let last = "";
  for (;;) {
    await yieldToLoop();
    since = performance.now();
    const rows = (await store.db
      .selectFrom("subjects")
      .select(["code", "type", "status", "registered_on", "region", "industry_section", "industry_division"])
      .where("code", ">", last)
      .orderBy("code")
      .limit(CHUNK)
      .execute()) as SubjectFacts[];
    if (rows.length === 0) break;
    last = rows[rows.length - 1]!.code;
    const subjects = rows.filter((s) => modelApplies(current, s, asOf) || modelApplies(draft, s, asOf));
    if (subjects.length === 0) continue;
    const codes = subjects.map((s) => s.code);
    const [records, extras] = await Promise.all([
      recordsInRange(store, rows[0]!.code, last),
      evalExtrasOf(store, codes, asOf),
    ]);
    for (const s of subjects) {
      if (performance.now() - since >= SLICE_MS) {
        await yieldToLoop();
        since = performance.now();
      }
      const input: EvalInput = { subject: s, records: records.get(s.code) ?? [], ...extras.get(s.code) };
      if (needsPublic) {
        const pub = modelApplies(models.public, s, asOf) ? models.public.evaluate(input, asOf) : undefined;
        input.publicScore = pub === undefined || pub.grade === "NR" ? null : pub.score;
      }
      const a = modelApplies(current, s, asOf) ? current.evaluate(input, asOf) : undefined;
      const b = modelApplies(draft, s, asOf) ? draft.evaluate(input, asOf) : undefined;
      const g1: string = a?.grade ?? "OUT";
      const g2: string = b?.grade ?? "OUT";
      population++;
      matrix[g1] ??= {};
      matrix[g1][g2] = (matrix[g1][g2] ?? 0) + 1;
      curCounts[g1] = (curCounts[g1] ?? 0) + 1;
      draftCounts[g2] = (draftCounts[g2] ?? 0) + 1;
      const r1 = RANK[g1];
      const r2 = RANK[g2];
      if (g1 === g2) moves.same++;
      else if (r1 === undefined || r2 === undefined) moves.other++;
      else if (r2 < r1) moves.up++;
      else moves.down++;
      if (a && b && a.score !== b.score) {
        changed++;
        delta += b.score - a.score;
      }
    }
  }

  const scopeChanged = (curCounts.OUT ?? 0) + (draftCounts.OUT ?? 0) > 0;
  const grades = DIFF_GRADES.filter((g) => g !== "OUT" || scopeChanged);
  const full: Record<string, Record<string, number>> = {};
  for (const g1 of grades) {
    full[g1] = {};
    for (const g2 of grades) full[g1]![g2] = matrix[g1]?.[g2] ?? 0;
  }
  const counts = (c: Record<string, number>) => Object.fromEntries(grades.map((g) => [g, c[g] ?? 0]));
  const p = psi(counts(curCounts), counts(draftCounts));
  const bands = whatIf().psi_bands;
  return {
    modelId: current.id,
    asOf,
    current: { version: current.version, digest: current.digest },
    draft: { version: draft.version, digest: draft.digest },
    subjects: population,
    grades,
    matrix: full,
    currentCounts: counts(curCounts),
    draftCounts: counts(draftCounts),
    psi: p,
    shift: p < bands.moderate ? "stable" : p <= bands.major ? "moderate" : "major",
    psiBands: bands,
    moves,
    scoreChanges: { changed, mean: changed ? delta / changed : 0 },
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * The what-if of a draft model file (YAML text): compiled (a broken draft is refused with every problem),
 * checked against the current version of the same id, both evaluated on the current data as of `asOf`.
 */
export async function diffDraft(
  store: Store,
  catalog: Catalog,
  text: string,
  opts: { id?: string; asOf?: string; name?: string } = {},
): Promise<ModelDiff> {
  const { draft, current, models } = await draftAgainstCurrent(store, catalog, text, opts);
  const asOf = opts.asOf ?? chinaToday();
  for (const [m, label] of [
    [current, "现行版本 current version"],
    [draft, "草案 draft"],
  ] as const)
    if (!m.inForce(asOf)) {
      throw new InputError([
        problem(
          "model.not_in_force",
          {
            zh: `${label.split(" ")[0]}（${m.id} v${m.version}）在 ${asOf} 不生效`,
            en: `The ${label.split(" ").slice(1).join(" ")} (${m.id} v${m.version}) is not in force on ${asOf}`,
            fixZh: "用 --as-of（接口参数 asOf）指定两个版本都生效的日期",
            fixEn: "Give an as-of date on which both versions are in force (--as-of, or asOf in the API)",
          },
          { field: "asOf", value: asOf },
        ),
      ]);
    }
  return diffCompiled(store, models, current, draft, asOf);
}

/** Current records of the subjects whose codes fall in [from, to], as the engine's facts. */
async function recordsInRange(store: Store, from: string, to: string): Promise<Map<string, RecordFact[]>> {
  const list = await store.db
    .selectFrom("credit_records")
    .select(["id", "subject_code", "department", "category", "severity", "status", "decision_date", "fields"])
    .where("is_current", "=", 1)
    .where("subject_code", ">=", from)
    .where("subject_code", "<=", to)
    .execute();
  const out = new Map<string, RecordFact[]>();
  for (const r of list)
    pushTo(out, r.subject_code, recordFact(r, JSON.parse(r.fields) as Record<string, string | number>));
  return out;
}

/** Columns a string takes in a terminal (CJK characters take two). */
function width(s: string): number {
  let w = 0;
  for (const c of s) w += c.codePointAt(0)! >= 0x2e80 ? 2 : 1;
  return w;
}
const padEnd = (s: string, n: number) => s + " ".repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number) => " ".repeat(Math.max(0, n - width(s))) + s;

/** The matrix and PSI as text (Chinese and English), for the command line. */
export function formatDiff(d: ModelDiff): string {
  const w = 8;
  const label = 12;
  const line = (head: string, cells: (string | number)[], total: string | number) =>
    `${padEnd(head, label)}${cells.map((c) => padStart(String(c), w)).join("")}${padStart(String(total), label)}`;
  const lines = [
    `模型 model ${d.modelId}: 现行 current v${d.current.version} → 草案 draft v${d.draft.version}, 基准日 as of ${d.asOf}, ${d.subjects} 个主体 subjects`,
    "",
    line("现行\\草案", d.grades, "合计 total"),
    ...d.grades.map((g1) =>
      line(
        g1,
        d.grades.map((g2) => d.matrix[g1]![g2] ?? 0),
        d.currentCounts[g1] ?? 0,
      ),
    ),
    line(
      "合计 total",
      d.grades.map((g) => d.draftCounts[g] ?? 0),
      d.subjects,
    ),
    "",
    `升级 up ${d.moves.up}, 降级 down ${d.moves.down}, 不变 same ${d.moves.same}, 进出 NR/范围 NR or scope ${d.moves.other}`,
    `分数变化 score changed for ${d.scoreChanges.changed} subjects, 平均 mean ${d.scoreChanges.mean.toFixed(1)}`,
    `PSI ${d.psi.toFixed(4)} (${{ stable: "稳定 stable", moderate: "中等变化 moderate shift", major: "显著变化 major shift" }[d.shift]})`,
  ];
  return lines.join("\n");
}
