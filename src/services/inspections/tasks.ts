/**
 * Inspection tasks and their results. A result is entered by an inspector assigned to the task (or by the
 * department on their behalf), becomes a credit record (INSPECTION, 监督检查结果) through the one ingest path —
 * which re-evaluates the subject — and is published on the plan's public page at once (一公开; the deadline of
 * policy/supervision/sampling.yaml is kept on the result). A correction is a new result and a new version of
 * the same record; nothing is deleted.
 */
import type {
  InspectionTask,
  Outcome,
  PlanSettings,
  PlanStatus,
  PublicDrawn,
  PublicPlan,
  ResultEntered,
  ResultInput,
  Stratum,
  TaskStatus,
} from "../../contract/inspection-plans.ts";
import type { Actor } from "../../core/auth/roles.ts";
import type { Catalog } from "../../core/catalog/types.ts";
import { pushTo } from "../../core/lists.ts";
import { InputError, notFoundError, problem } from "../../core/problem.ts";
import { addWorkingDays } from "../../core/sampling/working-days.ts";
import { isRealDate } from "../../core/scoring/dates.ts";
import { actsAsInspector, mayEnterResult, type TaskScope } from "../../policies/inspections.ts";
import type { DepartmentScope } from "../../policies/scope.ts";
import type { Store } from "../../store/db.ts";
import { paged } from "../../store/paged.ts";
import type {
  InspectionPlan,
  InspectionResult,
  InspectionTaskTable,
} from "../../store/schema-inspections.ts";
import { whereDepartment } from "../../store/where-department.ts";
import { audit } from "../auth/audit.ts";
import { chinaToday, ingest } from "../collect/ingest.ts";
import type { Caller } from "../command.ts";
import { reevaluateBatch } from "../evaluate/after-ingest.ts";
import { inspectorOfUser } from "./inspectors.ts";
import { breathe, commitmentOf, getPlan, planNotFound, STRATA, settingsOf } from "./plans.ts";

const taskNotFound = (id: number) =>
  notFoundError({
    zh: `检查任务 ${id} 不存在`,
    en: `Inspection task ${id} does not exist`,
    fixZh: "核对任务编号，或刷新任务列表",
    fixEn: "Check the task id or reload the task list",
  });

export interface TaskQuery {
  planId?: string | undefined;
  /** Whose tasks: an inspector's own, or the departments' (src/policies/inspections.ts visibleTasks). */
  scope: TaskScope;
  status?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * Rows by task id, each list in the order given. One pass over the rows and a Map, so that joining a page of n
 * tasks to their assignments and results costs O(n): the public page once looked each task's up with
 * find/filter over every row — O(n²), minutes of blocked server for a city-wide plan.
 */
export function byTask<T extends { task_id: number | string | bigint }>(
  rows: readonly T[],
): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) pushTo(out, Number(r.task_id), r);
  return out;
}

/** Tasks with the subject, the inspectors (lead first) and the current result. */
export async function listTasks(store: Store, q: TaskQuery) {
  let base = store.db
    .selectFrom("inspection_tasks")
    .innerJoin("inspection_plans", "inspection_plans.id", "inspection_tasks.plan_id");
  if (q.planId) base = base.where("inspection_tasks.plan_id", "=", q.planId);
  if (q.status) base = base.where("inspection_tasks.status", "=", q.status);
  if (q.scope.kind === "departments")
    base = base.where(whereDepartment(q.scope.departments, "inspection_plans.department"));
  else {
    const inspectorId = q.scope.inspectorId;
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom("inspection_assignments")
          .select("inspection_assignments.task_id")
          .whereRef("inspection_assignments.task_id", "=", "inspection_tasks.id")
          .where("inspection_assignments.inspector_id", "=", inspectorId),
      ),
    );
  }
  const { items: rows, total } = await paged(base, q, (base) =>
    base
      .leftJoin("subjects", "subjects.code", "inspection_tasks.subject_code")
      .select([
        "inspection_tasks.id",
        "inspection_tasks.plan_id",
        "inspection_tasks.seq",
        "inspection_tasks.subject_code",
        "inspection_tasks.stratum",
        "inspection_tasks.kind",
        "inspection_tasks.ticket",
        "inspection_tasks.status",
        "inspection_tasks.note",
        "inspection_plans.title",
        "inspection_plans.department",
        "inspection_plans.settings",
        "subjects.name",
        "subjects.region",
      ])
      .orderBy("inspection_tasks.plan_id")
      .orderBy("inspection_tasks.seq"),
  );
  const ids = rows.map((r) => Number(r.id));
  const [assignments, results] = ids.length
    ? await Promise.all([
        store.db
          .selectFrom("inspection_assignments")
          .innerJoin("inspectors", "inspectors.id", "inspection_assignments.inspector_id")
          .select([
            "inspection_assignments.task_id",
            "inspection_assignments.rank",
            "inspectors.id",
            "inspectors.name",
          ])
          .where("inspection_assignments.task_id", "in", ids)
          .orderBy("inspection_assignments.rank")
          .execute(),
        store.db
          .selectFrom("inspection_results")
          .selectAll()
          .where("task_id", "in", ids)
          .where("is_current", "=", 1)
          .execute(),
      ])
    : [[], []];
  return { total, items: taskItems(rows, assignments, results) };
}

/** A task row as listTasks reads it. */
export interface TaskRow extends Omit<InspectionTaskTable, "id"> {
  id: number | string;
  title: string;
  department: string;
  settings: string;
  name: string | null;
  region: string | null;
}

/**
 * The tasks of a page with their inspectors (lead first) and current result: each list is read once into a Map
 * (byTask), never searched per task.
 */
export function taskItems(
  rows: readonly TaskRow[],
  assignments: readonly { task_id: number | string; rank: number; id: string; name: string }[],
  results: readonly Omit<InspectionResult, "id" | "plan_id" | "subject_code" | "is_current">[],
): InspectionTask[] {
  const inspectorsOf = byTask(assignments);
  const resultOf = byTask(results);
  const items = new Map<string, string[]>();
  return rows.map((r) => {
    const id = Number(r.id);
    const res = resultOf.get(id)?.[0];
    // Plans repeat across a page: their settings are parsed once.
    let planItems = items.get(r.plan_id);
    if (!planItems) {
      planItems = (JSON.parse(r.settings) as PlanSettings).items;
      items.set(r.plan_id, planItems);
    }
    return {
      id,
      planId: r.plan_id,
      planTitle: r.title,
      department: r.department,
      items: planItems,
      seq: r.seq,
      subjectCode: r.subject_code,
      subjectName: r.name,
      region: r.region,
      stratum: r.stratum as Stratum,
      kind: r.kind as InspectionTask["kind"],
      ticket: r.ticket,
      status: r.status as TaskStatus,
      note: r.note ? (JSON.parse(r.note) as { zh: string; en: string }) : null,
      inspectors: (inspectorsOf.get(id) ?? []).map((a) => ({ id: a.id, name: a.name, rank: a.rank })),
      result: res
        ? {
            outcome: res.outcome as Outcome,
            inspectedOn: res.inspected_on,
            problems: res.problems,
            followUp: res.follow_up,
            enteredBy: res.entered_by,
            enteredAt: res.entered_at,
            publishBy: res.publish_by,
            recordDocNo: res.record_doc_no,
          }
        : null,
    };
  });
}

async function taskOf(store: Store, id: number) {
  const t = await store.db.selectFrom("inspection_tasks").selectAll().where("id", "=", id).executeTakeFirst();
  if (!t) throw taskNotFound(id);
  return t;
}

/** Whether the actor may enter the task's result (src/policies/inspections.ts mayEnterResult decides). */
async function mayEnter(store: Store, actor: Actor, taskId: number, department: string): Promise<boolean> {
  let assignedToMe = false;
  if (actsAsInspector(actor)) {
    const me = await inspectorOfUser(store, actor.id);
    assignedToMe =
      me !== undefined &&
      (await store.db
        .selectFrom("inspection_assignments")
        .select("task_id")
        .where("task_id", "=", taskId)
        .where("inspector_id", "=", me.id)
        .executeTakeFirst()) !== undefined;
  }
  return mayEnterResult(actor, { department, assignedToMe });
}

/**
 * Enters (or corrects) a task's result: stored, turned into the subject's INSPECTION record, and the subject
 * re-evaluated. Returns the subject's grades after.
 */
export async function enterResult(
  store: Store,
  catalog: Catalog,
  caller: Caller,
  taskId: number,
  input: ResultInput,
  opts: { today?: string; rejectsDir?: string } = {},
) {
  const { actor } = caller;
  const task = await taskOf(store, taskId);
  const plan = await getPlan(store, task.plan_id);
  if (!(await mayEnter(store, actor, taskId, plan.department))) throw taskNotFound(taskId);
  const today = opts.today ?? chinaToday();
  const problems = [];
  if (plan.status !== "drawn")
    problems.push(
      problem(
        "result.plan_status",
        {
          zh: `计划 ${plan.id} 未处于“已抽取”状态，不能录入结果`,
          en: `Plan ${plan.id} is not drawn; results cannot be entered`,
          fixZh: "结束的计划不再接受结果；请联系计划负责人",
          fixEn: "A closed plan takes no more results; contact the plan's owner",
        },
        { field: "planId", value: plan.status },
      ),
    );
  const drawnOn = plan.drawn_at?.slice(0, 10) ?? today;
  if (!isRealDate(input.inspectedOn) || input.inspectedOn > today || input.inspectedOn < drawnOn)
    problems.push(
      problem(
        "result.date",
        {
          zh: `检查日期 ${input.inspectedOn} 无效：应在抽取日 ${drawnOn} 与今天 ${today} 之间`,
          en: `Inspection date ${input.inspectedOn} is invalid: it must lie between the draw (${drawnOn}) and today (${today})`,
          fixZh: "填写实际检查日期（YYYY-MM-DD）",
          fixEn: "Enter the actual inspection date (YYYY-MM-DD)",
        },
        { field: "inspectedOn", value: input.inspectedOn },
      ),
    );
  if (input.outcome !== "pass" && !input.problems)
    problems.push(
      problem(
        "result.problems",
        {
          zh: "检查发现问题或不合格时，须填写发现的问题",
          en: "Describe the problems found when the outcome is not a pass",
          fixZh: "在“发现问题”中逐条写明问题及依据",
          fixEn: "List the problems found and their basis under Problems",
        },
        { field: "problems" },
      ),
    );
  if (problems.length > 0) throw new InputError(problems);

  const settings = settingsOf(plan);
  const docNo = `${plan.id}-${String(task.seq).padStart(5, "0")}`;
  const content = [input.problems, input.followUp ? `后续处理：${input.followUp}` : ""]
    .filter(Boolean)
    .join("；");
  const ingested = await ingest(
    store,
    catalog,
    [
      [
        {
          row: 1,
          raw: {
            category: "INSPECTION",
            subject_code: task.subject_code,
            doc_no: docNo,
            decision_date: input.inspectedOn,
            result: input.outcome,
            items: settings.items.join("；"),
            ...(content ? { content } : {}),
          },
        },
      ],
    ],
    {
      channel: "rest",
      submitter: actor.name,
      department: plan.department,
      today,
      ...(opts.rejectsDir ? { rejectsDir: opts.rejectsDir } : {}),
    },
  );
  if (ingested.status !== "committed") throw new InputError(ingested.problems);
  const now = new Date().toISOString();
  await store.db.transaction().execute(async (tx) => {
    await tx
      .updateTable("inspection_results")
      .set({ is_current: 0 })
      .where("task_id", "=", taskId)
      .where("is_current", "=", 1)
      .execute();
    await tx
      .insertInto("inspection_results")
      .values({
        task_id: taskId,
        plan_id: plan.id,
        subject_code: task.subject_code,
        outcome: input.outcome,
        problems: input.problems ?? null,
        follow_up: input.followUp ?? null,
        inspected_on: input.inspectedOn,
        record_doc_no: docNo,
        is_current: 1,
        entered_by: actor.name,
        entered_at: now,
        publish_by: addWorkingDays(input.inspectedOn, settings.publishWithinWorkingDays),
      })
      .execute();
    await tx.updateTable("inspection_tasks").set({ status: "done" }).where("id", "=", taskId).execute();
    await audit({ ...store, db: tx }, actor, "inspection.result", `${taskId} ${docNo}`, "ok", caller.ip);
  });
  await reevaluateBatch(store, catalog, ingested);
  const grades = await store.db
    .selectFrom("evaluations")
    .select(["model_id", "score", "grade"])
    .where("subject_code", "=", task.subject_code)
    .where("is_current", "=", 1)
    .execute();
  return {
    taskId,
    docNo,
    subjectCode: task.subject_code,
    grades: grades.map((g) => ({
      modelId: g.model_id,
      score: Number(g.score),
      grade: g.grade as ResultEntered["grades"][number]["grade"],
    })),
  };
}

/**
 * Is the grading working? Per stratum: tasks, inspections done, and the share of them that found problems
 * (outcome problems or fail). The random part only (must-inspect subjects are not a random sample), so the
 * control sample of good grades is compared on equal terms.
 */
export async function planStats(store: Store, opts: { planId?: string; departments: DepartmentScope }) {
  let q = store.db
    .selectFrom("inspection_tasks")
    .innerJoin("inspection_plans", "inspection_plans.id", "inspection_tasks.plan_id")
    .leftJoin("inspection_results", (j) =>
      j
        .onRef("inspection_results.task_id", "=", "inspection_tasks.id")
        .on("inspection_results.is_current", "=", 1),
    )
    .select([
      "inspection_tasks.stratum",
      "inspection_results.outcome",
      (eb) => eb.fn.countAll<number>().as("n"),
    ])
    .where("inspection_tasks.kind", "=", "random")
    .groupBy(["inspection_tasks.stratum", "inspection_results.outcome"]);
  if (opts.planId) q = q.where("inspection_tasks.plan_id", "=", opts.planId);
  q = q.where(whereDepartment(opts.departments, "inspection_plans.department"));
  const rows = await q.execute();
  return STRATA.map((stratum) => {
    const of = rows.filter((r) => r.stratum === stratum);
    const tasks = of.reduce((a, r) => a + Number(r.n), 0);
    const done = of.filter((r) => r.outcome !== null).reduce((a, r) => a + Number(r.n), 0);
    const withProblems = of
      .filter((r) => r.outcome === "problems" || r.outcome === "fail")
      .reduce((a, r) => a + Number(r.n), 0);
    return { stratum, tasks, done, withProblems, problemRate: done > 0 ? withProblems / done : null };
  });
}

function publishedPlan(plan: InspectionPlan): InspectionPlan {
  if (plan.status === "draft") throw planNotFound(plan.id);
  return plan;
}

/**
 * What the public page of a plan shows (一公开): parameters, digest, seed commitment, seed and how many subjects
 * were drawn. The drawn subjects themselves come a page at a time (publicDrawn) or as one published file
 * (publishedDraw): a plan over a whole city draws tens of thousands, and this answer stays the same small size.
 */
export async function publicPlan(store: Store, id: string): Promise<PublicPlan> {
  const plan = publishedPlan(await getPlan(store, id));
  const s = settingsOf(plan);
  const kinds =
    plan.status === "frozen"
      ? []
      : await store.db
          .selectFrom("inspection_tasks")
          .select(["kind", (eb) => eb.fn.countAll<number>().as("n")])
          .where("plan_id", "=", id)
          .groupBy("kind")
          .execute();
  const count = (k: string) => Number(kinds.find((x) => x.kind === k)?.n ?? 0);
  return {
    id: plan.id,
    department: plan.department,
    title: plan.title,
    status: plan.status as PlanStatus,
    items: s.items,
    planDate: s.planDate,
    ratiosBp: s.ratiosBp,
    ratios: STRATA.map((g) => `${g}=${s.ratiosBp[g]}`).join(","),
    poolDigest: plan.pool_digest,
    poolSize: plan.pool_size,
    frozenAt: plan.frozen_at,
    /** Null only for a plan frozen before commitments existed (decision 12). */
    seedCommitment: commitmentOf(plan),
    committedAt: plan.committed_at,
    seed: plan.seed,
    drawnAt: plan.drawn_at,
    algorithm: plan.algorithm,
    drawnCount: { random: count("random"), must: count("must") },
  };
}

/**
 * One page of a plan's drawn subjects in published order (seq), with their current results. Tasks are numbered
 * 1…n without gaps when drawn, so a page is the seq range (offset, offset + limit] — read through the
 * (plan_id, seq) index, however deep the page.
 */
export async function publicDrawn(
  store: Store,
  id: string,
  page: { limit: number; offset: number },
): Promise<{ total: number; items: PublicDrawn[] }> {
  const plan = publishedPlan(await getPlan(store, id));
  if (plan.status === "frozen") return { total: 0, items: [] };
  const [total, rows] = await Promise.all([
    store.db
      .selectFrom("inspection_tasks")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("plan_id", "=", id)
      .executeTakeFirstOrThrow(),
    store.db
      .selectFrom("inspection_tasks")
      .leftJoin("subjects", "subjects.code", "inspection_tasks.subject_code")
      .select([
        "inspection_tasks.id",
        "inspection_tasks.seq",
        "inspection_tasks.subject_code",
        "inspection_tasks.stratum",
        "inspection_tasks.kind",
        "inspection_tasks.ticket",
        "subjects.name",
      ])
      .where("inspection_tasks.plan_id", "=", id)
      .where("inspection_tasks.seq", ">", page.offset)
      .where("inspection_tasks.seq", "<=", page.offset + page.limit)
      .orderBy("inspection_tasks.seq")
      .execute(),
  ]);
  const ids = rows.map((r) => Number(r.id));
  const results = byTask(
    ids.length
      ? await store.db
          .selectFrom("inspection_results")
          .select(["task_id", "outcome", "inspected_on", "problems"])
          .where("task_id", "in", ids)
          .where("is_current", "=", 1)
          .execute()
      : [],
  );
  return {
    total: Number(total.n),
    items: rows.map((t) => {
      const r = results.get(Number(t.id))?.[0];
      return {
        seq: t.seq,
        code: t.subject_code,
        name: t.name,
        stratum: t.stratum as Stratum,
        kind: t.kind as PublicDrawn["kind"],
        ticket: t.ticket,
        result: r
          ? { outcome: r.outcome as Outcome, inspectedOn: r.inspected_on, problems: r.problems }
          : null,
      };
    }),
  };
}

/** Tasks read per query while writing the published draw (with a pause between reads). */
const DRAW_TEXT_CHUNK = 5000;
/** Published draws kept in memory, per store: at most this many bytes (a 160,000-subject draw is ~3 MB). */
const DRAW_TEXT_CACHE_BYTES = 64 * 2 ** 20;
interface DrawTextCache {
  done: Map<string, Buffer>;
  bytes: number;
  building: Map<string, Promise<Buffer>>;
}
const drawTexts = new WeakMap<Store, DrawTextCache>();

/**
 * The published draw exactly as `credit draw verify` (and docs/verify_draw.py) print it: the pool digest, then
 * the randomly drawn codes in ticket order, one a line — so anyone compares the two files byte for byte. A draw
 * never changes once made, so the bytes are built once (in rounds, pausing between them) and kept; callers
 * asking while it is being built wait for the same build.
 */
export async function publishedDraw(store: Store, plan: InspectionPlan): Promise<Buffer> {
  if (!plan.seed || !plan.pool_digest)
    throw new InputError(
      [
        problem("plan.not_drawn", {
          zh: `计划 ${plan.id} 尚未抽取，没有抽取结果`,
          en: `Plan ${plan.id} has not been drawn yet; there is no result`,
          fixZh: "抽取后再下载；名录文件和摘要已可下载",
          fixEn: "Download it after the draw; the pool file and its digest are available now",
        }),
      ],
      409,
    );
  const c = drawTexts.get(store) ?? { done: new Map(), bytes: 0, building: new Map() };
  drawTexts.set(store, c);
  const key = `${plan.id}\n${plan.seed}`;
  const hit = c.done.get(key) ?? c.building.get(key);
  if (hit) return hit;
  const built = buildDrawText(store, plan.id, plan.pool_digest).finally(() => c.building.delete(key));
  c.building.set(key, built);
  const bytes = await built;
  if (!c.done.has(key)) {
    c.done.set(key, bytes);
    c.bytes += bytes.length;
    // Oldest out first while over the budget (a Map keeps insertion order).
    for (const [k, b] of c.done) {
      if (c.bytes <= DRAW_TEXT_CACHE_BYTES) break;
      c.done.delete(k);
      c.bytes -= b.length;
    }
  }
  return bytes;
}

async function buildDrawText(store: Store, planId: string, digest: string): Promise<Buffer> {
  const lines = [digest];
  for (let from = 0; ; from += DRAW_TEXT_CHUNK) {
    const rows = await store.db
      .selectFrom("inspection_tasks")
      .select(["subject_code", "kind"])
      .where("plan_id", "=", planId)
      .where("seq", ">", from)
      .where("seq", "<=", from + DRAW_TEXT_CHUNK)
      .orderBy("seq")
      .execute();
    for (const r of rows) if (r.kind === "random") lines.push(r.subject_code);
    // Random tasks come first (seq in ticket order), then the must-inspect ones: stop at the first of those.
    if (rows.length < DRAW_TEXT_CHUNK || rows.some((r) => r.kind !== "random")) break;
    await breathe();
  }
  return Buffer.from(`${lines.join("\n")}\n`, "utf8");
}
