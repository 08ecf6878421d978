import cookie from "@fastify/cookie";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { type Actor, can, type Permission, PUBLIC_ACTOR } from "../core/auth/roles.ts";
import { forbidden, InputError, problem } from "../core/problem.ts";
import { actorOf, SESSION_COOKIE, userOfSession } from "../services/auth/accounts.ts";
import { audit } from "../services/auth/audit.ts";
import { actorOfToken } from "../services/auth/tokens.ts";
import type { Store } from "../store/db.ts";
import { isApiRoute } from "./canonical-url.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The permission a caller needs; every /api route must declare one (a test checks). */
    permission?: Permission;
  }
  interface FastifyRequest {
    actor: Actor;
  }
}

export const unauthenticated = () =>
  new InputError(
    [
      problem("auth.required", {
        zh: "需要登录",
        en: "Sign-in required",
        fixZh: "请先登录；部门系统请在 Authorization 头中携带接口令牌",
        fixEn: "Sign in first; department systems send their API token in the Authorization header",
      }),
    ],
    401,
  );

const mustChangePassword = () =>
  new InputError(
    [
      problem("auth.must_change_password", {
        zh: "口令由管理员设置，须先修改口令才能继续使用",
        en: "Your password was set by an administrator; change it before you go on",
        fixZh: "在“修改口令”页面设置新口令",
        fixEn: "Set a new password on the Change password page",
      }),
    ],
    403,
  );

/** Resolves the caller (session cookie or bearer token) and enforces each route's declared permission. */
export const authPlugin = fp(async (app: FastifyInstance, opts: { store: Store }) => {
  const { store } = opts;
  await app.register(cookie);
  app.decorateRequest("actor", null as unknown as Actor);
  app.addHook("onRequest", async (req: FastifyRequest) => {
    req.actor = PUBLIC_ACTOR;
    const auth = req.headers.authorization;
    if (auth?.startsWith("Bearer ")) {
      const actor = await actorOfToken(store, auth.slice(7).trim());
      if (!actor) throw unauthenticated();
      req.actor = actor;
      return enforce(req);
    }
    const c = req.cookies[SESSION_COOKIE];
    if (c) {
      const user = await userOfSession(store, c);
      if (user) req.actor = actorOf(user);
    }
    await enforce(req);
  });
  // Enforced before the body is parsed or validated: a caller without the right learns nothing more.
  // The decision is made on the route that matched — never on the request line, which can spell one address
  // many ways (percent-escapes, absolute form, case, dot segments).
  async function enforce(req: FastifyRequest): Promise<void> {
    const route = req.routeOptions.url;
    if (route === undefined) return; // no route: the not-found answer, which shows nothing
    if (!isApiRoute(route)) return; // the web app's files and pages are public
    const permission = req.routeOptions.config.permission;
    // Deny by default: a route that forgot to declare a permission is closed, not open.
    if (!permission) throw forbidden();
    if (req.actor.mustChangePassword && permission !== "public" && permission !== "self.account")
      throw mustChangePassword();
    if (can(req.actor, permission)) return;
    if (req.actor.kind === "public") throw unauthenticated();
    await audit(store, req.actor, `${req.method} ${req.routeOptions.url}`, null, "denied", req.ip);
    throw forbidden();
  }
});

export function cookieOptions(req: FastifyRequest) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: req.protocol === "https",
  };
}
