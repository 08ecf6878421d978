/**
 * What-if and publication of model versions by the model's owner: the administrator of the owning department
 * (the city credit office for the public model). The draft is a model file (YAML, the format of
 * policy/models/*.yaml) sent as the request body (application/yaml), or as JSON { yaml, note }.
 *
 * Only content types an HTML form cannot send are accepted: a form on another site can post text/plain,
 * application/x-www-form-urlencoded or multipart/form-data with the browser's cookies, and a script there would
 * need a CORS preflight for any other type, which this server never grants. So a page elsewhere cannot make an
 * administrator's browser publish a model every subject is then graded by.
 */

import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  DraftBody,
  ModelDiffQuery,
  ModelDiffSchema,
  ModelIdParams,
  ModelPublicationSchema,
  ModelPublishQuery,
  ModelSourceSchema,
  ModelVersionsSchema,
} from "../../contract/models.ts";
import { InputError, problem } from "../../core/problem.ts";
import { audit } from "../../services/auth/audit.ts";
import { publishModelVersion } from "../../services/models/commands.ts";
import { diffDraft } from "../../services/models/diff.ts";
import {
  currentModelSet,
  currentModelText,
  modelNotFound,
  publishedVersions,
} from "../../services/models/versions.ts";
import { callerOf } from "../caller.ts";
import type { AppContext } from "../context.ts";
import { operations } from "../operation.ts";
import { presentModelVersion } from "../presenters/model-version.ts";

/** The body types a draft may come in: none of them is one an HTML form can send (see the module comment). */
const evaluationOp = operations(["evaluation"]);

export const DRAFT_TYPES = [
  "application/json",
  "application/yaml",
  "application/x-yaml",
  "text/yaml",
  "text/x-yaml",
] as const;
const YAML_TYPES = DRAFT_TYPES.filter((t) => t !== "application/json");

/** A body of another type (text/plain, a form), refused before it is read. */
export function draftTypeProblem(type: string | undefined): InputError {
  const shown = type?.trim() || "（未填写 none）";
  return new InputError(
    [
      problem(
        "request.content_type",
        {
          zh: `模型草案不接受内容类型 ${shown}：须为 ${DRAFT_TYPES.join("、")} 之一（网页表单可跨站提交的类型不被接受）`,
          en: `A model draft cannot be sent as ${shown}: the type must be one of ${DRAFT_TYPES.join(", ")} (types a web form can post from another site are refused)`,
          fixZh:
            '把 Content-Type 设为 application/yaml（正文为模型文件），或 application/json（正文为 {"yaml": 模型文件, "note": 说明}）',
          fixEn:
            'Set Content-Type to application/yaml (the body is the model file) or application/json (the body is {"yaml": the model file, "note": a note})',
        },
        { field: "content-type", value: type ?? "" },
      ),
    ],
    415,
  );
}

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
    // Fastify parses text/plain by default; here it is refused (see the module comment).
    app.removeContentTypeParser("text/plain");
    app.addContentTypeParser(YAML_TYPES, { parseAs: "string" }, (_req, body, done) => done(null, body));
    // Checked before the body is read (after the permission check of the root hook), with a message that says
    // which types are accepted, rather than the parser's generic 415.
    app.addHook("onRequest", async (req: FastifyRequest, _reply: FastifyReply) => {
      if (req.method !== "POST") return;
      const raw = req.headers["content-type"];
      const essence = raw?.split(";")[0]?.trim().toLowerCase() ?? "";
      if (!(DRAFT_TYPES as readonly string[]).includes(essence)) throw draftTypeProblem(raw);
    });

    /** The model the caller owns (404 for an unknown id, 403 for another department's model). */
    async function ownModel(req: FastifyRequest, id: string) {
      const m = (await currentModelSet(store, catalog)).all.find((x) => x.id === id);
      if (!m) throw modelNotFound(id);
      if (req.actor.department !== m.owner) throw notOwner(id, m.owner);
      return m;
    }
    const textOf = (b: DraftBody) => (typeof b === "string" ? b : b.yaml);

    app.post(
      "/models/:id/diff",
      evaluationOp(
        "models.manage",
        "试算草案版本：等级迁移矩阵与 PSI What-if of a draft version: grade transition matrix and PSI",
        {
          params: ModelIdParams,
          querystring: ModelDiffQuery,
          body: DraftBody,
          response: { 200: ModelDiffSchema },
        },
        { bodyLimit: 2 * 1024 * 1024 },
      ),
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
      evaluationOp(
        "models.manage",
        "发布新版本（下次评价起使用）Publish a version (used from the next evaluation)",
        {
          params: ModelIdParams,
          querystring: ModelPublishQuery,
          body: DraftBody,
          response: { 201: ModelPublicationSchema },
        },
        { bodyLimit: 2 * 1024 * 1024 },
      ),
      async (req, reply) => {
        await ownModel(req, req.params.id);
        const note = typeof req.body === "string" ? req.query.note : (req.body.note ?? req.query.note);
        const r = await publishModelVersion(store, callerOf(req), catalog, textOf(req.body), {
          id: req.params.id,
          ...(note ? { note } : {}),
        });
        return reply.status(201).send(r);
      },
    );

    app.get(
      "/models/:id/source",
      evaluationOp(
        "models.manage",
        "现行版本的模型文件（起草新版本用）The current version's model file, to start a draft from",
        { params: ModelIdParams, response: { 200: ModelSourceSchema } },
      ),
      async (req) => {
        await ownModel(req, req.params.id);
        const m = await currentModelText(store, catalog, req.params.id);
        if (!m) throw modelNotFound(req.params.id);
        return m;
      },
    );

    app.get(
      "/models/:id/versions",
      evaluationOp("catalog.read", "模型的已发布版本 Published versions of a model", {
        params: ModelIdParams,
        response: { 200: ModelVersionsSchema },
      }),
      async (req) => {
        const models = await currentModelSet(store, catalog);
        const m = models.all.find((x) => x.id === req.params.id);
        if (!m) throw modelNotFound(req.params.id);
        return {
          current: { id: m.id, version: m.version, digest: m.digest, owner: m.owner, source: m.def.file },
          published: (await publishedVersions(store, m.id)).map(presentModelVersion),
        };
      },
    );
  };
