import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { scopeSubject } from "../../core/auth/roles.ts";
import { maskIfIdNumber } from "../../core/idcard/idcard.ts";
import { normalizeCode } from "../../core/uscc/uscc.ts";
import { audit } from "../../services/auth/audit.ts";
import { gradeDashboard } from "../../services/evaluate/dashboard.ts";
import { explainSubject } from "../../services/evaluate/explain.ts";
import { currentModelSet, modelNotFound } from "../../services/models/versions.ts";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const evaluationRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { store, catalog } = ctx;

    app.get(
      "/subjects/:code/evaluation",
      {
        config: { permission: "records.read" },
        schema: {
          tags: ["evaluation"],
          summary: "主体的信用等级与解释 A subject's grades, points per indicator, reasons and repairs",
          params: z.object({ code: z.string().max(64) }),
          querystring: z.object({ asOf: isoDate.optional() }),
        },
      },
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
          code && scopeSubject(req.actor, code)
            ? await explainSubject(store, catalog, code, req.query.asOf)
            : undefined;
        if (!e) throw notFound({ zh: `主体 ${req.params.code}`, en: `Subject ${req.params.code}` });
        await audit(store, req.actor, "subjects.evaluation", e.subject.code, "ok", req.ip);
        return { ...e, subject: { ...e.subject, code: maskIfIdNumber(e.subject.code) } };
      },
    );

    app.get(
      "/models",
      {
        config: { permission: "catalog.read" },
        schema: { tags: ["evaluation"], summary: "评价模型 Evaluation models in force" },
      },
      async () =>
        (await currentModelSet(store, catalog)).all.map((m) => ({
          id: m.id,
          version: m.version,
          kind: m.kind,
          owner: m.owner,
          title: m.title,
          digest: m.digest,
          maxScore: m.maxScore,
          dimensions: m.def.dimensions.map((d) => ({ id: d.id, zh: d.zh, en: d.en })),
          // Named, so a screen can say why a grade is held down without keeping its own copy of the models.
          triggers: m.def.triggers.map((t) => ({ id: t.id, zh: t.zh, en: t.en, grade: t.grade })),
          ceilings: m.def.ceilings.map((c) => ({ id: c.id, zh: c.zh, en: c.en, maxGrade: c.max_grade })),
        })),
    );

    app.get(
      "/dashboard/grades",
      {
        config: { permission: "subjects.read" },
        schema: {
          tags: ["evaluation"],
          summary: "等级分布、覆盖率与趋势 Grade distribution, coverage and trend",
          querystring: z.object({
            model: z.string().max(64).default("public"),
            by: z.enum(["region", "industry_section", "type"]).default("region"),
          }),
        },
      },
      async (req) => {
        const model = (await currentModelSet(store, catalog)).all.find((m) => m.id === req.query.model);
        if (!model) throw modelNotFound(req.query.model);
        return gradeDashboard(store, model, req.query.by);
      },
    );
  };
