import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import multipart from "@fastify/multipart";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifySchema } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import { ERROR_RESPONSES, HealthSchema } from "../contract/common.ts";
import { type Permission, TOKEN_SCOPES } from "../core/auth/roles.ts";
import { maskIdNumbersInText } from "../core/idcard/idcard.ts";
import { SESSION_COOKIE } from "../services/auth/accounts.ts";
import { authPlugin } from "./auth.ts";
import { canonicalUrl } from "./canonical-url.ts";
import type { AppContext } from "./context.ts";
import { installErrorHandler } from "./errors.ts";
import { adminRoutes } from "./routes/admin.ts";
import { authRoutes } from "./routes/auth.ts";
import { evaluationRoutes } from "./routes/evaluation.ts";
import { inspectionRoutes } from "./routes/inspections.ts";
import { measureRoutes } from "./routes/measures.ts";
import { modelVersionRoutes } from "./routes/model-versions.ts";
import { ratingRoutes } from "./routes/ratings.ts";
import { recordRoutes } from "./routes/records.ts";
import { subjectRoutes } from "./routes/subjects.ts";

export interface RouteEntry {
  method: string;
  url: string;
  permission: string | undefined;
}

declare module "fastify" {
  interface FastifyInstance {
    routeTable: RouteEntry[];
  }
}

export interface AppOptions {
  logger?: boolean;
  /** Where the request log goes (default standard output); tests read it. */
  logStream?: NodeJS.WritableStream;
  /** Largest upload accepted through the web (bytes); bigger files go through the CLI. */
  maxUploadBytes?: number;
}

export async function buildApp(ctx: AppContext, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger
      ? {
          level: "info",
          // Identity numbers travel in some URLs (/idcheck/<number>, ?q=<number>): the log keeps them masked.
          serializers: {
            req: (req: FastifyRequest) => ({
              method: req.method,
              url: maskIdNumbersInText(req.url),
              remoteAddress: req.ip,
            }),
          },
          ...(opts.logStream ? { stream: opts.logStream } : {}),
        }
      : false,
    bodyLimit: 2 * 1024 * 1024,
    genReqId: () => Math.random().toString(36).slice(2, 10),
    // Route on one spelling of each address (see canonical-url.ts); the fixed parts of a route match in any
    // letter case, so `/API/v1/users` is the same route — and the same permission — as `/api/v1/users`.
    rewriteUrl: (req) => canonicalUrl(req.url ?? "/"),
    routerOptions: { caseSensitive: false },
  });
  // Every route as declared, for the permission-matrix test and the route list in docs.
  const routes: RouteEntry[] = [];
  app.addHook("onRoute", (r) => {
    // The interactive API documentation (a plugin's routes) is public, as the OpenAPI document is.
    if (r.url.startsWith("/api/docs")) r.config = { ...r.config, permission: "public" };
    // Every API route answers errors in one shape (src/contract/common.ts); its success shape it declares itself.
    else if (r.url.startsWith("/api/v1/") && !r.schema?.hide)
      r.schema = {
        ...r.schema,
        response: { ...ERROR_RESPONSES, ...(r.schema?.response as object) },
        ...contractOf(r.config?.permission),
      } as FastifySchema;
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods)
      if (m !== "HEAD") routes.push({ method: m, url: r.url, permission: r.config?.permission });
  });
  app.decorate("routeTable", routes);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app, { spaIndex: path.join(WEB_DIST, "index.html") });
  await app.register(multipart, { limits: { fileSize: opts.maxUploadBytes ?? 512 * 1024 * 1024, files: 1 } });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "信用分级分类监管平台 Credit Grading & Supervision Platform",
        version: "1",
        description:
          "REST API. 中文/English: send Accept-Language: en for English messages. Each operation names the " +
          "permission it needs in `x-permission` (src/core/auth/roles.ts); a session cookie or an API token " +
          "carrying that scope may call it.",
      },
      components: {
        securitySchemes: {
          session: {
            type: "apiKey",
            in: "cookie",
            name: SESSION_COOKIE,
            description: "登录会话 Signed-in session",
          },
          apiToken: {
            type: "http",
            scheme: "bearer",
            description: "部门系统接口令牌 A department system's API token (ct_…)",
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    // Schemas registered with an id (`.meta({ id })`) become named components that operations refer to.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
  app.get("/api/openapi.json", { schema: { hide: true }, config: { permission: "public" } }, async () =>
    app.swagger(),
  );
  await app.register(authPlugin, { store: ctx.store });
  app.get(
    "/api/v1/health",
    {
      config: { permission: "public" },
      schema: { tags: ["ops"], summary: "健康检查 Health", response: { 200: HealthSchema } },
    },
    async () => ({ ok: true, engine: ctx.store.engine }),
  );
  await app.register(recordRoutes(ctx), { prefix: "/api/v1" });
  await app.register(subjectRoutes(ctx), { prefix: "/api/v1" });
  await app.register(authRoutes(ctx), { prefix: "/api/v1" });
  await app.register(adminRoutes(ctx), { prefix: "/api/v1" });
  await app.register(evaluationRoutes(ctx), { prefix: "/api/v1" });
  await app.register(ratingRoutes(ctx), { prefix: "/api/v1" });
  await app.register(modelVersionRoutes(ctx), { prefix: "/api/v1" });
  await app.register(measureRoutes(ctx), { prefix: "/api/v1" });
  await app.register(inspectionRoutes(ctx), { prefix: "/api/v1" });
  await serveWeb(app);
  return app;
}

/**
 * What the OpenAPI document says about who may call an operation: its permission (`x-permission`), and how to
 * authenticate — none for public ones, a session or (where the permission is a token scope) an API token.
 */
function contractOf(permission: Permission | undefined) {
  if (!permission) return {};
  const security =
    permission === "public"
      ? []
      : TOKEN_SCOPES.includes(permission)
        ? [{ session: [] }, { apiToken: [] }]
        : [{ session: [] }];
  return { security, "x-permission": permission };
}

export const WEB_DIST = fileURLToPath(new URL("../../web/dist/", import.meta.url));

/**
 * The built web app at `/`. Files are looked up per request (a rebuild needs no restart); any other
 * non-API GET gets index.html so the app's own routes work on reload (see the not-found handler).
 */
async function serveWeb(app: FastifyInstance): Promise<void> {
  if (!fs.existsSync(path.join(WEB_DIST, "index.html"))) {
    app.get("/", { schema: { hide: true } }, async (_req, reply) => reply.redirect("/api/docs"));
    return;
  }
  await app.register(fastifyStatic, { root: WEB_DIST, prefix: "/", wildcard: true, decorateReply: true });
}
