/**
 * 执法检查人员名录库: inspectors of each department with their qualifications, and their declared conflicts of
 * interest (回避). Inspectors are deactivated, never deleted; a conflict is withdrawn, never deleted.
 */
import type { Actor } from "../../core/auth/roles.ts";
import { InputError, notFoundError, problem } from "../../core/problem.ts";
import { normalizeCode } from "../../core/uscc/uscc.ts";
import { actsAsInspector, mayActOnConflicts, mayManageInspector } from "../../policies/inspections.ts";
import { type DepartmentScope, oneDepartment, owningDepartment } from "../../policies/scope.ts";
import type { Store } from "../../store/db.ts";
import type { Inspector } from "../../store/schema-inspections.ts";
import { whereDepartment } from "../../store/where-department.ts";

export interface InspectorView {
  id: string;
  department: string;
  name: string;
  certificateNo: string;
  qualifications: string[];
  userId: number | null;
  username: string | null;
  status: "active" | "inactive";
  conflicts: { id: number; subjectCode: string; reason: string; declaredAt: string }[];
}

export interface InspectorInput {
  id: string;
  department?: string | undefined;
  name: string;
  certificateNo: string;
  qualifications: string[];
  username?: string | null | undefined;
}

const notYours = () =>
  new InputError(
    [
      problem("inspector.department", {
        zh: "只能管理本部门的执法检查人员",
        en: "You can manage only your own department's inspectors",
        fixZh: "请本部门管理员或市信用办操作",
        fixEn: "Ask your department's administrator or the city credit office",
      }),
    ],
    403,
  );

export const inspectorNotFound = (id: string) =>
  new InputError(
    [
      problem(
        "not_found",
        {
          zh: `执法检查人员 ${id} 不存在`,
          en: `Inspector ${id} does not exist`,
          fixZh: "核对执法人员编号",
          fixEn: "Check the inspector's number",
        },
        { field: "id", value: id },
      ),
    ],
    404,
  );

function view(i: Inspector, username: string | null, conflicts: InspectorView["conflicts"]): InspectorView {
  return {
    id: i.id,
    department: i.department,
    name: i.name,
    certificateNo: i.certificate_no,
    qualifications: JSON.parse(i.qualifications) as string[],
    userId: i.user_id === null ? null : Number(i.user_id),
    username,
    // Only addInspector and updateInspector write it, and only these two values (the request schemas).
    status: i.status as InspectorView["status"],
    conflicts,
  };
}

export async function listInspectors(
  store: Store,
  opts: { departments: DepartmentScope; status?: string | undefined },
): Promise<InspectorView[]> {
  let q = store.db
    .selectFrom("inspectors")
    .leftJoin("users", "users.id", "inspectors.user_id")
    .selectAll("inspectors")
    .select("users.username");
  q = q.where(whereDepartment(opts.departments, "inspectors.department"));
  if (opts.status) q = q.where("inspectors.status", "=", opts.status);
  const rows = await q.orderBy("inspectors.id").execute();
  const conflicts = await activeConflicts(
    store,
    rows.map((r) => r.id),
  );
  return rows.map((r) =>
    view(
      r,
      r.username ?? null,
      conflicts
        .filter((c) => c.inspector_id === r.id)
        .map((c) => ({
          id: Number(c.id),
          subjectCode: c.subject_code,
          reason: c.reason,
          declaredAt: c.declared_at,
        })),
    ),
  );
}

async function activeConflicts(store: Store, inspectorIds: string[]) {
  const out = [];
  for (let i = 0; i < inspectorIds.length; i += 500)
    out.push(
      ...(await store.db
        .selectFrom("inspector_conflicts")
        .selectAll()
        .where("status", "=", "active")
        .where("inspector_id", "in", inspectorIds.slice(i, i + 500))
        .execute()),
    );
  return out;
}

/** Conflicts of the department's inspectors, as the draw takes them. */
export async function conflictsOf(store: Store, department: string) {
  const rows = await store.db
    .selectFrom("inspector_conflicts")
    .innerJoin("inspectors", "inspectors.id", "inspector_conflicts.inspector_id")
    .select(["inspector_conflicts.inspector_id", "inspector_conflicts.subject_code"])
    .where("inspector_conflicts.status", "=", "active")
    .where("inspectors.department", "=", department)
    .execute();
  return rows.map((r) => ({ inspectorId: r.inspector_id, subjectCode: r.subject_code }));
}

export async function getInspector(store: Store, id: string): Promise<Inspector | undefined> {
  return store.db.selectFrom("inspectors").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The inspector record bound to a user account (an inspector's own tasks). */
export async function inspectorOfUser(store: Store, userId: number | null): Promise<Inspector | undefined> {
  if (userId === null) return undefined;
  return store.db
    .selectFrom("inspectors")
    .selectAll()
    .where("user_id", "=", userId)
    .where("status", "=", "active")
    .executeTakeFirst();
}

async function userIdOf(store: Store, username: string | null | undefined, department: string) {
  if (!username) return null;
  const u = await store.db
    .selectFrom("users")
    .select(["id", "role", "department"])
    .where("username", "=", username)
    .executeTakeFirst();
  if (u?.role !== "inspector" || u.department !== department)
    throw new InputError([
      problem(
        "inspector.user",
        {
          zh: `账号 ${username} 不存在，或不是 ${department} 的执法检查人员账号`,
          en: `Account ${username} does not exist or is not an inspector account of ${department}`,
          fixZh: "先在“用户管理”中为其建立本部门的执法检查人员账号",
          fixEn: "First create an inspector account of the department under Users",
        },
        { field: "username", value: username },
      ),
    ]);
  return Number(u.id);
}

export async function addInspector(
  store: Store,
  actor: Actor,
  input: InspectorInput,
): Promise<InspectorView> {
  const department = owningDepartment(actor, input.department);
  if (!department) throw notYours();
  if (await getInspector(store, input.id))
    throw new InputError(
      [
        problem(
          "inspector.exists",
          {
            zh: `执法人员编号 ${input.id} 已存在`,
            en: `Inspector number ${input.id} already exists`,
            fixZh: "编号不可重复；如需修改信息请编辑该人员",
            fixEn: "Numbers are unique; edit the existing inspector instead",
          },
          { field: "id", value: input.id },
        ),
      ],
      409,
    );
  const now = new Date().toISOString();
  await store.db
    .insertInto("inspectors")
    .values({
      id: input.id,
      department,
      name: input.name,
      certificate_no: input.certificateNo,
      qualifications: JSON.stringify(input.qualifications),
      user_id: await userIdOf(store, input.username, department),
      status: "active",
      created_by: actor.name,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return (await listInspectors(store, { departments: oneDepartment(department) })).find(
    (i) => i.id === input.id,
  )!;
}

export async function updateInspector(
  store: Store,
  actor: Actor,
  id: string,
  patch: {
    name?: string | undefined;
    certificateNo?: string | undefined;
    qualifications?: string[] | undefined;
    status?: "active" | "inactive" | undefined;
    username?: string | null | undefined;
  },
): Promise<InspectorView> {
  const cur = await getInspector(store, id);
  if (!cur || !mayManageInspector(actor, cur)) throw inspectorNotFound(id);
  await store.db
    .updateTable("inspectors")
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.certificateNo !== undefined ? { certificate_no: patch.certificateNo } : {}),
      ...(patch.qualifications !== undefined ? { qualifications: JSON.stringify(patch.qualifications) } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.username !== undefined
        ? { user_id: await userIdOf(store, patch.username, cur.department) }
        : {}),
      updated_at: new Date().toISOString(),
    })
    .where("id", "=", id)
    .execute();
  return (await listInspectors(store, { departments: oneDepartment(cur.department) })).find(
    (i) => i.id === id,
  )!;
}

/** Whether the caller may act on the inspector's conflicts (src/policies/inspections.ts decides). */
async function mayActOnConflictsOf(
  store: Store,
  actor: Actor,
  inspector: { id: string; department: string },
) {
  const me = actsAsInspector(actor) ? await inspectorOfUser(store, actor.id) : undefined;
  return mayActOnConflicts(actor, inspector, me);
}

/** Declares a conflict of interest: the inspector will not be assigned to the subject. */
export async function declareConflict(
  store: Store,
  actor: Actor,
  inspectorId: string,
  input: { subjectCode: string; reason: string },
): Promise<number> {
  const cur = await getInspector(store, inspectorId);
  if (!cur || !(await mayActOnConflictsOf(store, actor, cur))) throw inspectorNotFound(inspectorId);
  const r = await store.db
    .insertInto("inspector_conflicts")
    .values({
      inspector_id: inspectorId,
      subject_code: normalizeCode(input.subjectCode),
      reason: input.reason,
      status: "active",
      declared_by: actor.name,
      declared_at: new Date().toISOString(),
      withdrawn_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function withdrawConflict(store: Store, actor: Actor, conflictId: number): Promise<void> {
  const c = await store.db
    .selectFrom("inspector_conflicts")
    .innerJoin("inspectors", "inspectors.id", "inspector_conflicts.inspector_id")
    .select(["inspector_conflicts.id", "inspectors.id as inspectorId", "inspectors.department"])
    .where("inspector_conflicts.id", "=", conflictId)
    .where("inspector_conflicts.status", "=", "active")
    .executeTakeFirst();
  if (!c || !(await mayActOnConflictsOf(store, actor, { id: c.inspectorId, department: c.department })))
    throw notFoundError({
      zh: `回避声明 ${conflictId} 不存在或已撤回`,
      en: `Conflict declaration ${conflictId} does not exist or was withdrawn`,
      fixZh: "刷新列表后重试",
      fixEn: "Reload the list and try again",
    });
  await store.db
    .updateTable("inspector_conflicts")
    .set({ status: "withdrawn", withdrawn_at: new Date().toISOString() })
    .where("id", "=", conflictId)
    .execute();
}
