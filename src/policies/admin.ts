/**
 * Accounts and API tokens: whom an administrator sees and may change, which roles they may grant (three-way
 * separation of duties, 三员分立), and which department's tokens they manage. The web app narrows its forms with
 * the same functions (it imports this module); the server decides.
 */
import type { Actor, Role } from "../core/auth/roles.ts";
import { type DepartmentScope, departmentScope, mayAccessDepartment, owningDepartment } from "./scope.ts";

/** Roles an administrator may grant: three-way separation, a department admin only inside the department. */
export function grantableRoles(actor: Pick<Actor, "role"> | undefined): Role[] {
  if (actor?.role === "city_admin")
    return ["city_admin", "dept_admin", "dept_staff", "inspector", "enterprise", "agency"];
  if (actor?.role === "security_admin") return ["auditor", "security_admin"];
  if (actor?.role === "dept_admin") return ["dept_staff", "inspector"];
  return [];
}

/** The accounts an administrator sees: a filter on department and on role ("any": no filter). */
export interface UserFilter {
  readonly department: string | "any";
  readonly roles: readonly Role[] | "any";
}

export function visibleUsers(actor: Actor): UserFilter {
  if (actor.role === "dept_admin") return { department: actor.department ?? "", roles: "any" };
  if (actor.role === "security_admin") return { department: "any", roles: grantableRoles(actor) };
  return { department: "any", roles: "any" };
}

/** Changing an account: one whose role the administrator could grant, in their department for a department admin. */
export function mayManageUser(actor: Actor, user: { role: string; department: string | null }): boolean {
  if (!grantableRoles(actor).includes(user.role as Role)) return false;
  return actor.role !== "dept_admin" || user.department === actor.department;
}

/** Whether the administrator may move an account to another department (a department admin may not). */
export const mayChangeUserDepartment = (actor: Actor): boolean => actor.role !== "dept_admin";

/** The department a new account gets from the administrator's request: a department admin's own. */
export function newUserDepartment(actor: Actor, requested: string | null | undefined): string | null {
  return actor.role === "dept_admin" ? actor.department : (requested ?? null);
}

/** API tokens: the department's own; the city credit office every department's. */
export const visibleTokens = (actor: Actor): DepartmentScope => departmentScope(actor);

export const mayRevokeToken = (actor: Actor, token: { department: string | null }): boolean =>
  mayAccessDepartment(actor, token.department);

/** The department a new token acts for: the city credit office any (default its own), others their own. */
export const tokenDepartment = owningDepartment;
