/**
 * The writes of administration — accounts, departments, API tokens — each with its audit entry in the same
 * transaction. Who may do which is asked of src/policies/admin.ts; the routes only parse and present.
 */
import type { z } from "zod";
import type { CreateTokenBody, CreateUserBody, UpdateUserBody } from "../../contract/admin.ts";
import { passwordProblems } from "../../core/auth/password.ts";
import { DEPARTMENT_ROLES } from "../../core/auth/roles.ts";
import { forbidden, InputError, notFound, problem } from "../../core/problem.ts";
import { normalizeCode } from "../../core/uscc/uscc.ts";
import {
  grantableRoles,
  mayChangeUserDepartment,
  mayManageUser,
  mayRevokeToken,
  newUserDepartment,
  tokenDepartment,
} from "../../policies/admin.ts";
import { security } from "../../policy/load.ts";
import type { Store } from "../../store/db.ts";
import type { DepartmentTable as Department, User } from "../../store/schema.ts";
import { createUser, endSessions, resetSignInFailures } from "../auth/accounts.ts";
import { hashPassword } from "../auth/password.ts";
import { createToken, getToken, revokeToken } from "../auth/tokens.ts";
import { audited, type Caller } from "../command.ts";

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

/** A new account: a role the administrator may grant, a department for department roles, a subject for an enterprise. */
export async function createAccount(
  store: Store,
  caller: Caller,
  b: z.output<typeof CreateUserBody>,
  cityOffice: string,
): Promise<User> {
  const a = caller.actor;
  if (!grantableRoles(a).includes(b.role)) throw roleNotGrantable(b.role);
  const department = newUserDepartment(a, b.department);
  const needsDept = DEPARTMENT_ROLES.includes(b.role);
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
  return audited(
    store,
    caller,
    "user.create",
    (tx) =>
      createUser(tx, {
        username: b.username,
        displayName: b.displayName,
        role: b.role,
        department: needsDept ? department : b.role === "city_admin" ? cityOffice : null,
        subjectCode: b.subjectCode ? normalizeCode(b.subjectCode) : null,
        password: b.password,
        mustChangePassword: true,
      }),
    (user) => `${user.username} role=${user.role}`,
  );
}

/** Changes an account the administrator manages; a password set here ends the user's sessions. */
export async function changeAccount(
  store: Store,
  caller: Caller,
  id: number,
  b: z.output<typeof UpdateUserBody>,
): Promise<User> {
  const a = caller.actor;
  const user = await store.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  if (!user || !mayManageUser(a, user)) throw notFound({ zh: `用户 ${id}`, en: `User ${id}` });
  if (b.role && !grantableRoles(a).includes(b.role)) throw roleNotGrantable(b.role);
  if (b.password) {
    const weak = passwordProblems(b.password, security().password);
    if (weak.length) throw new InputError(weak);
  }
  // Hashed before the transaction: scrypt takes a tenth of a second, no reason to hold the database meanwhile.
  const passwordHash = b.password ? await hashPassword(b.password) : undefined;
  const changed = `${Object.keys(b)
    .filter((k) => k !== "password")
    .join(",")}${b.password ? ",password" : ""}`;
  return audited(
    store,
    caller,
    "user.update",
    async (tx) => {
      await tx.db
        .updateTable("users")
        .set({
          ...(b.displayName ? { display_name: b.displayName } : {}),
          ...(b.role ? { role: b.role } : {}),
          ...(b.department !== undefined && mayChangeUserDepartment(a) ? { department: b.department } : {}),
          ...(b.status ? { status: b.status } : {}),
          ...(passwordHash
            ? { password_hash: passwordHash, must_change_password: 1, failed_logins: 0, locked_until: null }
            : {}),
          updated_at: new Date().toISOString(),
        })
        .where("id", "=", id)
        .execute();
      // A disabled account, or one whose password an administrator set, keeps no session open.
      if (b.status === "disabled" || b.password) await endSessions(tx, id);
      if (b.password) await resetSignInFailures(tx, user.username);
      return tx.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    },
    () => `${user.username} ${changed}`,
  );
}

export async function createDepartment(
  store: Store,
  caller: Caller,
  b: { code: string; nameZh: string; nameEn: string },
): Promise<Department> {
  return audited(
    store,
    caller,
    "department.create",
    async (tx) => {
      const exists = await tx.db
        .selectFrom("departments")
        .select("code")
        .where("code", "=", b.code)
        .executeTakeFirst();
      if (exists)
        throw new InputError(
          [
            problem(
              "department.exists",
              {
                zh: `部门代码 ${b.code} 已存在`,
                en: `Department code ${b.code} exists`,
                fixZh: "换一个代码",
                fixEn: "Choose another code",
              },
              { field: "code" },
            ),
          ],
          409,
        );
      const row = {
        code: b.code,
        name_zh: b.nameZh,
        name_en: b.nameEn,
        created_at: new Date().toISOString(),
      };
      await tx.db.insertInto("departments").values(row).execute();
      return row;
    },
    (d) => d.code,
  );
}

export async function renameDepartment(
  store: Store,
  caller: Caller,
  code: string,
  names: { nameZh?: string | undefined; nameEn?: string | undefined },
): Promise<Department> {
  const { nameZh, nameEn } = names;
  if (nameZh === undefined && nameEn === undefined)
    throw new InputError([
      problem("request.empty", {
        zh: "没有要修改的内容",
        en: "Nothing to change",
        fixZh: "提供 nameZh（中文名称）或 nameEn（英文名称）",
        fixEn: "Give nameZh (Chinese name) or nameEn (English name)",
      }),
    ]);
  return audited(
    store,
    caller,
    "department.update",
    async (tx) => {
      const r = await tx.db
        .updateTable("departments")
        .set({
          ...(nameZh !== undefined ? { name_zh: nameZh } : {}),
          ...(nameEn !== undefined ? { name_en: nameEn } : {}),
        })
        .where("code", "=", code)
        .executeTakeFirst();
      if (!Number(r.numUpdatedRows)) throw notFound({ zh: `部门 ${code}`, en: `Department ${code}` });
      return tx.db.selectFrom("departments").selectAll().where("code", "=", code).executeTakeFirstOrThrow();
    },
    () => code,
  );
}

/** Issues an API token for the caller's department (the city office: any); the secret is shown once. */
export async function issueToken(store: Store, caller: Caller, b: z.output<typeof CreateTokenBody>) {
  const department = tokenDepartment(caller.actor, b.department);
  if (!department) throw forbidden();
  return audited(
    store,
    caller,
    "token.create",
    (tx) => createToken(tx, caller.actor, { ...b, department }),
    (t) => `${t.id} ${b.name} ${department}`,
  );
}

export async function revokeApiToken(store: Store, caller: Caller, id: number): Promise<void> {
  const t = await getToken(store, id);
  if (!t || !mayRevokeToken(caller.actor, t)) throw notFound({ zh: `令牌 ${id}`, en: `Token ${id}` });
  await audited(
    store,
    caller,
    "token.revoke",
    (tx) => revokeToken(tx, id),
    () => String(id),
  );
}
