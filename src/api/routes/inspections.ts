/**
 * Graded random inspections (双随机、一公开): the inspector and inspection-object directories, plans (define,
 * preview, freeze the pool, draw with a seed, close), inspectors' tasks and results, the "is grading working"
 * statistics, and the public pages of plans with their pool files for anyone to verify the draw.
 */

import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { fileResponse, pagingQuery } from "../../contract/common.ts";
import {
  CommitmentBody,
  DrawBody,
  DrawnPlanSchema,
  FrozenPlanSchema,
  InspectionPlanDetailSchema,
  InspectionPlanPageSchema,
  InspectionPlanSchema,
  InspectionStatsQuery,
  InspectionStatsSchema,
  InspectionTaskPageSchema,
  PlanCountsSchema,
  PlanInputSchema,
  PlanListQuery,
  PlanParams,
  PlanStatsSchema,
  PublicDrawnPageSchema,
  PublicPlanPageSchema,
  PublicPlanSchema,
  ResultEnteredSchema,
  ResultInputSchema,
  TaskListQuery,
  TaskParams,
} from "../../contract/inspection-plans.ts";
import {
  ConflictBody,
  ConflictDeclaredSchema,
  ConflictParams,
  InspectionObjectPageSchema,
  InspectionObjectQuery,
  InspectorBody,
  InspectorListQuery,
  InspectorListSchema,
  InspectorParams,
  InspectorPatchBody,
  InspectorSchema,
  OkSchema,
  SamplingDefaultsQuery,
  SamplingDefaultsSchema,
} from "../../contract/inspections.ts";
import { InputError } from "../../core/problem.ts";
import { seedDigest } from "../../core/sampling/draw.ts";
import {
  actsAsInspector,
  visibleInspectors,
  visiblePlans,
  visibleTasks,
} from "../../policies/inspections.ts";
import { EVERY_DEPARTMENT } from "../../policies/scope.ts";
import { samplingPolicyAt } from "../../policy/sampling.ts";
import { audit } from "../../services/auth/audit.ts";
import { chinaToday } from "../../services/collect/ingest.ts";
import {
  changeInspector,
  closeInspectionPlan,
  commitInspectionPlanSeed,
  createInspectionPlan,
  declareInspectorConflict,
  drawInspectionPlan,
  enterInspectionResult,
  freezeInspectionPlan,
  registerInspector,
  withdrawInspectorConflict,
} from "../../services/inspections/commands.ts";
import { inspectorOfUser, listInspectors } from "../../services/inspections/inspectors.ts";
import {
  defaultSettings,
  directoryAt,
  draftPlan,
  getPlan,
  listPlans,
  planNotFound,
  poolFile,
  previewPlan,
  ratiosArg,
  settingsOf,
} from "../../services/inspections/plans.ts";
import {
  listTasks,
  planStats,
  publicDrawn,
  publicPlan,
  publishedDraw,
} from "../../services/inspections/tasks.ts";
import { currentModelSet } from "../../services/models/versions.ts";
import { containsText } from "../../store/like.ts";
import { callerOf } from "../caller.ts";
import type { AppContext } from "../context.ts";
import { operations } from "../operation.ts";
import { presentInspectionObject } from "../presenters/inspection-object.ts";
import { presentPlan, presentPublicPlanSummary } from "../presenters/inspection-plan.ts";

const inspectionsOp = operations(["inspections"]);
const publicOp = operations(["public"]);

export const inspectionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { store, catalog } = ctx;
    const modelIds = async () => (await currentModelSet(store, catalog)).all.map((m) => m.id);

    // ---- 执法检查人员名录库 ----
    app.get(
      "/inspectors",
      inspectionsOp("inspections.read", "执法检查人员名录 Inspector directory", {
        querystring: InspectorListQuery,
        response: { 200: InspectorListSchema },
      }),
      async (req) => ({
        items: await listInspectors(store, {
          departments: visibleInspectors(req.actor, req.query.department),
          status: req.query.status,
        }),
      }),
    );

    app.post(
      "/inspectors",
      inspectionsOp("inspectors.manage", "登记执法检查人员 Register an inspector", {
        body: InspectorBody,
        response: { 201: InspectorSchema },
      }),
      async (req, reply) => {
        return reply.status(201).send(await registerInspector(store, callerOf(req), req.body));
      },
    );

    app.patch(
      "/inspectors/:id",
      inspectionsOp(
        "inspectors.manage",
        "修改执法检查人员（停用而不删除）Update an inspector (deactivate, never delete)",
        { params: InspectorParams, body: InspectorPatchBody, response: { 200: InspectorSchema } },
      ),
      async (req) => {
        return changeInspector(store, callerOf(req), req.params.id, req.body);
      },
    );

    app.post(
      "/inspectors/:id/conflicts",
      inspectionsOp("inspectors.conflicts", "声明回避 Declare a conflict of interest", {
        params: InspectorParams,
        body: ConflictBody,
        response: { 201: ConflictDeclaredSchema },
      }),
      async (req, reply) => {
        const id = await declareInspectorConflict(store, callerOf(req), req.params.id, req.body);
        return reply.status(201).send({ id });
      },
    );

    app.post(
      "/inspector-conflicts/:id/withdraw",
      inspectionsOp("inspectors.manage", "撤回回避声明 Withdraw a conflict declaration", {
        params: ConflictParams,
        response: { 200: OkSchema },
      }),
      async (req) => {
        await withdrawInspectorConflict(store, callerOf(req), req.params.id);
        return { ok: true as const };
      },
    );

    // ---- 检查对象名录库 ----
    app.get(
      "/inspection-objects",
      inspectionsOp(
        "inspections.read",
        "检查对象名录 Inspection-object directory (subjects with their grade)",
        { querystring: InspectionObjectQuery, response: { 200: InspectionObjectPageSchema } },
      ),
      async (req) => {
        const dir = directoryAt(chinaToday());
        const { q, section, region, grade, limit, offset } = req.query;
        let base = store.db
          .selectFrom("subjects")
          .leftJoin("evaluations", (j) =>
            j
              .onRef("evaluations.subject_code", "=", "subjects.code")
              .on("evaluations.model_id", "=", "public")
              .on("evaluations.is_current", "=", 1),
          )
          .where("subjects.type", "in", dir.types)
          .where("subjects.status", "in", dir.statuses);
        if (q)
          base = base.where((eb) => eb.or([containsText("subjects.name", q), eb("subjects.code", "=", q)]));
        if (section) base = base.where("subjects.industry_section", "=", section);
        if (region) base = base.where("subjects.region", "=", region);
        if (grade === "NR")
          base = base.where((eb) =>
            eb.or([eb("evaluations.grade", "is", null), eb("evaluations.grade", "=", "NR")]),
          );
        else if (grade) base = base.where("evaluations.grade", "=", grade);
        const [rows, total] = await Promise.all([
          base
            .select([
              "subjects.code",
              "subjects.name",
              "subjects.type",
              "subjects.region",
              "subjects.industry_section",
              "subjects.industry_division",
              "evaluations.grade",
              "evaluations.score",
            ])
            .orderBy("subjects.code")
            .limit(limit)
            .offset(offset)
            .execute(),
          base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
        ]);
        return {
          total: Number(total.n),
          items: rows.map(presentInspectionObject),
        };
      },
    );

    // ---- plans ----
    app.get(
      "/sampling/defaults",
      inspectionsOp("inspections.read", "抽查默认参数（按日期）Sampling defaults in force on a date", {
        querystring: SamplingDefaultsQuery,
        response: { 200: SamplingDefaultsSchema },
      }),
      async (req) => {
        const date = req.query.date ?? chinaToday();
        return {
          ...defaultSettings(date),
          minRatioBp: samplingPolicyAt(date).minRatioBp,
          // The inspection-object directory: the subject types a plan may narrow to.
          directoryTypes: directoryAt(date).types,
        };
      },
    );

    app.get(
      "/inspection-plans",
      inspectionsOp("inspections.read", "抽查计划 Inspection plans", {
        querystring: PlanListQuery,
        response: { 200: InspectionPlanPageSchema },
      }),
      async (req) => {
        const r = await listPlans(store, {
          departments: visiblePlans(req.actor, req.query.department),
          limit: req.query.limit,
          offset: req.query.offset,
        });
        return { total: r.total, items: r.items.map(presentPlan) };
      },
    );

    app.post(
      "/inspection-plans/preview",
      inspectionsOp("inspections.manage", "计划预览：各等级名录数与抽取数 Preview counts per grade", {
        body: PlanInputSchema,
        response: { 200: PlanCountsSchema },
      }),
      async (req) => previewPlan(store, draftPlan(req.actor, req.body, await modelIds())),
    );

    app.post(
      "/inspection-plans",
      inspectionsOp("inspections.manage", "新建抽查计划 Create an inspection plan", {
        body: PlanInputSchema,
        response: { 201: InspectionPlanSchema },
      }),
      async (req, reply) => {
        const plan = await createInspectionPlan(store, callerOf(req), req.body, await modelIds());
        return reply.status(201).send(presentPlan(plan));
      },
    );

    app.get(
      "/inspection-plans/:id",
      inspectionsOp("inspections.read", "抽查计划详情 A plan", {
        params: PlanParams,
        response: { 200: InspectionPlanDetailSchema },
      }),
      async (req) => {
        const plan = await getPlan(store, req.params.id, req.actor);
        return { ...presentPlan(plan), ratios: ratiosArg(settingsOf(plan)) };
      },
    );

    app.get(
      "/inspection-plans/:id/preview",
      inspectionsOp("inspections.read", "计划的各等级计数 Counts per grade of a plan", {
        params: PlanParams,
        response: { 200: PlanCountsSchema },
      }),
      async (req) => previewPlan(store, await getPlan(store, req.params.id, req.actor)),
    );

    app.post(
      "/inspection-plans/:id/freeze",
      inspectionsOp(
        "inspections.manage",
        "冻结检查对象名录，公布摘要和种子承诺 Freeze the pool, publish its digest and the seed commitment",
        { params: PlanParams, body: CommitmentBody, response: { 200: FrozenPlanSchema } },
      ),
      async (req) => {
        const { plan, strata, total } = await freezeInspectionPlan(
          store,
          callerOf(req),
          req.params.id,
          req.body?.commitment,
        );
        return { ...presentPlan(plan), strata, total };
      },
    );

    app.post(
      "/inspection-plans/:id/commitment",
      inspectionsOp(
        "inspections.manage",
        "为承诺规则前冻结的计划补充种子承诺（仅未来公开值）Commit the seed of a plan frozen before commitments existed (public value only)",
        { params: PlanParams, body: CommitmentBody, response: { 200: InspectionPlanSchema } },
      ),
      async (req) => {
        return presentPlan(
          await commitInspectionPlanSeed(store, callerOf(req), req.params.id, req.body?.commitment),
        );
      },
    );

    app.post(
      "/inspection-plans/:id/draw",
      inspectionsOp("inspections.manage", "录入承诺的种子并抽取 Enter the committed seed and draw", {
        params: PlanParams,
        body: DrawBody,
        response: { 200: DrawnPlanSchema },
      }),
      async (req) => {
        try {
          const { plan, ...made } = await drawInspectionPlan(
            store,
            callerOf(req),
            req.params.id,
            req.body.seed,
          );
          return { ...presentPlan(plan), ...made };
        } catch (e) {
          // A refused seed is on record: who tried which seed (by its digest: a near miss of a sealed seed
          // stays sealed) and why.
          if (e instanceof InputError && e.status === 422)
            await audit(
              store,
              req.actor,
              "plan.draw",
              `${req.params.id} refused ${e.problems[0]?.code} seed-sha256=${seedDigest(req.body.seed)}`,
              "failed",
              req.ip,
            );
          throw e;
        }
      },
    );

    app.post(
      "/inspection-plans/:id/close",
      inspectionsOp("inspections.manage", "结束计划 Close a plan", {
        params: PlanParams,
        response: { 200: InspectionPlanSchema },
      }),
      async (req) => {
        return presentPlan(await closeInspectionPlan(store, callerOf(req), req.params.id));
      },
    );

    app.get(
      "/inspection-plans/:id/stats",
      inspectionsOp("inspections.read", "各等级问题发现率 Problems found per grade", {
        params: PlanParams,
        response: { 200: PlanStatsSchema },
      }),
      async (req) => {
        const plan = await getPlan(store, req.params.id, req.actor);
        return {
          planId: plan.id,
          strata: await planStats(store, { planId: plan.id, departments: EVERY_DEPARTMENT }),
        };
      },
    );

    app.get(
      "/inspection-stats",
      inspectionsOp(
        "inspections.read",
        "分级是否有效：全部计划各等级问题发现率 Is grading working: problems found per grade",
        { querystring: InspectionStatsQuery, response: { 200: InspectionStatsSchema } },
      ),
      async (req) => {
        const departments = visiblePlans(req.actor, req.query.department);
        return {
          department: departments.kind === "one" ? departments.department : null,
          strata: await planStats(store, { departments }),
        };
      },
    );

    // ---- tasks and results ----
    app.get(
      "/inspection-tasks",
      inspectionsOp(
        "inspections.read",
        "检查任务（执法人员只见自己的任务）Inspection tasks (an inspector sees their own)",
        { querystring: TaskListQuery, response: { 200: InspectionTaskPageSchema } },
      ),
      async (req) => {
        const { planId, status, limit, offset } = req.query;
        const me = actsAsInspector(req.actor) ? await inspectorOfUser(store, req.actor.id) : undefined;
        const tasks = await listTasks(store, {
          planId,
          status,
          scope: visibleTasks(req.actor, me),
          limit,
          offset,
        });
        return actsAsInspector(req.actor) ? { ...tasks, inspector: me?.id ?? null } : tasks;
      },
    );

    app.post(
      "/inspection-tasks/:id/result",
      inspectionsOp(
        "inspections.results",
        "录入检查结果（生成信用记录并重新评价）Enter a result (becomes a credit record, re-evaluates)",
        { params: TaskParams, body: ResultInputSchema, response: { 200: ResultEnteredSchema } },
      ),
      async (req) => {
        return enterInspectionResult(store, catalog, callerOf(req), req.params.id, req.body, {
          rejectsDir: `${ctx.dataDir}/rejects`,
        });
      },
    );

    // ---- 一公开: public pages ----
    app.get(
      "/public/inspection-plans",
      publicOp("public", "公开的抽查计划 Published inspection plans", {
        querystring: z.object(pagingQuery()),
        response: { 200: PublicPlanPageSchema },
      }),
      async (req) => {
        const r = await listPlans(store, {
          departments: EVERY_DEPARTMENT,
          publicOnly: true,
          limit: req.query.limit,
          offset: req.query.offset,
        });
        return { total: r.total, items: r.items.map(presentPublicPlanSummary) };
      },
    );

    app.get(
      "/public/inspection-plans/:id",
      publicOp("public", "抽查计划公示 A plan's public page", {
        params: PlanParams,
        response: { 200: PublicPlanSchema },
      }),
      async (req) => publicPlan(store, req.params.id),
    );

    app.get(
      "/public/inspection-plans/:id/drawn",
      publicOp(
        "public",
        "抽中的检查对象及检查结果（分页，按公布顺序）Drawn subjects and their results, a page at a time, in published order",
        {
          params: PlanParams,
          querystring: z.object(pagingQuery()),
          response: { 200: PublicDrawnPageSchema },
        },
      ),
      async (req) => publicDrawn(store, req.params.id, req.query),
    );

    app.get(
      "/public/inspection-plans/:id/draw.txt",
      publicOp(
        "public",
        "公布的抽取结果，与 credit draw verify 的输出逐字节相同 The published draw, byte for byte what credit draw verify prints",
        {
          params: PlanParams,
          response: { 200: fileResponse("抽取结果（文本）The published draw (text/plain)") },
        },
      ),
      async (req, reply) => {
        const plan = await getPlan(store, req.params.id);
        if (plan.status === "draft") throw planNotFound(plan.id);
        const bytes = await publishedDraw(store, plan);
        return reply
          .header("content-type", "text/plain; charset=utf-8")
          .header("content-disposition", `attachment; filename="draw-${plan.id}.txt"`)
          .send(bytes);
      },
    );

    app.get(
      "/public/inspection-plans/:id/pool.csv",
      publicOp("public", "检查对象名录文件（用于验证抽取）The pool file, to verify the draw", {
        params: PlanParams,
        response: { 200: fileResponse("检查对象名录（CSV）The pool file (CSV)") },
      }),
      async (req, reply) => {
        const plan = await getPlan(store, req.params.id);
        const bytes = await poolFile(store, plan);
        return reply
          .header("content-type", "text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="pool-${plan.id}.csv"`)
          .send(bytes);
      },
    );
  };
