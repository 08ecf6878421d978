/**
 * Row types of the tables of migration 007 (graded random inspections), merged into `Database` so that
 * `store.db` knows them.
 */
import type { Generated, Selectable } from "kysely";

export interface InspectorTable {
  /** The department's staff number, e.g. `SCJG-0007`: the draw ranks inspectors by it. */
  id: string;
  department: string;
  name: string;
  /** 行政执法证号. */
  certificate_no: string;
  /** JSON array of qualification names (e.g. `食品安全`). */
  qualifications: string;
  /** The platform account of the inspector (role inspector), when bound. */
  user_id: number | null;
  /** active | inactive */
  status: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface InspectorConflictTable {
  id: Generated<number>;
  inspector_id: string;
  subject_code: string;
  reason: string;
  /** active | withdrawn */
  status: string;
  declared_by: string;
  declared_at: string;
  withdrawn_at: string | null;
}

export interface InspectionPlanTable {
  id: string;
  department: string;
  title: string;
  /** JSON of PlanSettings (services/inspections/plans.ts): scope, items, ratios, caps, floor, exclusions. */
  settings: string;
  /** draft | frozen | drawn | closed */
  status: string;
  created_by: string;
  created_at: string;
  frozen_by: string | null;
  frozen_at: string | null;
  /** SHA-256 of the pool file, published when the pool is frozen, before the seed exists. */
  pool_digest: string | null;
  pool_size: number | null;
  seed: string | null;
  drawn_by: string | null;
  drawn_at: string | null;
  /** Draw algorithm version (core/sampling/draw.ts). */
  algorithm: string | null;
  closed_at: string | null;
  /**
   * JSON of the seed commitment (core/sampling/draw.ts SeedCommitment), published with the pool digest (migration
   * 008); null for plans frozen before commitments existed.
   */
  seed_commitment: string | null;
  /** When the commitment was recorded. */
  committed_at: string | null;
}

export interface InspectionPoolTable {
  plan_id: string;
  subject_code: string;
  /** The unified grade used as stratum, or NR. */
  stratum: string;
  /** pool (the random part) | must (overdue: inspected outside the draw) | excluded */
  part: string;
  /** Why a subject is must-inspect or excluded (JSON {zh, en}). */
  note: string | null;
}

export interface InspectionTaskTable {
  id: Generated<number>;
  plan_id: string;
  /** Order in the published result: drawn subjects in ticket order, then must-inspect ones in code order. */
  seq: number;
  subject_code: string;
  stratum: string;
  /** random | must */
  kind: string;
  ticket: string | null;
  /** assigned | unassigned (no eligible inspectors) | done */
  status: string;
  /** Why a task has no inspectors (JSON {zh, en}). */
  note: string | null;
}

export interface InspectionAssignmentTable {
  task_id: number;
  inspector_id: string;
  /** 1 = lead inspector. */
  rank: number;
}

export interface InspectionResultTable {
  id: Generated<number>;
  task_id: number;
  plan_id: string;
  subject_code: string;
  /** pass | problems | fail (the INSPECTION record's result) */
  outcome: string;
  problems: string | null;
  follow_up: string | null;
  inspected_on: string;
  /** The credit record (INSPECTION) the result became. */
  record_doc_no: string;
  is_current: number;
  entered_by: string;
  entered_at: string;
  /** Last day for publication (一公开): inspected_on plus the configured working days. */
  publish_by: string;
}

declare module "./schema.ts" {
  interface Database {
    inspectors: InspectorTable;
    inspector_conflicts: InspectorConflictTable;
    inspection_plans: InspectionPlanTable;
    inspection_pool: InspectionPoolTable;
    inspection_tasks: InspectionTaskTable;
    inspection_assignments: InspectionAssignmentTable;
    inspection_results: InspectionResultTable;
  }
}

export type Inspector = Selectable<InspectorTable>;
export type InspectionPlan = Selectable<InspectionPlanTable>;
export type InspectionTask = Selectable<InspectionTaskTable>;
export type InspectionResult = Selectable<InspectionResultTable>;
