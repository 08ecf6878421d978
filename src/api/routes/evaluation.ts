import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  GradeDashboardQuery,
  GradeDashboardSchema,
  SubjectEvaluationParams,
  SubjectEvaluationQuery,
  SubjectEvaluationSchema,
} from "../../contract/evaluation.ts";
import { ModelListSchema } from "../../contract/models.ts";
import { notFound } from "../../core/problem.ts";
import { normalizeCode } from "../../core/uscc/uscc.ts";
import { mayReadSubject } from "../../policies/records.ts";
import { audit } from "../../services/auth/audit.ts";
import { gradeDashboard } from "../../services/evaluate/dashboard.ts";
import { explainSubject } from "../../services/evaluate/explain.ts";
import { currentModelSet, modelNotFound } from "../../services/models/versions.ts";
import type { AppContext } from "../context.ts";
import { operations } from "../operation.ts";
import { presentSubjectEvaluation } from "../presenters/evaluation.ts";
import { presentModel } from "../presenters/model.ts";

const evaluationOp = operations(["evaluation"]);

export const evaluationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { store, catalog } = ctx;

    app.get(
      "/subjects/:code/evaluation",
      evaluationOp(
        "records.read",
        "主体的信用等级与解释 A subject's grades, points per indicator, reasons and repairs",
        {
          params: SubjectEvaluationParams,
          querystring: SubjectEvaluationQuery,
          response: { 200: SubjectEvaluationSchema },
        },
      ),
      async (req) => {
        const byId = /^id:(\d{1,15})$/.exec(req.params.code);
        const code = byId
          ? (
              await store.db
                .selectFrom("subjects")
                .select("code")
                .where("id", "=", Number(byId[1]))
                .executeTakeFirst()
            )?.code
          : normalizeCode(req.params.code);
        const e =
          code && mayReadSubject(req.actor, code)
            ? await explainSubject(store, catalog, code, req.query.asOf)
            : undefined;
        if (!e) throw notFound({ zh: `主体 ${req.params.code}`, en: `Subject ${req.params.code}` });
        await audit(store, req.actor, "subjects.evaluation", e.subject.code, "ok", req.ip);
        return presentSubjectEvaluation(e);
      },
    );

    app.get(
      "/models",
      evaluationOp("catalog.read", "评价模型 Evaluation models in force", {
        response: { 200: ModelListSchema },
      }),
      async () => (await currentModelSet(store, catalog)).all.map(presentModel),
    );

    app.get(
      "/dashboard/grades",
      evaluationOp("subjects.read", "等级分布、覆盖率与趋势 Grade distribution, coverage and trend", {
        querystring: GradeDashboardQuery,
        response: { 200: GradeDashboardSchema },
      }),
      async (req) => {
        const model = (await currentModelSet(store, catalog)).all.find((m) => m.id === req.query.model);
        if (!model) throw modelNotFound(req.query.model);
        return gradeDashboard(store, model, req.query.by);
      },
    );
  };
