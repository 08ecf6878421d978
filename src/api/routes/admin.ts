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
import { passwordProblems } from "../../core/auth/password.ts";
import { InputError, problem } from "../../core/problem.ts";
import { normalizeCode } from "../../core/uscc/uscc.ts";
import {
  grantableRoles,
  mayChangeUserDepartment,
  mayManageUser,
  mayRevokeToken,
  newUserDepartment,
  tokenDepartment,
  visibleTokens,
  visibleUsers,
} from "../../policies/admin.ts";
import { security } from "../../policy/load.ts";
import { createUser, endSessions, resetSignInFailures } from "../../services/auth/accounts.ts";
import { audit, listAudit } from "../../services/auth/audit.ts";
import { hashPassword } from "../../services/auth/password.ts";
import { createToken, getToken, listTokens, revokeToken } from "../../services/auth/tokens.ts";
import { containsText } from "../../store/like.ts";
import { paged } from "../../store/paged.ts";
import { forbidden } from "../auth.ts";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { presentApiToken } from "../presenters/api-token.ts";
import { presentAuditEntry } from "../presenters/audit-entry.ts";
import { presentDepartment } from "../presenters/department.ts";
import { presentUser } from "../presenters/user.ts";

const roleNotGrantable = (role: string) =>
  new InputError(
    [
      problem(
        "user.role_not_grantable",
        {
          zh: `你不能授予角色 ${role}（三权分立：系统、安全、审计管理分开）`,
          en: `You cannot grant the role ${role} (system, security and audit administration are separate)`,
          fixZh: "请有权限的管理员授予",
          fixEn: "Ask an administrator who may grant it",
        },
        { field: "role" },
      ),
    ],
    403,
  );

export const adminRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { store } = ctx;

    // ---- users ----
    app.get(
      "/users",
      {
        config: { permission: "users.manage" },
        schema: {
          tags: ["admin"],
          summary: "用户列表 Users",
          querystring: UserListQuery,
          response: { 200: UserPageSchema },
        },
      },
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
      {
        config: { permission: "users.manage" },
        schema: {
          tags: ["admin"],
          summary: "新建用户 Create a user",
          body: CreateUserBody,
          response: { 201: UserSchema },
        },
      },
      async (req, reply) => {
        const a = req.actor;
        const b = req.body;
        if (!grantableRoles(a).includes(b.role)) throw roleNotGrantable(b.role);
        const department = newUserDepartment(a, b.department);
        const needsDept = ["dept_admin", "dept_staff", "inspector"].includes(b.role);
        if (needsDept && !department)
          throw new InputError([
            problem(
              "user.department_required",
              {
                zh: "部门角色必须指定部门",
                en: "A department role needs a department",
                fixZh: "选择部门",
                fixEn: "Choose a department",
              },
              { field: "department" },
            ),
          ]);
        if (b.role === "enterprise" && !b.subjectCode)
          throw new InputError([
            problem(
              "user.subject_required",
              {
                zh: "企业用户必须绑定一个市场主体",
                en: "An enterprise user must be bound to a subject",
                fixZh: "填写统一社会信用代码",
                fixEn: "Give the subject's code",
              },
              { field: "subjectCode" },
            ),
          ]);
        const user = await createUser(store, {
          username: b.username,
          displayName: b.displayName,
          role: b.role,
          department: needsDept ? department : b.role === "city_admin" ? ctx.catalog.cityOffice : null,
          subjectCode: b.subjectCode ? normalizeCode(b.subjectCode) : null,
          password: b.password,
          mustChangePassword: true,
        });
        await audit(store, a, "user.create", `${user.username} role=${user.role}`, "ok", req.ip);
        return reply.status(201).send(presentUser(user));
      },
    );

    app.patch(
      "/users/:id",
      {
        config: { permission: "users.manage" },
        schema: {
          tags: ["admin"],
          summary: "修改用户 Update a user (disable instead of delete)",
          params: UserIdParams,
          body: UpdateUserBody,
          response: { 200: UserSchema },
        },
      },
      async (req) => {
        const a = req.actor;
        const user = await store.db
          .selectFrom("users")
          .selectAll()
          .where("id", "=", req.params.id)
          .executeTakeFirst();
        if (!user || !mayManageUser(a, user))
          throw notFound({ zh: `用户 ${req.params.id}`, en: `User ${req.params.id}` });
        const b = req.body;
        if (b.role && !grantableRoles(a).includes(b.role)) throw roleNotGrantable(b.role);
        if (b.password) {
          const weak = passwordProblems(b.password, security().password);
          if (weak.length) throw new InputError(weak);
        }
        await store.db
          .updateTable("users")
          .set({
            ...(b.displayName ? { display_name: b.displayName } : {}),
            ...(b.role ? { role: b.role } : {}),
            ...(b.department !== undefined && mayChangeUserDepartment(a) ? { department: b.department } : {}),
            ...(b.status ? { status: b.status } : {}),
            ...(b.password
              ? {
                  password_hash: await hashPassword(b.password),
                  must_change_password: 1,
                  failed_logins: 0,
                  locked_until: null,
                }
              : {}),
            updated_at: new Date().toISOString(),
          })
          .where("id", "=", req.params.id)
          .execute();
        // A disabled account, or one whose password an administrator set, keeps no session open.
        if (b.status === "disabled" || b.password) await endSessions(store, req.params.id);
        if (b.password) await resetSignInFailures(store, user.username);
        await audit(
          store,
          a,
          "user.update",
          `${user.username} ${Object.keys(b)
            .filter((k) => k !== "password")
            .join(",")}${b.password ? ",password" : ""}`,
          "ok",
          req.ip,
        );
        return presentUser(
          await store.db
            .selectFrom("users")
            .selectAll()
            .where("id", "=", req.params.id)
            .executeTakeFirstOrThrow(),
        );
      },
    );

    // ---- departments ----
    app.get(
      "/departments",
      {
        config: { permission: "departments.read" },
        schema: {
          tags: ["admin"],
          summary: "部门列表 Departments",
          response: { 200: DepartmentListSchema },
        },
      },
      async () =>
        (await store.db.selectFrom("departments").selectAll().orderBy("code").execute()).map(
          presentDepartment,
        ),
    );

    app.post(
      "/departments",
      {
        config: { permission: "departments.manage" },
        schema: {
          tags: ["admin"],
          summary: "新建部门 Create a department",
          body: CreateDepartmentBody,
          response: { 201: DepartmentSchema },
        },
      },
      async (req, reply) => {
        const exists = await store.db
          .selectFrom("departments")
          .select("code")
          .where("code", "=", req.body.code)
          .executeTakeFirst();
        if (exists)
          throw new InputError(
            [
              problem(
                "department.exists",
                {
                  zh: `部门代码 ${req.body.code} 已存在`,
                  en: `Department code ${req.body.code} exists`,
                  fixZh: "换一个代码",
                  fixEn: "Choose another code",
                },
                { field: "code" },
              ),
            ],
            409,
          );
        const row = {
          code: req.body.code,
          name_zh: req.body.nameZh,
          name_en: req.body.nameEn,
          created_at: new Date().toISOString(),
        };
        await store.db.insertInto("departments").values(row).execute();
        await audit(store, req.actor, "department.create", req.body.code, "ok", req.ip);
        return reply.status(201).send(presentDepartment(row));
      },
    );

    app.patch(
      "/departments/:code",
      {
        config: { permission: "departments.manage" },
        schema: {
          tags: ["admin"],
          summary: "修改部门名称 Rename a department",
          params: DepartmentCodeParams,
          body: UpdateDepartmentBody,
          response: { 200: DepartmentSchema },
        },
      },
      async (req) => {
        const { nameZh, nameEn } = req.body;
        if (nameZh === undefined && nameEn === undefined)
          throw new InputError([
            problem("request.empty", {
              zh: "没有要修改的内容",
              en: "Nothing to change",
              fixZh: "提供 nameZh（中文名称）或 nameEn（英文名称）",
              fixEn: "Give nameZh (Chinese name) or nameEn (English name)",
            }),
          ]);
        const r = await store.db
          .updateTable("departments")
          .set({
            ...(nameZh !== undefined ? { name_zh: nameZh } : {}),
            ...(nameEn !== undefined ? { name_en: nameEn } : {}),
          })
          .where("code", "=", req.params.code)
          .executeTakeFirst();
        if (!Number(r.numUpdatedRows))
          throw notFound({ zh: `部门 ${req.params.code}`, en: `Department ${req.params.code}` });
        await audit(store, req.actor, "department.update", req.params.code, "ok", req.ip);
        return presentDepartment(
          await store.db
            .selectFrom("departments")
            .selectAll()
            .where("code", "=", req.params.code)
            .executeTakeFirstOrThrow(),
        );
      },
    );

    // ---- API tokens ----
    app.get(
      "/tokens",
      {
        config: { permission: "tokens.manage" },
        schema: {
          tags: ["admin"],
          summary: "接口令牌列表 API tokens",
          response: { 200: ApiTokenListSchema },
        },
      },
      async (req) => (await listTokens(store, visibleTokens(req.actor))).map(presentApiToken),
    );

    app.post(
      "/tokens",
      {
        config: { permission: "tokens.manage" },
        schema: {
          tags: ["admin"],
          summary: "签发接口令牌（只显示一次）Issue an API token (shown once)",
          body: CreateTokenBody,
          response: { 201: IssuedApiTokenSchema },
        },
      },
      async (req, reply) => {
        const a = req.actor;
        const department = tokenDepartment(a, req.body.department);
        if (!department) throw forbidden();
        const t = await createToken(store, a, { ...req.body, department });
        await audit(store, a, "token.create", `${t.id} ${req.body.name} ${department}`, "ok", req.ip);
        return reply.status(201).send(t);
      },
    );

    app.post(
      "/tokens/:id/revoke",
      {
        config: { permission: "tokens.manage" },
        schema: {
          tags: ["admin"],
          summary: "吊销接口令牌 Revoke an API token",
          params: TokenIdParams,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        const t = await getToken(store, req.params.id);
        if (!t || !mayRevokeToken(req.actor, t))
          throw notFound({ zh: `令牌 ${req.params.id}`, en: `Token ${req.params.id}` });
        await revokeToken(store, req.params.id);
        await audit(store, req.actor, "token.revoke", String(req.params.id), "ok", req.ip);
        return reply.status(204).send();
      },
    );

    // ---- audit ----
    app.get(
      "/audit",
      {
        config: { permission: "audit.read" },
        schema: {
          tags: ["admin"],
          summary: "审计日志 Audit log",
          querystring: AuditQuery,
          response: { 200: AuditPageSchema },
        },
      },
      async (req) => {
        const { items, total } = await listAudit(store, req.query);
        return { items: items.map(presentAuditEntry), total };
      },
    );
  };
