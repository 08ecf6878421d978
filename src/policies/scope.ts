/**
 * Which departments' data a caller sees, as a value: every department, one, or none — never a sentinel string
 * standing for "no department". The functions in src/policies/ decide it; services and queries only apply it.
 */
import type { Actor } from "../core/auth/roles.ts";

export type DepartmentScope =
  | { readonly kind: "all" }
  | { readonly kind: "one"; readonly department: string }
  | { readonly kind: "none" };

export const EVERY_DEPARTMENT: DepartmentScope = { kind: "all" };
export const NO_DEPARTMENT: DepartmentScope = { kind: "none" };
export const oneDepartment = (department: string): DepartmentScope => ({ kind: "one", department });

/** Whether the caller oversees every department's data: the city credit office. */
export function overseesAllDepartments(actor: Actor): boolean {
  return actor.role === "city_admin";
}

/**
 * Department-owned data (batches, plans, tasks, inspectors, tokens, credit checks): the city credit office sees
 * every department's, or the one it asks for; anyone else its own department's, whatever it asks for; a caller
 * without a department (an enterprise, an agency, the oversight roles) none.
 */
export function departmentScope(actor: Actor, requested?: string): DepartmentScope {
  if (overseesAllDepartments(actor))
    return requested ? oneDepartment(requested.toUpperCase()) : EVERY_DEPARTMENT;
  return actor.department ? oneDepartment(actor.department) : NO_DEPARTMENT;
}

/** The department a new item (plan, inspector, token) belongs to: the city credit office any (default its own). */
export function owningDepartment(actor: Actor, requested: string | undefined): string | null {
  return overseesAllDepartments(actor) ? (requested ?? actor.department) : actor.department;
}

/** Whether one item of a department is within the scope. */
export function inScope(scope: DepartmentScope, department: string | null): boolean {
  if (scope.kind === "all") return true;
  return scope.kind === "one" && department === scope.department;
}

/** Whether the caller may see one item owned by `department` (a 404 otherwise: it does not exist for them). */
export function mayAccessDepartment(actor: Actor, department: string | null): boolean {
  return inScope(departmentScope(actor), department);
}
