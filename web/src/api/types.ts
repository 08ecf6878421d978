/**
 * Shapes of the server's JSON answers under /api/v1. Migrating to the contract (src/contract/, see
 * docs/decisions.md): shapes already declared there are imported (types only), with the roles and their rules
 * from the server's own module; the rest are still kept here until their routes declare them.
 */

export type { Session, SessionUser } from "../../../src/contract/auth.ts";
export type { Problem, ProblemResponse as ProblemBody } from "../../../src/contract/common.ts";
export type { Permission, Role } from "../../../src/core/auth/roles.ts";
export { DEPARTMENT_ROLES, ROLES, TOKEN_SCOPES } from "../../../src/core/auth/roles.ts";

import { type Role, grantableRoles as serverGrantableRoles } from "../../../src/core/auth/roles.ts";

/** Roles an administrator in `role` may grant — the server's rule; it narrows the choice offered, the server decides. */
export function grantableRoles(role: string | undefined): Role[] {
  return serverGrantableRoles(role ? { role: role as Role } : undefined);
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** Grades of the unified scale (A best … E worst) and NR, 暂不评级（信息不足）: the server's one list. */
export { GRADES_OR_NR as GRADES, type GradeOrNR as Grade } from "../../../src/core/grades.ts";
// Subjects, records, batches, the catalog and reference lists: src/contract/records.ts, src/contract/subjects.ts.
export {
  SUBJECT_STATUSES,
  SUBJECT_TYPES,
  type SubjectType,
} from "../../../src/core/reference/subject-types.ts";

import type { GradeOrNR as Grade } from "../../../src/core/grades.ts";

// ---- Graded random inspections (双随机、一公开): src/api/routes/inspections.ts ----

export type PlanStatus = "draft" | "frozen" | "drawn" | "closed";
export type TaskStatus = "assigned" | "unassigned" | "done";
export type Outcome = "pass" | "problems" | "fail";
export type PerGrade<T> = Record<Grade, T>;

/** A plan's settings as stored (src/services/inspections/plans.ts PlanSettings). */
export interface PlanSettings {
  planDate: string;
  modelId: string;
  items: string[];
  scope: { sections?: string[]; divisions?: string[]; regions?: string[]; types?: string[] };
  ratiosBp: PerGrade<number>;
  frequencyCapPerYear: PerGrade<number | null>;
  floorYears: number | null;
  exclusionMonths: number | null;
  inspectorsPerSubject: number;
  requiredQualifications: string[];
  publishWithinWorkingDays: number;
}

/** What POST /inspection-plans and /inspection-plans/preview take. */
export interface PlanInput {
  title: string;
  department?: string;
  modelId?: string;
  items: string[];
  scope: PlanSettings["scope"];
  ratiosBp?: Partial<PerGrade<number>>;
  frequencyCapPerYear?: Partial<PerGrade<number | null>>;
  floorYears?: number | null;
  exclusionMonths?: number | null;
  inspectorsPerSubject?: number;
  requiredQualifications?: string[];
}

export interface InspectionPlan {
  id: string;
  department: string;
  title: string;
  status: PlanStatus;
  settings: PlanSettings;
  createdBy: string;
  createdAt: string;
  frozenAt: string | null;
  poolDigest: string | null;
  poolSize: number | null;
  seed: string | null;
  drawnAt: string | null;
  algorithm: string | null;
  /** Published with the pool digest; null for a plan frozen before commitments existed (or a draft). */
  seedCommitment: SeedCommitment | null;
  committedAt: string | null;
  /** GET /inspection-plans/:id: the ratios as `credit draw verify --ratios` takes them. */
  ratios?: string;
}

/** The seed a plan's draw must use, fixed at the freeze (docs/draw-algorithm.md §0.1). */
export type SeedCommitment =
  | { kind: "sha256"; digest: string }
  | { kind: "public-value"; description: string; availableOn: string };

export interface StratumCounts {
  stratum: Grade;
  candidates: number;
  excluded: number;
  mustInspect: number;
  pool: number;
  ratioBp: number;
  drawn: number;
}

/** Counts per grade: POST /inspection-plans/preview, GET /inspection-plans/:id/preview. */
export interface PlanCounts {
  planId: string;
  strata: StratumCounts[];
  total: Omit<StratumCounts, "stratum" | "ratioBp">;
}

export interface StratumStats {
  stratum: Grade;
  tasks: number;
  done: number;
  withProblems: number;
  problemRate: number | null;
}

/** GET /inspection-plans/:id/stats and /inspection-stats. */
export interface InspectionStats {
  strata: StratumStats[];
}

export interface InspectionResult {
  outcome: Outcome;
  inspectedOn: string;
  problems: string | null;
  followUp: string | null;
  enteredBy: string;
  enteredAt: string;
  publishBy: string;
  recordDocNo: string;
}

/** GET /inspection-tasks. */
export interface InspectionTask {
  id: number;
  planId: string;
  planTitle: string;
  department: string;
  items: string[];
  seq: number;
  subjectCode: string;
  subjectName: string | null;
  region: string | null;
  stratum: Grade;
  kind: "random" | "must";
  ticket: string | null;
  status: TaskStatus;
  /** Why a task is unassigned. */
  note: { zh: string; en: string } | null;
  inspectors: { id: string; name: string; rank: number }[];
  result: InspectionResult | null;
}

export interface ResultInput {
  outcome: Outcome;
  inspectedOn: string;
  problems?: string;
  followUp?: string;
}

/** POST /inspection-tasks/:id/result: the subject's grades after re-evaluation. */
export interface ResultEntered {
  taskId: number;
  docNo: string;
  subjectCode: string;
  grades: { model_id: string; score: number; grade: Grade }[];
}

/** GET /public/inspection-plans/:id (一公开). */
export interface PublicPlan {
  id: string;
  department: string;
  title: string;
  status: PlanStatus;
  items: string[];
  planDate: string;
  ratiosBp: PerGrade<number>;
  ratios: string;
  poolDigest: string | null;
  poolSize: number | null;
  frozenAt: string | null;
  seedCommitment: SeedCommitment | null;
  committedAt: string | null;
  seed: string | null;
  drawnAt: string | null;
  algorithm: string | null;
  /** How many subjects were drawn at random and how many are must-inspect; the list is paged (PublicDrawn). */
  drawnCount: { random: number; must: number };
}

/** GET /public/inspection-plans/:id/drawn (a page). */
export interface PublicDrawn {
  seq: number;
  code: string;
  name: string | null;
  stratum: Grade;
  kind: "random" | "must";
  ticket: string | null;
  result: { outcome: Outcome; inspectedOn: string; problems: string | null } | null;
}

export type PublicPlanSummary = Pick<
  PublicPlan,
  "id" | "department" | "title" | "status" | "frozenAt" | "poolDigest" | "seedCommitment" | "drawnAt"
>;
