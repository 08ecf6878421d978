import type { Actor } from "../src/core/auth/roles.ts";
import { decidingGrade } from "../src/core/measures/match.ts";
import { seedDigest } from "../src/core/sampling/draw.ts";
import { type Candidate, selectPool } from "../src/core/sampling/pool-rules.ts";
import { loadDemo } from "../src/demo/load.ts";
import { EVERY_DEPARTMENT } from "../src/policies/scope.ts";
import { catalog } from "../src/policy/load.ts";
import { createDemoAccounts } from "../src/services/auth/demo.ts";
import { prepareStore } from "../src/services/bootstrap.ts";
import { evaluate } from "../src/services/evaluate/run.ts";
import {
  directoryAt,
  draftPlan,
  drawPlan,
  freezePlan,
  type PlanInput,
  previewPlan,
  recordItems,
  settingsOf,
} from "../src/services/inspections/plans.ts";
import { listTasks, publicDrawn, publicPlan, publishedDraw } from "../src/services/inspections/tasks.ts";
import { openTestStore, type TestStore } from "../src/store/testing.ts";
import { machine } from "./measure.ts";

/**
 * Inspection plans on a demo city (issue 9, "one caller stalls everyone"): how long a plan's preview, freeze and
 * draw take, and — what matters to everyone else on the server — the longest time the event loop was held
 * (a 1 ms timer's longest gap) while they ran. The peer is the way it was done before: every INSPECTION record
 * of the city in one query and the pool rules over every candidate at once; and the public page's old join (a
 * find and a filter per task over a page of up to 100,000). Store: a temporary SQLite file, or PostgreSQL when
 * DATABASE_URL is a postgres URL. Options: --subjects N (50000).
 */
export async function run(args: string[]): Promise<void> {
  const i = args.indexOf("--subjects");
  const subjects = i >= 0 ? Number(args[i + 1]) : 50_000;
  const store = await openTestStore();
  const rows: string[] = [];
  try {
    console.error(`creating a ${subjects.toLocaleString("en")}-subject demo city (${store.engine})…`);
    await prepareStore(store, catalog());
    await loadDemo(store, { subjects, seed: "quanzhou" });
    await createDemoAccounts(store);
    await evaluate(store, catalog());
    const staff: Actor = {
      kind: "user",
      id: 1,
      name: "scjg",
      role: "dept_staff",
      department: "SCJG",
      subjectCode: null,
    };
    const plan = (input: Partial<PlanInput>) =>
      draftPlan(staff, { title: "bench", items: ["食品安全日常监督检查"], scope: {}, ...input }, ["public"]);
    const row = (what: string, r: Timed, note = "") => {
      const line = `| ${what} | ${r.seconds.toFixed(2)} | ${r.stallMs.toFixed(0)} | ${note} |`;
      rows.push(line);
      console.error(line);
    };

    const cases: [string, Partial<PlanInput>][] = [
      ["food divisions 14, 51, 52, 62", { scope: { divisions: ["14", "51", "52", "62"] } }],
      ["whole directory", {}],
    ];
    for (const [label, input] of cases) {
      const p = plan(input);
      const now = await timed(() => previewPlan(store, p));
      row(`preview, ${label}`, now, `${now.value.total.candidates.toLocaleString("en")} candidates`);
      const before = await timed(() => previewAsBefore(store, p));
      row(`peer: preview as before (one query, one pass), ${label}`, before, `${before.value} candidates`);
    }

    const p = plan({});
    await store.db.insertInto("inspection_plans").values(p).execute();
    const seed = "bench sealed seed";
    const frozen = await timed(() =>
      freezePlan(store, { actor: staff, ip: null }, p.id, { kind: "sha256", digest: seedDigest(seed) }),
    );
    row("freeze, whole directory", frozen, `pool ${frozen.value.total.pool.toLocaleString("en")}`);
    const drawn = await timed(() => drawPlan(store, { actor: staff, ip: null }, p.id, seed));
    row(
      "draw, whole directory",
      drawn,
      `${(drawn.value.drawn + drawn.value.mustInspect).toLocaleString("en")} tasks`,
    );

    const page = await timed(() => publicPlan(store, p.id));
    row("public page (plan, counts)", page);
    const total = page.value.drawnCount.random + page.value.drawnCount.must;
    const deep = await timed(() => publicDrawn(store, p.id, { limit: 20, offset: Math.max(0, total - 20) }));
    row("public page: last page of drawn subjects (20)", deep);
    const stored = await store.db
      .selectFrom("inspection_plans")
      .selectAll()
      .where("id", "=", p.id)
      .executeTakeFirstOrThrow();
    const text = await timed(() => publishedDraw(store, stored));
    row("draw.txt, first request", text, `${text.value.length.toLocaleString("en")} bytes`);
    row("draw.txt, again", await timed(() => publishedDraw(store, stored)));
    const old = await timed(() => publicPageAsBefore(store, p.id));
    row("peer: public page as before (every task, find/filter join)", old, `${old.value} tasks`);

    console.log(`\n### plan — ${machine()}, ${store.engine}, ${subjects.toLocaleString("en")} subjects\n`);
    console.log("| what | wall s | longest event-loop stall ms | note |\n|---|---:|---:|---|");
    for (const r of rows) console.log(r);
  } finally {
    await store.dispose();
  }
}

interface Timed<T = unknown> {
  value: T;
  seconds: number;
  stallMs: number;
}

/** Wall time of fn, and the longest gap between turns of a 1 ms timer while it ran. */
async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  let last = performance.now();
  let stall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  stall = Math.max(stall, performance.now() - last);
  clearInterval(timer);
  await new Promise((r) => setTimeout(r, 20));
  return { value, seconds, stallMs: stall };
}

/** The preview as it was: every INSPECTION record of the city in one query, the rules over all at once. */
async function previewAsBefore(store: TestStore, plan: ReturnType<typeof draftPlan>): Promise<number> {
  const s = settingsOf(plan);
  const dir = directoryAt(s.planDate);
  let q = store.db
    .selectFrom("subjects")
    .leftJoin("evaluations as p", (j) =>
      j
        .onRef("p.subject_code", "=", "subjects.code")
        .on("p.model_id", "=", "public")
        .on("p.is_current", "=", 1),
    )
    .select(["subjects.code", "subjects.registered_on", "p.grade"])
    .where("subjects.type", "in", dir.types)
    .where("subjects.status", "in", dir.statuses);
  if (s.scope.divisions?.length) q = q.where("subjects.industry_division", "in", s.scope.divisions);
  const rows = await q.execute();
  const records = await store.db
    .selectFrom("credit_records")
    .select(["subject_code", "department", "decision_date", "fields"])
    .where("category", "=", "INSPECTION")
    .where("is_current", "=", 1)
    .where("status", "=", "active")
    .where("decision_date", "<=", s.planDate)
    .execute();
  const history = new Map<string, Candidate["inspections"]>();
  for (const r of records) {
    const list = history.get(r.subject_code) ?? [];
    list.push({ date: r.decision_date, items: recordItems(r.fields), department: r.department });
    history.set(r.subject_code, list);
  }
  const candidates = rows.map((r) => ({
    code: r.code,
    stratum: decidingGrade(r.grade, r.grade),
    registeredOn: r.registered_on,
    inspections: history.get(r.code) ?? [],
  }));
  selectPool(
    candidates,
    {
      department: plan.department,
      items: s.items,
      frequencyCapPerYear: s.frequencyCapPerYear,
      floorYears: s.floorYears ?? 0,
      exclusionMonths: s.exclusionMonths ?? 0,
    },
    s.planDate,
  );
  return candidates.length;
}

/** The public page as it was: every task of the plan at once, each joined with a find and a filter. */
async function publicPageAsBefore(store: TestStore, planId: string): Promise<number> {
  const { items } = await listTasks(store, {
    planId,
    scope: { kind: "departments", departments: EVERY_DEPARTMENT },
    limit: 100_000,
    offset: 0,
  });
  const assignments = items.flatMap((t) => t.inspectors.map((x) => ({ task_id: t.id, ...x })));
  const results = items.filter((t) => t.result).map((t) => ({ task_id: t.id, ...t.result }));
  const joined = items.map((t) => ({
    t,
    result: results.find((r) => r.task_id === t.id),
    inspectors: assignments.filter((a) => a.task_id === t.id),
  }));
  return joined.length;
}
