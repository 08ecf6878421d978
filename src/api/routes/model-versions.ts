/**
 * What-if and publication of model versions by the model's owner: the administrator of the owning department
 * (the city credit office for the public model). The draft is a model file (YAML, the format of
 * policy/models/*.yaml) sent as the request body (text/plain or application/yaml), or as JSON { yaml, note }.
 */
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { InputError, problem } from "../../core/problem.ts";
import { audit } from "../../services/auth/audit.ts";
import { diffDraft } from "../../services/models/diff.ts";
import {
  currentModelSet,
  currentModelText,
  draftBody,
  modelNotFound,
  publishedVersions,
  publishModel,
} from "../../services/models/versions.ts";
import type { AppContext } from "../context.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const notOwner = (id: string, owner: string) =>
  new InputError(
    [
      problem("model.not_owner", {
        zh: `模型 ${id} 属于 ${owner}，只有该部门的管理员可以试算和发布新版本`,
        en: `Model ${id} belongs to ${owner}; only that department's administrator may try out and publish versions`,
        fixZh: `请 ${owner} 的部门管理员操作`,
        fixEn: `Ask ${owner}'s department administrator`,
      }),
    ],
    403,
  );

export const modelVersionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { store, catalog } = ctx;
    app.addContentTypeParser(
      ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"],
      { parseAs: "string" },
      (_req, body, done) => done(null, body),
    );

    /** The model the caller owns (404 for an unknown id, 403 for another department's model). */
    async function ownModel(req: FastifyRequest, id: string) {
      const m = (await currentModelSet(store, catalog)).all.find((x) => x.id === id);
      if (!m) throw modelNotFound(id);
      if (req.actor.department !== m.owner) throw notOwner(id, m.owner);
      return m;
    }
    const textOf = (b: z.infer<typeof draftBody>) => (typeof b === "string" ? b : b.yaml);

    app.post(
      "/models/:id/diff",
      {
        config: { permission: "models.manage" },
        bodyLimit: 2 * 1024 * 1024,
        schema: {
          tags: ["evaluation"],
          summary:
            "试算草案版本：等级迁移矩阵与 PSI What-if of a draft version: grade transition matrix and PSI",
          params: z.object({ id: z.string().max(64) }),
          querystring: z.object({ asOf: isoDate.optional() }),
          body: draftBody,
        },
      },
      async (req) => {
        await ownModel(req, req.params.id);
        const d = await diffDraft(store, catalog, textOf(req.body), {
          id: req.params.id,
          ...(req.query.asOf ? { asOf: req.query.asOf } : {}),
        });
        await audit(
          store,
          req.actor,
          "model.diff",
          `${d.modelId} ${d.current.version}→${d.draft.version} psi=${d.psi.toFixed(4)}`,
          "ok",
          req.ip,
        );
        return d;
      },
    );

    app.post(
      "/models/:id/publish",
      {
        config: { permission: "models.manage" },
        bodyLimit: 2 * 1024 * 1024,
        schema: {
          tags: ["evaluation"],
          summary: "发布新版本（下次评价起使用）Publish a version (used from the next evaluation)",
          params: z.object({ id: z.string().max(64) }),
          querystring: z.object({ note: z.string().max(500).optional() }),
          body: draftBody,
        },
      },
      async (req, reply) => {
        await ownModel(req, req.params.id);
        const note = typeof req.body === "string" ? req.query.note : (req.body.note ?? req.query.note);
        const r = await publishModel(store, catalog, textOf(req.body), {
          id: req.params.id,
          by: req.actor.name,
          ...(note ? { note } : {}),
        });
        await audit(
          store,
          req.actor,
          "model.publish",
          `${r.modelId} ${r.previousVersion}→${r.version} ${r.digest.slice(0, 12)}`,
          "ok",
          req.ip,
        );
        return reply.status(201).send(r);
      },
    );

    app.get(
      "/models/:id/source",
      {
        config: { permission: "models.manage" },
        schema: {
          tags: ["evaluation"],
          summary:
            "现行版本的模型文件（起草新版本用）The current version's model file, to start a draft from",
          params: z.object({ id: z.string().max(64) }),
        },
      },
      async (req) => {
        await ownModel(req, req.params.id);
        const m = await currentModelText(store, catalog, req.params.id);
        if (!m) throw modelNotFound(req.params.id);
        return m;
      },
    );

    app.get(
      "/models/:id/versions",
      {
        config: { permission: "catalog.read" },
        schema: {
          tags: ["evaluation"],
          summary: "模型的已发布版本 Published versions of a model",
          params: z.object({ id: z.string().max(64) }),
        },
      },
      async (req) => {
        const models = await currentModelSet(store, catalog);
        const m = models.all.find((x) => x.id === req.params.id);
        if (!m) throw modelNotFound(req.params.id);
        return {
          current: { id: m.id, version: m.version, digest: m.digest, owner: m.owner, source: m.def.file },
          published: await publishedVersions(store, m.id),
        };
      },
    );
  };
