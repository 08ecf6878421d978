import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  ApiTokenListSchema,
  AuditPageSchema,
  AuditQuery,
  CreateDepartmentBody,
  CreateTokenBody,
  CreateUserBody,
  DepartmentCodeParams,
  DepartmentListSchema,
  DepartmentSchema,
  IssuedApiTokenSchema,
  TokenIdParams,
  UpdateDepartmentBody,
  UpdateUserBody,
  UserIdParams,
  UserListQuery,
  UserPageSchema,
  UserSchema,
} from "../../contract/admin.ts";
import { NoContent } from "../../contract/common.ts";
import { visibleTokens, visibleUsers } from "../../policies/admin.ts";
import {
  changeAccount,
  createAccount,
  createDepartment,
  issueToken,
  renameDepartment,
  revokeApiToken,
} from "../../services/admin/commands.ts";
import { listAudit } from "../../services/auth/audit.ts";
import { listTokens } from "../../services/auth/tokens.ts";
import { containsText } from "../../store/like.ts";
import { paged } from "../../store/paged.ts";
import { callerOf } from "../caller.ts";
import type { AppContext } from "../context.ts";
import { operations } from "../operation.ts";
import { presentApiToken } from "../presenters/api-token.ts";
import { presentAuditEntry } from "../presenters/audit-entry.ts";
import { presentDepartment } from "../presenters/department.ts";
import { presentUser } from "../presenters/user.ts";

const adminOp = operations(["admin"]);

export const adminRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { store } = ctx;

    // ---- users ----
    app.get(
      "/users",
      adminOp("users.manage", "用户列表 Users", {
        querystring: UserListQuery,
        response: { 200: UserPageSchema },
      }),
      async (req) => {
        let q = store.db.selectFrom("users");
        const visible = visibleUsers(req.actor);
        if (visible.department !== "any") q = q.where("department", "=", visible.department);
        if (visible.roles !== "any") q = q.where("role", "in", visible.roles);
        if (req.query.q)
          q = q.where((eb) =>
            eb.or([containsText("username", req.query.q!), containsText("display_name", req.query.q!)]),
          );
        const { items, total } = await paged(q, req.query, (q) => q.selectAll().orderBy("id"));
        return { items: items.map(presentUser), total };
      },
    );

    app.post(
      "/users",
      adminOp("users.manage", "新建用户 Create a user", {
        body: CreateUserBody,
        response: { 201: UserSchema },
      }),
      async (req, reply) => {
        const user = await createAccount(store, callerOf(req), req.body, ctx.catalog.cityOffice);
        return reply.status(201).send(presentUser(user));
      },
    );

    app.patch(
      "/users/:id",
      adminOp("users.manage", "修改用户 Update a user (disable instead of delete)", {
        params: UserIdParams,
        body: UpdateUserBody,
        response: { 200: UserSchema },
      }),
      async (req) => presentUser(await changeAccount(store, callerOf(req), req.params.id, req.body)),
    );

    // ---- departments ----
    app.get(
      "/departments",
      adminOp("departments.read", "部门列表 Departments", { response: { 200: DepartmentListSchema } }),
      async () =>
        (await store.db.selectFrom("departments").selectAll().orderBy("code").execute()).map(
          presentDepartment,
        ),
    );

    app.post(
      "/departments",
      adminOp("departments.manage", "新建部门 Create a department", {
        body: CreateDepartmentBody,
        response: { 201: DepartmentSchema },
      }),
      async (req, reply) =>
        reply.status(201).send(presentDepartment(await createDepartment(store, callerOf(req), req.body))),
    );

    app.patch(
      "/departments/:code",
      adminOp("departments.manage", "修改部门名称 Rename a department", {
        params: DepartmentCodeParams,
        body: UpdateDepartmentBody,
        response: { 200: DepartmentSchema },
      }),
      async (req) =>
        presentDepartment(await renameDepartment(store, callerOf(req), req.params.code, req.body)),
    );

    // ---- API tokens ----
    app.get(
      "/tokens",
      adminOp("tokens.manage", "接口令牌列表 API tokens", { response: { 200: ApiTokenListSchema } }),
      async (req) => (await listTokens(store, visibleTokens(req.actor))).map(presentApiToken),
    );

    app.post(
      "/tokens",
      adminOp("tokens.manage", "签发接口令牌（只显示一次）Issue an API token (shown once)", {
        body: CreateTokenBody,
        response: { 201: IssuedApiTokenSchema },
      }),
      async (req, reply) => reply.status(201).send(await issueToken(store, callerOf(req), req.body)),
    );

    app.post(
      "/tokens/:id/revoke",
      adminOp("tokens.manage", "吊销接口令牌 Revoke an API token", {
        params: TokenIdParams,
        response: { 204: NoContent },
      }),
      async (req, reply) => {
        await revokeApiToken(store, callerOf(req), req.params.id);
        return reply.status(204).send();
      },
    );

    // ---- audit ----
    app.get(
      "/audit",
      adminOp("audit.read", "审计日志 Audit log", {
        querystring: AuditQuery,
        response: { 200: AuditPageSchema },
      }),
      async (req) => {
        const { items, total } = await listAudit(store, req.query);
        return { items: items.map(presentAuditEntry), total };
      },
    );
  };
