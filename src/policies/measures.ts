/**
 * Credit checks (信用核查): the log of a department is its own and the city credit office sees every
 * department's; an enterprise sees who checked its own subject, from any department.
 */
import type { Actor } from "../core/auth/roles.ts";
import { type DepartmentScope, departmentScope, EVERY_DEPARTMENT } from "./scope.ts";

export type CreditCheckScope =
  | { readonly kind: "departments"; readonly departments: DepartmentScope }
  | { readonly kind: "subject"; readonly subject: string }
  | { readonly kind: "none" };

export function visibleCreditChecks(actor: Actor): CreditCheckScope {
  if (actor.role === "enterprise")
    return actor.subjectCode ? { kind: "subject", subject: actor.subjectCode } : { kind: "none" };
  return { kind: "departments", departments: departmentScope(actor) };
}

/** The scope as the log query's filters: which departments, and (for an enterprise) which subject. */
export function creditCheckFilter(
  scope: Exclude<CreditCheckScope, { kind: "none" }>,
  subject: string | undefined,
): { departments: DepartmentScope; subject: string | undefined } {
  return scope.kind === "subject"
    ? { departments: EVERY_DEPARTMENT, subject: scope.subject }
    : { departments: scope.departments, subject };
}
