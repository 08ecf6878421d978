/**
 * Inspection plans (双随机抽查计划) from definition to draw: a department sets the scope, items, ratios per grade,
 * frequency caps, floor and exclusions (defaults from policy/supervision/sampling.yaml); the pool is frozen and its
 * digest published before any seed exists; the seed entered at the draw fixes the drawn subjects and their
 * inspectors (core/sampling, docs/draw-algorithm.md). Status: draft → frozen → drawn → closed.
 */
import crypto from "node:crypto";
import { sql } from "kysely";
import { z } from "zod";
import type { PlanInputSchema, PlanSettings } from "../../contract/inspection-plans.ts";
import type { Actor } from "../../core/auth/roles.ts";
import { decidingGrade } from "../../core/measures/match.ts";
import { InputError, notFoundError, type Problem, problem } from "../../core/problem.ts";
import { assignInspectors } from "../../core/sampling/assign.ts";
import {
  checkSeed,
  checkSeedCommitment,
  DRAW_ALGORITHM,
  drawPool,
  type SeedCommitment,
  sampleSize,
} from "../../core/sampling/draw.ts";
import {
  compareBytes,
  type PoolEntry,
  poolDigest,
  poolFileBytes,
  STRATA,
} from "../../core/sampling/pool-file.ts";
import { type Candidate, selectPool } from "../../core/sampling/pool-rules.ts";
import { valueAt } from "../../core/scoring/dated.ts";
import { firstDayWithin, isRealDate } from "../../core/scoring/dates.ts";
import { mayManagePlan, mayReadPlan } from "../../policies/inspections.ts";
import { type DepartmentScope, oneDepartment, owningDepartment } from "../../policies/scope.ts";
import { POLICY_DIR, readYaml } from "../../policy/load.ts";
import { samplingPolicyAt } from "../../policy/sampling.ts";
import type { Store } from "../../store/db.ts";
import { paged } from "../../store/paged.ts";
import type { InspectionPlan } from "../../store/schema-inspections.ts";
import { whereDepartment } from "../../store/where-department.ts";
import { audit } from "../auth/audit.ts";
import { chinaToday } from "../collect/ingest.ts";
import type { Caller } from "../command.ts";
import { conflictsOf, listInspectors } from "./inspectors.ts";

export { STRATA };

const dated = <T extends z.ZodType>(v: T) =>
  z.array(z.object({ from: z.string(), to: z.string().optional(), value: v, source: z.string() }));
const directoryFile = z.object({
  id: z.string(),
  effective_from: z.string(),
  sources: z.record(z.string(), z.string()),
  types: dated(z.array(z.string())),
  statuses: dated(z.array(z.string())),
});

let directory: z.infer<typeof directoryFile> | undefined;
/** 检查对象名录库: the subject types and statuses random inspections draw from (policy/supervision/directory.yaml). */
export function directoryAt(date: string): { types: string[]; statuses: string[] } {
  directory ??= readYaml("supervision/directory.yaml", directoryFile, POLICY_DIR);
  return { types: valueAt(directory.types, date), statuses: valueAt(directory.statuses, date) };
}

/** A plan as a department defines it, parsed (src/contract/inspection-plans.ts). */
export type PlanInput = z.output<typeof PlanInputSchema>;

export function settingsOf(plan: InspectionPlan): PlanSettings {
  return JSON.parse(plan.settings) as PlanSettings;
}

/** The policy defaults of a plan date, as a plan would store them. */
export function defaultSettings(planDate: string): Omit<PlanSettings, "items" | "scope" | "modelId"> {
  const p = samplingPolicyAt(planDate);
  return {
    planDate,
    ratiosBp: { ...p.ratioBp },
    frequencyCapPerYear: { ...p.frequencyCapPerYear },
    floorYears: p.floorYears,
    exclusionMonths: p.exclusionMonths,
    inspectorsPerSubject: p.minInspectorsPerSubject,
    requiredQualifications: [],
    publishWithinWorkingDays: p.publishWithinWorkingDays,
  };
}

/** Checks a plan's values against the policy limits: every problem named by field, in zh and en. */
export function resolveSettings(input: PlanInput, modelIds: readonly string[]): PlanSettings {
  const planDate = input.planDate ?? chinaToday();
  const base = defaultSettings(planDate);
  const p = samplingPolicyAt(planDate);
  const problems: Problem[] = [];
  const ratiosBp = { ...base.ratiosBp, ...input.ratiosBp };
  for (const s of STRATA) {
    const r = ratiosBp[s];
    const min = p.minRatioBp[s] ?? 0;
    if (r < min || r > 10000)
      problems.push(
        problem(
          "plan.ratio",
          {
            zh: `${s} 档抽查比例 ${r / 100}% 超出允许范围 ${min / 100}%–100%`,
            en: `The ratio of ${s}, ${r / 100}%, is outside ${min / 100}%–100%`,
            fixZh:
              s === "A" && min > 0
                ? `A 档不能低于 ${min / 100}%：保留对照样本，才能检验分级是否有效`
                : "比例以万分比填写（1% = 100）",
            fixEn:
              s === "A" && min > 0
                ? `A may not go below ${min / 100}%: a control sample keeps the grading honest`
                : "Ratios are basis points (1% = 100)",
          },
          { field: `ratiosBp.${s}`, value: r },
        ),
      );
  }
  const modelId = input.modelId ?? "public";
  if (!modelIds.includes(modelId))
    problems.push(
      problem(
        "plan.model",
        {
          zh: `评价模型 ${modelId} 不存在`,
          en: `Evaluation model ${modelId} does not exist`,
          fixZh: `可选：${modelIds.join("、")}`,
          fixEn: `Choose one of ${modelIds.join(", ")}`,
        },
        { field: "modelId", value: modelId },
      ),
    );
  const inspectorsPerSubject = input.inspectorsPerSubject ?? base.inspectorsPerSubject;
  if (inspectorsPerSubject < p.minInspectorsPerSubject)
    problems.push(
      problem(
        "plan.inspectors",
        {
          zh: `每个检查对象至少需要 ${p.minInspectorsPerSubject} 名执法人员`,
          en: `Each subject needs at least ${p.minInspectorsPerSubject} inspectors`,
          fixZh: `填写 ${p.minInspectorsPerSubject} 或更多`,
          fixEn: `Enter ${p.minInspectorsPerSubject} or more`,
        },
        { field: "inspectorsPerSubject", value: inspectorsPerSubject },
      ),
    );
  if (problems.length > 0) throw new InputError(problems);
  return {
    ...base,
    modelId,
    items: [...new Set(input.items)],
    scope: input.scope,
    ratiosBp,
    frequencyCapPerYear: { ...base.frequencyCapPerYear, ...input.frequencyCapPerYear },
    floorYears: input.floorYears === undefined ? base.floorYears : input.floorYears,
    exclusionMonths: input.exclusionMonths === undefined ? base.exclusionMonths : input.exclusionMonths,
    inspectorsPerSubject,
    requiredQualifications: input.requiredQualifications ?? [],
  };
}

export const planNotFound = (id: string) =>
  notFoundError({
    zh: `抽查计划 ${id} 不存在`,
    en: `Inspection plan ${id} does not exist`,
    fixZh: "核对计划编号",
    fixEn: "Check the plan id",
  });

const wrongStatus = (plan: InspectionPlan, want: string, doing: { zh: string; en: string }) =>
  new InputError(
    [
      problem(
        "plan.status",
        {
          zh: `计划 ${plan.id} 当前状态为“${STATUS_ZH[plan.status] ?? plan.status}”，不能${doing.zh}`,
          en: `Plan ${plan.id} is ${plan.status}; it cannot be ${doing.en}`,
          fixZh: `只有“${STATUS_ZH[want]}”状态的计划可以${doing.zh}`,
          fixEn: `Only a ${want} plan can be ${doing.en}`,
        },
        { field: "status", value: plan.status },
      ),
    ],
    409,
  );

const STATUS_ZH: Record<string, string> = {
  draft: "草稿",
  frozen: "名录已冻结",
  drawn: "已抽取",
  closed: "已结束",
};

/** The plan, if the actor may see it (its department, or the city office); public callers see frozen ones. */
export async function getPlan(store: Store, id: string, actor?: Actor): Promise<InspectionPlan> {
  const plan = await store.db
    .selectFrom("inspection_plans")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!plan) throw planNotFound(id);
  if (actor && !mayReadPlan(actor, plan)) throw planNotFound(id);
  return plan;
}

export async function listPlans(
  store: Store,
  opts: { departments: DepartmentScope; publicOnly?: boolean; limit: number; offset: number },
) {
  let q = store.db.selectFrom("inspection_plans").where(whereDepartment(opts.departments, "department"));
  if (opts.publicOnly) q = q.where("status", "in", ["frozen", "drawn", "closed"]);
  const { items, total } = await paged(q, opts, (q) => q.selectAll().orderBy("created_at", "desc"));
  return { total, items };
}

/** The stored commitment of a plan, or null (frozen before commitments existed, or still a draft). */
export function commitmentOf(p: InspectionPlan): SeedCommitment | null {
  return p.seed_commitment ? (JSON.parse(p.seed_commitment) as SeedCommitment) : null;
}

function newPlanId(department: string, date: string): string {
  return `P${date.replaceAll("-", "")}${department}${crypto.randomBytes(3).toString("hex").toUpperCase()}`;
}

/**
 * A new plan as it would be stored — checked against the policy limits — without storing it: `createPlan`
 * stores it, the wizard's preview counts from it.
 */
export function draftPlan(actor: Actor, input: PlanInput, modelIds: readonly string[]): InspectionPlan {
  const department = owningDepartment(actor, input.department);
  if (!department)
    throw new InputError([
      problem(
        "plan.department",
        {
          zh: "没有指定计划所属部门",
          en: "No department given for the plan",
          fixZh: "填写 department（部门代码）",
          fixEn: "Give department (the department code)",
        },
        { field: "department" },
      ),
    ]);
  const settings = resolveSettings(input, modelIds);
  return {
    id: newPlanId(department, settings.planDate),
    department,
    title: input.title,
    settings: JSON.stringify(settings),
    status: "draft",
    created_by: actor.name,
    created_at: new Date().toISOString(),
    frozen_by: null,
    frozen_at: null,
    pool_digest: null,
    pool_size: null,
    seed: null,
    drawn_by: null,
    drawn_at: null,
    algorithm: null,
    closed_at: null,
    seed_commitment: null,
    committed_at: null,
  };
}

export async function createPlan(
  store: Store,
  actor: Actor,
  input: PlanInput,
  modelIds: readonly string[],
): Promise<InspectionPlan> {
  const plan = draftPlan(actor, input, modelIds);
  await store.db.insertInto("inspection_plans").values(plan).execute();
  return getPlan(store, plan.id);
}

/** Items of an INSPECTION record: its `items` field, `;` or `；` between items. */
export function recordItems(fields: string): string[] {
  const f = JSON.parse(fields) as { items?: unknown };
  if (typeof f.items !== "string") return [];
  return f.items
    .split(/[;；]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Subjects read per round of queries while collecting candidates (see candidateRounds). */
const CANDIDATE_CHUNK = 500;

/** Lets timers and other requests run: the work of a plan is done in rounds with this between them. */
export const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The subjects a plan draws from, each with its stratum (the plan model's current grade, else the public
 * grade, else NR — the rule that decides measures too), its registration date and the past inspections that
 * can decide its fate (core/sampling selectPool says which count for what).
 *
 * Read in rounds of CANDIDATE_CHUNK subjects in code order, with a pause between rounds, so a plan over a
 * whole city does not hold the event loop (and every other request) for seconds: on the 50,000-subject demo
 * city one query of every INSPECTION record took 2.5–3.9 s of a 4–7 s preview. And only what can matter is
 * read: every inspection since `since` (the start of the exclusion window or of the 12 months the frequency
 * cap counts, whichever is earlier), and before it only the date of the plan department's last inspection —
 * all the floor looks at. selectPool gives the same answer as with the whole history
 * (plans.test.ts checks it against the whole history).
 */
export async function* candidateRounds(
  store: Store,
  plan: InspectionPlan,
  opts: { chunk?: number } = {},
): AsyncGenerator<Candidate[]> {
  const chunk = opts.chunk ?? CANDIDATE_CHUNK;
  const s = settingsOf(plan);
  const dir = directoryAt(s.planDate);
  // A plan narrows the directory, never widens it (no natural persons, say, whatever the plan lists).
  const types = s.scope.types?.length ? s.scope.types.filter((t) => dir.types.includes(t)) : dir.types;
  if (types.length === 0) return;
  const yearFrom = firstDayWithin(s.planDate, "P1Y");
  const exclusionFrom = s.exclusionMonths ? firstDayWithin(s.planDate, `P${s.exclusionMonths}M`) : yearFrom;
  // ISO dates: the earlier sorts first (Math.min would turn them into NaN).
  const since = [exclusionFrom, yearFrom].sort()[0]!;
  const { sections, divisions } = s.scope;
  let after: string | null = null;
  for (;;) {
    // Subjects alone, then their grades by code: joined to evaluations under ORDER BY … LIMIT, PostgreSQL with
    // stale statistics (just after a bulk load) chose a nested loop that ran for most of an hour.
    let q = store.db
      .selectFrom("subjects")
      .select(["subjects.code", "subjects.registered_on"])
      .where("subjects.type", "in", types)
      .where("subjects.status", "in", dir.statuses);
    if (s.scope.regions?.length) q = q.where("subjects.region", "in", s.scope.regions);
    if (sections?.length || divisions?.length)
      q = q.where((eb) =>
        eb.or([
          ...(sections?.length ? [eb("subjects.industry_section", "in", sections)] : []),
          ...(divisions?.length ? [eb("subjects.industry_division", "in", divisions)] : []),
        ]),
      );
    if (after !== null) q = q.where("subjects.code", ">", after);
    const rows = await q.orderBy("subjects.code").limit(chunk).execute();
    if (rows.length === 0) break;
    const codes = rows.map((r) => r.code);
    const grades = await store.db
      .selectFrom("evaluations")
      .select(["subject_code", "model_id", "grade"])
      .where("subject_code", "in", codes)
      .where("model_id", "in", [...new Set([s.modelId, "public"])])
      .where("is_current", "=", 1)
      .execute();
    const gradeOf = new Map<string, string>();
    for (const g of grades) gradeOf.set(`${g.model_id}:${g.subject_code}`, g.grade);
    const inspections = () =>
      store.db
        .selectFrom("credit_records")
        .where("category", "=", "INSPECTION")
        .where("is_current", "=", 1)
        .where("status", "=", "active")
        .where("subject_code", "in", codes);
    const recent = await inspections()
      .select(["subject_code", "department", "decision_date", "fields"])
      .where("decision_date", ">=", since)
      .where("decision_date", "<=", s.planDate)
      .execute();
    const older = await inspections()
      .select(["subject_code", (eb) => eb.fn.max("decision_date").as("last")])
      // `department || ''`, not `department`: with a plain column SQLite reads this through the index on
      // (department, category, …) — every INSPECTION record of the department, 0.8 s a round on the demo city —
      // instead of the chunk's subjects through (subject_code, decision_date).
      .where(sql<string>`department || ''`, "=", plan.department)
      .where("decision_date", "<", since)
      .groupBy("subject_code")
      .execute();
    const history = new Map<string, Candidate["inspections"]>();
    const add = (code: string, x: Candidate["inspections"][number]) => {
      const list = history.get(code);
      if (list) list.push(x);
      else history.set(code, [x]);
    };
    for (const r of recent)
      add(r.subject_code, { date: r.decision_date, items: recordItems(r.fields), department: r.department });
    // Its items cannot matter: only inspections since the start of the exclusion window can exclude.
    for (const r of older) add(r.subject_code, { date: r.last, items: [], department: plan.department });
    yield rows.map((r) => ({
      code: r.code,
      stratum: decidingGrade(gradeOf.get(`${s.modelId}:${r.code}`), gradeOf.get(`public:${r.code}`)),
      registeredOn: r.registered_on,
      inspections: history.get(r.code) ?? [],
    }));
    after = codes[codes.length - 1]!;
    await breathe();
    if (rows.length < chunk) break;
  }
}

/** Every candidate of a plan (candidateRounds, gathered). */
export async function candidatesOf(store: Store, plan: InspectionPlan, opts: { chunk?: number } = {}) {
  const out: Candidate[] = [];
  for await (const round of candidateRounds(store, plan, opts)) for (const c of round) out.push(c);
  return out;
}

/**
 * The pool rules applied to a plan's candidates a round at a time, pausing between rounds: each subject's fate
 * depends on its own inspections only, so the rounds' answers together are the whole answer (in the database's
 * order of codes: poolFileBytes puts the pool in byte order, the draw sorts the must-inspect list).
 */
async function selectRounds(store: Store, plan: InspectionPlan) {
  const s = settingsOf(plan);
  const rules = poolRules(s, plan.department);
  // Checks the plan's rules even when no subject is in scope.
  const sel = selectPool([], rules, s.planDate);
  const candidates: Candidate[] = [];
  for await (const round of candidateRounds(store, plan)) {
    const part = selectPool(round, rules, s.planDate);
    for (const c of round) candidates.push(c);
    for (const x of part.pool) sel.pool.push(x);
    for (const x of part.mustInspect) sel.mustInspect.push(x);
    for (const x of part.excluded) sel.excluded.push(x);
    await breathe();
  }
  return { s, candidates, sel };
}

function poolRules(s: PlanSettings, department: string) {
  return {
    department,
    items: s.items,
    frequencyCapPerYear: s.frequencyCapPerYear,
    floorYears: s.floorYears ?? 0,
    exclusionMonths: s.exclusionMonths ?? 0,
  };
}

/**
 * Counts per stratum: candidates, excluded, must-inspect, pool and the subjects a draw takes — of the subjects
 * now for a draft, of the frozen pool as stored once frozen (later grades and inspections do not change it).
 */
export async function previewPlan(store: Store, plan: InspectionPlan) {
  const s = settingsOf(plan);
  if (plan.pool_digest) {
    const rows = await store.db
      .selectFrom("inspection_pool")
      .select(["stratum", "part", (eb) => eb.fn.countAll<number>().as("n")])
      .where("plan_id", "=", plan.id)
      .groupBy(["stratum", "part"])
      .execute();
    const of = (p?: string) => {
      const c: Record<string, number> = {};
      for (const r of rows) if (!p || r.part === p) c[r.stratum] = (c[r.stratum] ?? 0) + Number(r.n);
      return c;
    };
    return { planId: plan.id, ...tallied(s, of(), of("pool"), of("must"), of("excluded")) };
  }
  const { candidates, sel } = await selectRounds(store, plan);
  return { planId: plan.id, ...countsOf(s, candidates, sel) };
}

function countsOf(
  s: PlanSettings,
  candidates: { stratum: string }[],
  sel: { pool: PoolEntry[]; mustInspect: { stratum: string }[]; excluded: { stratum: string }[] },
) {
  const by = (list: { stratum: string }[]) => {
    const c: Record<string, number> = {};
    for (const x of list) c[x.stratum] = (c[x.stratum] ?? 0) + 1;
    return c;
  };
  return tallied(s, by(candidates), by(sel.pool), by(sel.mustInspect), by(sel.excluded));
}

function tallied(
  s: PlanSettings,
  cand: Record<string, number>,
  pool: Record<string, number>,
  must: Record<string, number>,
  excluded: Record<string, number>,
) {
  const strata = STRATA.map((g) => ({
    stratum: g,
    candidates: cand[g] ?? 0,
    excluded: excluded[g] ?? 0,
    mustInspect: must[g] ?? 0,
    pool: pool[g] ?? 0,
    ratioBp: s.ratiosBp[g],
    drawn: sampleSize(pool[g] ?? 0, s.ratiosBp[g]),
  }));
  const total = strata.reduce(
    (a, x) => ({
      candidates: a.candidates + x.candidates,
      excluded: a.excluded + x.excluded,
      mustInspect: a.mustInspect + x.mustInspect,
      pool: a.pool + x.pool,
      drawn: a.drawn + x.drawn,
    }),
    { candidates: 0, excluded: 0, mustInspect: 0, pool: 0, drawn: 0 },
  );
  return { strata, total };
}

/**
 * The seed commitment a department publishes at the freeze (decision 12): checked field by field, every problem
 * in zh and en. A sealed seed (`sha256`) may be committed only at the freeze, while the pool is not yet public;
 * a plan frozen before commitments existed may record a `public-value` one only.
 */
export function checkCommitmentInput(
  input: unknown,
  today: string,
  opts: { sealedAllowed: boolean },
): SeedCommitment {
  const bad = (field: string, zh: string, en: string, fixZh: string, fixEn: string, value?: unknown) =>
    new InputError([problem("plan.commitment", { zh, en, fixZh, fixEn }, { field, value })]);
  const c = (input ?? {}) as Record<string, unknown>;
  const kinds = opts.sealedAllowed ? "public-value 或 sha256" : "public-value";
  if (input === undefined || input === null)
    throw bad(
      "commitment",
      "冻结名录时必须同时公布种子承诺",
      "Freezing the pool needs a seed commitment, published with it",
      `填写 commitment：kind 为 ${kinds}。承诺使种子在名录公布前就已确定，任何人都无法在看到名录后挑选种子`,
      `Give commitment with kind ${opts.sealedAllowed ? "public-value or sha256" : "public-value"}: it fixes the seed before the pool is public, so nobody can pick a seed after seeing the pool`,
    );
  if (c.kind === "sha256") {
    if (!opts.sealedAllowed)
      throw bad(
        "commitment.kind",
        "名录已经公布，不能再承诺密封种子：现在选定的种子可以对照已公布的名录反复试算",
        "The pool is already public: a sealed seed chosen now could be tried against it, so it cannot be committed",
        "改用 public-value：写明一个尚未公布的公开值（如某期彩票开奖号码）及其公布日期",
        "Use public-value: name a value not yet published (e.g. a lottery draw) and the date it is published",
        c.kind,
      );
    const digest = typeof c.digest === "string" ? c.digest.trim() : "";
    if (!/^[0-9a-fA-F]{64}$/.test(digest))
      throw bad(
        "commitment.digest",
        "密封种子的摘要应为 64 位十六进制 SHA-256",
        "The sealed seed's digest must be a SHA-256 in 64 hex digits",
        "在本机计算种子的 SHA-256（如 printf '%s' '种子' | sha256sum），只提交摘要，种子本身密封保存至抽取",
        "Compute the seed's SHA-256 locally (e.g. printf '%s' 'seed' | sha256sum) and send only the digest; keep the seed sealed until the draw",
        c.digest,
      );
    return { kind: "sha256", digest: digest.toLowerCase() };
  }
  if (c.kind === "public-value") {
    const description = typeof c.description === "string" ? c.description.trim() : "";
    if (description.length < 4 || description.length > 200 || /[\x00-\x1f\x7f]/.test(description))
      throw bad(
        "commitment.description",
        "公开值的说明应为 4–200 个字符、不含控制字符",
        "The public value's description must be 4–200 characters without control characters",
        "写明来源、期号和录入格式，如“福彩3D 第2026339期开奖号码，三个数字以空格分隔”",
        "Name the source, the draw or date and how it is written, e.g. “福彩3D draw 2026339, three digits separated by spaces”",
        c.description,
      );
    const on = typeof c.availableOn === "string" ? c.availableOn : "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(on) || !isRealDate(on) || on <= today)
      throw bad(
        "commitment.availableOn",
        `公开值的公布日期 ${on || "（空）"} 应为今天（${today}）之后的日期`,
        `The date the value is published, ${on || "(empty)"}, must be after today (${today})`,
        "填写该值公布的日期（YYYY-MM-DD）：今天或更早公布的值此刻可能已经有人知道",
        "Give the date it is published (YYYY-MM-DD): a value published today or earlier may already be known",
        c.availableOn,
      );
    return { kind: "public-value", description, availableOn: on };
  }
  throw bad(
    "commitment.kind",
    `未知的承诺方式 ${String(c.kind)}`,
    `Unknown commitment kind ${String(c.kind)}`,
    `kind 为 ${kinds}`,
    `kind is ${opts.sealedAllowed ? "public-value or sha256" : "public-value"}`,
    c.kind,
  );
}

function assertManages(actor: Actor, plan: InspectionPlan): void {
  if (!mayManagePlan(actor, plan)) throw planNotFound(plan.id);
}

const CHUNK = 500;

/**
 * Freezes the pool: the subjects, strata, must-inspect and excluded lists are stored and the pool digest
 * published together with the seed commitment. From now on the pool cannot change, and the seed is fixed
 * (sealed, or a value nobody knows yet) without anyone having seen the pool.
 */
export async function freezePlan(store: Store, caller: Caller, id: string, commitmentInput: unknown) {
  const { actor } = caller;
  const plan = await getPlan(store, id, actor);
  assertManages(actor, plan);
  if (plan.status !== "draft") throw wrongStatus(plan, "draft", { zh: "冻结名录", en: "frozen" });
  const commitment = checkCommitmentInput(commitmentInput, chinaToday(), { sealedAllowed: true });
  const s = settingsOf(plan);
  const { candidates, sel } = await selectRounds(store, plan);
  const digest = poolDigest(poolFileBytes(sel.pool));
  const rows = [
    ...sel.pool.map((e) => ({
      plan_id: id,
      subject_code: e.code,
      stratum: e.stratum,
      part: "pool",
      note: null,
    })),
    ...sel.mustInspect.map((e) => ({
      plan_id: id,
      subject_code: e.code,
      stratum: e.stratum,
      part: "must",
      note: JSON.stringify({
        zh: e.lastInspected ? `上次检查 ${e.lastInspected}，已超过 ${s.floorYears} 年` : "从未检查",
        en: e.lastInspected
          ? `Last inspected ${e.lastInspected}, over ${s.floorYears} years ago`
          : "Never inspected",
      }),
    })),
    ...sel.excluded.map((e) => ({
      plan_id: id,
      subject_code: e.code,
      stratum: e.stratum,
      part: "excluded",
      note: JSON.stringify({ reason: e.reason, zh: e.zh, en: e.en }),
    })),
  ];
  const now = new Date().toISOString();
  await store.db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK)
      await tx
        .insertInto("inspection_pool")
        .values(rows.slice(i, i + CHUNK))
        .execute();
    const done = await tx
      .updateTable("inspection_plans")
      .set({
        status: "frozen",
        frozen_by: actor.name,
        frozen_at: now,
        pool_digest: digest,
        pool_size: sel.pool.length,
        seed_commitment: JSON.stringify(commitment),
        committed_at: now,
      })
      .where("id", "=", id)
      .where("status", "=", "draft")
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw wrongStatus(plan, "draft", { zh: "冻结名录", en: "frozen" });
    await audit(
      { ...store, db: tx },
      actor,
      "plan.freeze",
      `${id} ${digest} ${auditedCommitment(commitment)}`,
      "ok",
      caller.ip,
    );
  });
  return { plan: await getPlan(store, id), ...countsOf(s, candidates, sel) };
}

/**
 * A plan frozen before commitments existed (migration 008) records its commitment before it can be drawn: a
 * future public value only, since its pool is already public.
 */
export async function commitPlan(store: Store, actor: Actor, id: string, commitmentInput: unknown) {
  const plan = await getPlan(store, id, actor);
  assertManages(actor, plan);
  const doing = { zh: "补充种子承诺", en: "given a seed commitment" };
  if (plan.status !== "frozen") throw wrongStatus(plan, "frozen", doing);
  if (plan.seed_commitment) throw alreadyCommitted(plan);
  const commitment = checkCommitmentInput(commitmentInput, chinaToday(), { sealedAllowed: false });
  const done = await store.db
    .updateTable("inspection_plans")
    .set({ seed_commitment: JSON.stringify(commitment), committed_at: new Date().toISOString() })
    .where("id", "=", id)
    .where("status", "=", "frozen")
    .where("seed_commitment", "is", null)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw alreadyCommitted(plan);
  return getPlan(store, id);
}

const alreadyCommitted = (plan: InspectionPlan) =>
  new InputError(
    [
      problem(
        "plan.commitment_fixed",
        {
          zh: `计划 ${plan.id} 已公布种子承诺，承诺不能更改`,
          en: `Plan ${plan.id} has published its seed commitment; it cannot change`,
          fixZh: "按已公布的承诺录入种子并抽取",
          fixEn: "Draw with the seed the published commitment names",
        },
        { field: "commitment" },
      ),
    ],
    409,
  );

/** How the audit log names a seed commitment. */
export const auditedCommitment = (c: SeedCommitment | null) =>
  c?.kind === "sha256" ? `sha256:${c.digest}` : `public-value ${c?.availableOn}`;

/**
 * The seed must be the committed one: for a sealed seed its SHA-256 must be the published digest; for a public
 * value the draw waits for the day it is published (whether the seed is that value, anyone can check against
 * the named source — the platform cannot). A plan without a commitment cannot be drawn. Refusals are 422.
 */
function checkDrawSeed(plan: InspectionPlan, seed: string, today: string): void {
  const c = commitmentOf(plan);
  if (!c)
    throw new InputError(
      [
        problem(
          "draw.no_commitment",
          {
            zh: `计划 ${plan.id} 冻结时没有公布种子承诺，不能抽取`,
            en: `Plan ${plan.id} was frozen without a seed commitment; it cannot be drawn`,
            fixZh: "先补充承诺：写明一个尚未公布的公开值及其公布日期，到期后再以该值抽取",
            fixEn:
              "First record a commitment: a public value not yet published and its date; then draw with that value",
          },
          { field: "seed" },
        ),
      ],
      422,
    );
  if (c.kind === "public-value" && today < c.availableOn)
    throw new InputError(
      [
        problem(
          "draw.too_early",
          {
            zh: `承诺的公开值“${c.description}”在 ${c.availableOn} 公布，今天（${today}）不能抽取`,
            en: `The committed public value “${c.description}” is published on ${c.availableOn}; it cannot be drawn today (${today})`,
            fixZh: `${c.availableOn} 或之后，按公布的原样录入该值`,
            fixEn: `On or after ${c.availableOn}, enter the value exactly as published`,
          },
          { field: "seed" },
        ),
      ],
      422,
    );
  checkSeedCommitment(seed, c);
}

/** The frozen pool as stored, in pool-file order. */
export async function poolOf(store: Store, id: string): Promise<PoolEntry[]> {
  const rows = await store.db
    .selectFrom("inspection_pool")
    .select(["subject_code", "stratum"])
    .where("plan_id", "=", id)
    .where("part", "=", "pool")
    .execute();
  return rows.map((r) => ({ code: r.subject_code, stratum: r.stratum }));
}

/** The published pool file, rebuilt from the stored pool and checked against the published digest. */
export async function poolFile(store: Store, plan: InspectionPlan): Promise<Buffer> {
  if (!plan.pool_digest) throw wrongStatus(plan, "frozen", { zh: "下载名录", en: "downloaded" });
  const bytes = poolFileBytes(await poolOf(store, plan.id));
  if (poolDigest(bytes) !== plan.pool_digest)
    throw new Error(`pool of plan ${plan.id} no longer matches its published digest`);
  return bytes;
}

/** The ratios as `credit draw verify --ratios` takes them. */
export function ratiosArg(s: PlanSettings): string {
  return STRATA.map((g) => `${g}=${s.ratiosBp[g]}`).join(",");
}

/**
 * The draw: the seed is entered now (e.g. read aloud from a public lottery result in front of witnesses), after
 * the pool digest was published — and only the seed the commitment published with it names (checkDrawSeed), so
 * nobody can try seeds against the published pool and keep the one that suits them. Drawn subjects in ticket order, then the must-inspect ones in code order, each
 * with inspectors assigned from the same seed.
 */
export async function drawPlan(
  store: Store,
  caller: Caller,
  id: string,
  seed: string,
  opts: { today?: string } = {},
) {
  const { actor } = caller;
  const plan = await getPlan(store, id, actor);
  assertManages(actor, plan);
  if (plan.status !== "frozen") throw wrongStatus(plan, "frozen", { zh: "抽取", en: "drawn" });
  checkSeed(seed);
  checkDrawSeed(plan, seed, opts.today ?? chinaToday());
  const s = settingsOf(plan);
  const pool = await poolOf(store, id);
  if (poolDigest(poolFileBytes(pool)) !== plan.pool_digest)
    throw new Error(`pool of plan ${plan.id} no longer matches its published digest`);
  const { drawn } = drawPool(pool, seed, s.ratiosBp);
  const must = (
    await store.db
      .selectFrom("inspection_pool")
      .select(["subject_code", "stratum"])
      .where("plan_id", "=", id)
      .where("part", "=", "must")
      .execute()
  ).sort((a, b) => compareBytes(a.subject_code, b.subject_code));
  const tasks = [
    ...drawn.map((d) => ({
      code: d.code,
      stratum: d.stratum,
      kind: "random",
      ticket: d.ticket as string | null,
    })),
    ...must.map((m) => ({ code: m.subject_code, stratum: m.stratum, kind: "must", ticket: null })),
  ];
  const inspectors = (
    await listInspectors(store, { departments: oneDepartment(plan.department), status: "active" })
  ).map((i) => ({ id: i.id, department: i.department, qualifications: i.qualifications }));
  const assigned = assignInspectors(tasks, inspectors, await conflictsOf(store, plan.department), seed, {
    perSubject: s.inspectorsPerSubject,
    requiredQualifications: s.requiredQualifications,
  });
  const byCode = new Map(assigned.assignments.map((a) => [a.code, a.inspectorIds]));
  const why = new Map(assigned.unassigned.map((u) => [u.code, u.reason]));

  await store.db.transaction().execute(async (tx) => {
    const done = await tx
      .updateTable("inspection_plans")
      .set({
        status: "drawn",
        seed: seed,
        drawn_by: actor.name,
        drawn_at: new Date().toISOString(),
        algorithm: DRAW_ALGORITHM,
      })
      .where("id", "=", id)
      .where("status", "=", "frozen")
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw wrongStatus(plan, "frozen", { zh: "抽取", en: "drawn" });
    for (let i = 0; i < tasks.length; i += CHUNK) {
      const part = tasks.slice(i, i + CHUNK);
      const ids = await tx
        .insertInto("inspection_tasks")
        .values(
          part.map((t, k) => ({
            plan_id: id,
            seq: i + k + 1,
            subject_code: t.code,
            stratum: t.stratum,
            kind: t.kind,
            ticket: t.ticket,
            status: byCode.has(t.code) ? "assigned" : "unassigned",
            note: why.has(t.code) ? JSON.stringify(why.get(t.code)) : null,
          })),
        )
        .returning(["id", "subject_code"])
        .execute();
      const rows = ids.flatMap((r) =>
        (byCode.get(r.subject_code) ?? []).map((inspectorId, rank) => ({
          task_id: Number(r.id),
          inspector_id: inspectorId,
          rank: rank + 1,
        })),
      );
      for (let j = 0; j < rows.length; j += CHUNK)
        await tx
          .insertInto("inspection_assignments")
          .values(rows.slice(j, j + CHUNK))
          .execute();
    }
    await audit({ ...store, db: tx }, actor, "plan.draw", `${id} seed=${seed}`, "ok", caller.ip);
  });
  return {
    plan: await getPlan(store, id),
    drawn: drawn.length,
    mustInspect: must.length,
    unassigned: assigned.unassigned.length,
    load: assigned.load,
  };
}

export async function closePlan(store: Store, actor: Actor, id: string) {
  const plan = await getPlan(store, id, actor);
  assertManages(actor, plan);
  if (plan.status !== "drawn") throw wrongStatus(plan, "drawn", { zh: "结束", en: "closed" });
  await store.db
    .updateTable("inspection_plans")
    .set({ status: "closed", closed_at: new Date().toISOString() })
    .where("id", "=", id)
    .execute();
  return getPlan(store, id);
}
