/**
 * The server's answers under /api/v1 as the pages use them: every shape is imported from the contract
 * (src/contract/, see docs/decisions.md) and the roles with their rules from the server's own module — nothing
 * here is written by hand a second time.
 */

export type { Session, SessionUser } from "../../../src/contract/auth.ts";
export type { Problem, ProblemResponse as ProblemBody } from "../../../src/contract/common.ts";
export type { Permission, Role } from "../../../src/core/auth/roles.ts";
export { DEPARTMENT_ROLES, ROLES, TOKEN_SCOPES } from "../../../src/core/auth/roles.ts";

import type { Role } from "../../../src/core/auth/roles.ts";
import { grantableRoles as serverGrantableRoles } from "../../../src/policies/admin.ts";

/** Roles an administrator in `role` may grant — the server's rule; it narrows the choice offered, the server decides. */
export function grantableRoles(role: string | undefined): Role[] {
  return serverGrantableRoles(role ? { role: role as Role } : undefined);
}

export type { Page } from "../../../src/contract/common.ts";

/** Grades of the unified scale (A best … E worst) and NR, 暂不评级（信息不足）: the server's one list. */
export { GRADES_OR_NR as GRADES, type GradeOrNR as Grade } from "../../../src/core/grades.ts";
// Subjects, records, batches, the catalog and reference lists: src/contract/records.ts, src/contract/subjects.ts.
export {
  SUBJECT_STATUSES,
  SUBJECT_TYPES,
  type SubjectType,
} from "../../../src/core/reference/subject-types.ts";

import type { GradeOrNR as Grade } from "../../../src/core/grades.ts";

// Graded random inspections (双随机、一公开): src/contract/inspection-plans.ts.
export type {
  InspectionPlan,
  InspectionPlanDetail,
  InspectionStats,
  InspectionTask,
  Outcome,
  PlanCounts,
  PlanInput,
  PlanSettings,
  PlanStatus,
  PublicDrawn,
  PublicPlan,
  PublicPlanSummary,
  ResultEntered,
  ResultInput,
  SeedCommitment,
  StratumCounts,
  StratumStats,
  TaskStatus,
} from "../../../src/contract/inspection-plans.ts";

/** A value per grade of the unified scale and NR. */
export type PerGrade<T> = Record<Grade, T>;
