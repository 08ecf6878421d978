import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { ChangePasswordBody, LoginBody, type Session, SessionSchema } from "../../contract/auth.ts";
import { NoContent } from "../../contract/common.ts";
import { type Actor, permissionsOf } from "../../core/auth/roles.ts";
import { changePassword, login, logout, SESSION_COOKIE, userView } from "../../services/auth/accounts.ts";
import { audit } from "../../services/auth/audit.ts";
import type { User } from "../../store/schema.ts";
import { cookieOptions, unauthenticated } from "../auth.ts";
import type { AppContext } from "../context.ts";
import { operations } from "../operation.ts";

function me(user: User | undefined, actor: Actor): Session {
  return {
    user: user
      ? userView(user)
      : {
          id: actor.id,
          username: actor.name,
          displayName: actor.name,
          role: actor.role,
          department: actor.department,
          subjectCode: null,
        },
    permissions: permissionsOf(actor),
  };
}

const authOp = operations(["auth"]);

export const authRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { store } = ctx;
    app.post(
      "/auth/login",
      authOp("public", "登录 Sign in", { body: LoginBody, response: { 200: SessionSchema } }),
      async (req, reply) => {
        try {
          const { user, cookie } = await login(store, req.body.username, req.body.password, req.ip);
          const actor = {
            kind: "user" as const,
            id: Number(user.id),
            name: user.username,
            role: user.role as Actor["role"],
            department: user.department,
            subjectCode: user.subject_code,
          };
          await audit(store, actor, "auth.login", null, "ok", req.ip);
          reply.setCookie(SESSION_COOKIE, cookie, cookieOptions(req));
          return me(user, actor);
        } catch (e) {
          await audit(store, { ...req.actor, name: req.body.username }, "auth.login", null, "failed", req.ip);
          throw e;
        }
      },
    );

    app.post(
      "/auth/logout",
      authOp("public", "退出登录 Sign out", { response: { 204: NoContent } }),
      async (req, reply) => {
        const c = req.cookies[SESSION_COOKIE];
        if (c) {
          await logout(store, c);
          if (req.actor.kind === "user") await audit(store, req.actor, "auth.logout", null, "ok", req.ip);
        }
        reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
        return reply.status(204).send();
      },
    );

    app.get(
      "/auth/me",
      authOp("public", "当前登录者 Who is signed in", { response: { 200: SessionSchema } }),
      async (req) => {
        if (req.actor.kind === "public") throw unauthenticated();
        const user =
          req.actor.kind === "user"
            ? await store.db
                .selectFrom("users")
                .selectAll()
                .where("id", "=", req.actor.id!)
                .executeTakeFirst()
            : undefined;
        return me(user, req.actor);
      },
    );

    app.post(
      "/auth/password",
      authOp("self.account", "修改口令 Change password", {
        body: ChangePasswordBody,
        response: { 204: NoContent },
      }),
      async (req, reply) => {
        if (req.actor.kind !== "user") throw unauthenticated();
        await changePassword(
          store,
          req.actor.id!,
          req.body.current,
          req.body.next,
          req.cookies[SESSION_COOKIE],
        );
        await audit(store, req.actor, "auth.password", null, "ok", req.ip);
        return reply.status(204).send();
      },
    );
  };
