/**
 * Random inspections (双随机): which plans, tasks and inspectors a caller sees, and who may act on them. Plans,
 * tasks and the inspector directory belong to a department (departmentScope); an inspector works on the tasks
 * assigned to them and declares conflicts on their own record only.
 */
import type { Actor } from "../core/auth/roles.ts";
import { type DepartmentScope, departmentScope, mayAccessDepartment, NO_DEPARTMENT } from "./scope.ts";

/** Plans and statistics: the department's own; the city credit office every department's or the one it asks for. */
export const visiblePlans = (actor: Actor, requested?: string): DepartmentScope =>
  departmentScope(actor, requested);

/** One plan (or its tasks, pool, statistics): within the caller's departments, or it does not exist for them. */
export const mayReadPlan = (actor: Actor, plan: { department: string }): boolean =>
  mayAccessDepartment(actor, plan.department);

/** Freeze, draw, close, commit: the plan's own department (the route requires inspections.manage too). */
export const mayManagePlan = mayReadPlan;

/** The inspector directory: the department's own; the city credit office any. */
export const visibleInspectors = (actor: Actor, requested?: string): DepartmentScope =>
  departmentScope(actor, requested);

/** Updating an inspector's record: an administrator of the inspector's department (or the city office). */
export const mayManageInspector = (actor: Actor, inspector: { department: string }): boolean =>
  mayAccessDepartment(actor, inspector.department);

/** An actor whose tasks and conflicts are decided by their own inspector record, not by their department. */
export const actsAsInspector = (actor: Actor): boolean => actor.role === "inspector";

/**
 * Who may declare or withdraw an inspector's conflicts of interest (回避): an inspector only on their own
 * record — never a colleague's, which would steer or block assignment — and the department's administrators
 * (or the city office) for the department's inspectors. `me` is the caller's own inspector record, if any.
 */
export function mayActOnConflicts(
  actor: Actor,
  inspector: { id: string; department: string },
  me: { id: string } | undefined,
): boolean {
  if (actsAsInspector(actor)) return me?.id === inspector.id;
  return mayAccessDepartment(actor, inspector.department);
}

/** The tasks a caller sees: an inspector those assigned to them; anyone else their departments' tasks. */
export type TaskScope =
  | { readonly kind: "assigned"; readonly inspectorId: string }
  | { readonly kind: "departments"; readonly departments: DepartmentScope };

export function visibleTasks(actor: Actor, me: { id: string } | undefined): TaskScope {
  if (actsAsInspector(actor))
    return me
      ? { kind: "assigned", inspectorId: me.id }
      : { kind: "departments", departments: NO_DEPARTMENT };
  return { kind: "departments", departments: departmentScope(actor) };
}

/**
 * Who may enter a task's result: an inspector assigned to it, or staff of the plan's department on their behalf
 * — not the city office, which supervises the departments' inspections and does not carry them out.
 */
export function mayEnterResult(actor: Actor, task: { department: string; assignedToMe: boolean }): boolean {
  if (actsAsInspector(actor)) return task.assignedToMe;
  return actor.role !== "city_admin" && mayAccessDepartment(actor, task.department);
}
