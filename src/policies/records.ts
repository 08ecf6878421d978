/**
 * Credit records and their import batches: who may submit for which department, which batches a caller sees,
 * who may revoke a record, and whose records a caller may read.
 */
import { type Actor, can } from "../core/auth/roles.ts";
import {
  type DepartmentScope,
  departmentScope,
  mayAccessDepartment,
  overseesAllDepartments,
} from "./scope.ts";

/**
 * Which department an actor may submit records for: department roles and tokens only their own (asking for
 * another is refused: false); the city credit office for any (it collects on behalf of departments without a
 * system), undefined meaning the department each row names.
 */
export function submitDepartment(actor: Actor, requested: string | undefined): string | undefined | false {
  if (overseesAllDepartments(actor)) return requested;
  if (!actor.department) return false;
  if (requested && requested.toUpperCase() !== actor.department) return false;
  return actor.department;
}

/** Rows naming another department than the submitter's are refused, except from the city credit office. */
export function rowsOnlyOf(actor: Actor): string | undefined {
  return overseesAllDepartments(actor) ? undefined : (actor.department ?? undefined);
}

/** Import batches: the department's own; the city credit office every department's or the one it asks for. */
export const visibleBatches = (actor: Actor, requested?: string): DepartmentScope =>
  departmentScope(actor, requested);

export const mayReadBatch = (actor: Actor, batch: { department: string | null }): boolean =>
  mayAccessDepartment(actor, batch.department);

/** Revoking a record: its own department's administrators, or the city credit office (with records.revoke). */
export const mayRevokeRecord = (actor: Actor, record: { department: string | null }): boolean =>
  mayAccessDepartment(actor, record.department);

/**
 * Credit records of a subject are shared across government roles (归集共享 is the point of the platform);
 * an enterprise user sees only its own subject.
 */
export function mayReadSubject(actor: Actor, subjectCode: string): boolean {
  if (actor.role === "enterprise") return actor.subjectCode === subjectCode;
  return can(actor, "subjects.read");
}
