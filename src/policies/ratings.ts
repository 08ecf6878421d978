/**
 * Market ratings, other systems' grades and their import batches: an agency user sees its own agency's, a
 * department the grade batches it issued, the city credit office everything.
 */
import type { Actor } from "../core/auth/roles.ts";
import { overseesAllDepartments } from "./scope.ts";

/**
 * The department a caller submits other systems' grades for: its own; the city credit office any (default its
 * own). Undefined: the caller may not submit for the department asked for.
 */
export function issuingDepartment(
  actor: Actor,
  requested: string | undefined,
  cityOffice: string,
): string | undefined {
  if (overseesAllDepartments(actor)) return requested?.toUpperCase() || actor.department || cityOffice;
  if (!actor.department || (requested && requested.toUpperCase() !== actor.department)) return undefined;
  return actor.department;
}

/** An agency user's view is decided by the agency their account is bound to (null: bound to none). */
export const actsForAgency = (actor: Actor): boolean => actor.role === "agency";

/**
 * Rating and grade import batches a caller sees: every batch (the city credit office); an agency's ratings
 * batches (an agency user; none when the account is bound to no agency); or the grade batches of a department
 * and whatever the caller submitted.
 */
export type GradeImportScope =
  | { readonly kind: "all" }
  | { readonly kind: "agency"; readonly agency: string | null }
  | { readonly kind: "own"; readonly submitter: string; readonly department: string | null };

export function visibleGradeImports(actor: Actor, ownAgency: string | null): GradeImportScope {
  if (overseesAllDepartments(actor)) return { kind: "all" };
  if (actsForAgency(actor)) return { kind: "agency", agency: ownAgency };
  return { kind: "own", submitter: actor.name, department: actor.department };
}

export function mayReadGradeImport(
  scope: GradeImportScope,
  batch: { kind: string; source: string; submitter: string; department: string | null },
): boolean {
  if (scope.kind === "all") return true;
  if (scope.kind === "agency")
    return scope.agency !== null && batch.kind === "ratings" && batch.source === scope.agency;
  return (
    batch.submitter === scope.submitter ||
    (batch.kind === "grades" && scope.department !== null && batch.department === scope.department)
  );
}

/** Market ratings listed: an agency user its own agency's only (none if bound to none); others any or the one asked. */
export function visibleRatingsAgency(
  actor: Actor,
  ownAgency: string | null,
  requested: string | undefined,
): { readonly agency: string | undefined } | "none" {
  if (!actsForAgency(actor)) return { agency: requested };
  return ownAgency ? { agency: ownAgency } : "none";
}

/** Whether the register of agencies shows the users bound to each agency: to the city office, which binds them. */
export const seesAgencyMembers = (actor: Actor): boolean => overseesAllDepartments(actor);
