/**
 * Row types of the tables of migration 005 (market ratings, other systems' grades, published model
 * versions), merged into `Database` so that `store.db` knows them.
 */
import type { Generated, Selectable } from "kysely";

export interface CreditAgencyTable {
  /** The platform's code for the agency, e.g. `XYPJ01`. */
  code: string;
  name: string;
  /** 资质 / 备案: the basis on which it rates (e.g. its PBOC filing number). */
  qualification: string;
  /** Its rating scale: a file id under policy/grades/agency-scales/ (`aaa-c`, `0-100`). */
  scale: string;
  /** active | suspended (ratings no longer count and none are accepted) */
  status: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface AgencyMemberTable {
  /** A user with role `agency`. */
  user_id: number;
  agency_code: string;
  bound_by: string;
  bound_at: string;
}

export interface GradeImportTable {
  id: string;
  /** ratings | grades */
  kind: string;
  /** Agency code (ratings) or other-system source id (grades). */
  source: string;
  department: string | null;
  submitter: string;
  /** rest | file | cli */
  channel: string;
  file_name: string | null;
  /** committed | rejected */
  status: string;
  accepted: number;
  rejected: number;
  rejects_file: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface MarketRatingTable {
  id: Generated<number>;
  agency_code: string;
  subject_code: string;
  /** The rating as the agency gave it, on its own scale (`AA+`, `87.5`). */
  rating: string;
  scale: string;
  /** Normalised to 0–1000 by the scale's mapping in force on the rating date. */
  score: number;
  /** The mapping used: `<scale>@<from date>`. */
  rule: string;
  rating_date: string;
  valid_until: string;
  batch_id: string;
  submitted_by: string;
  submitted_at: string;
}

export interface OtherGradeTable {
  id: Generated<number>;
  subject_code: string;
  /** Source id in policy/other-grades.yaml (tax, samr-risk, …). */
  source: string;
  /** The grade (or score) as the other system gave it. */
  original: string;
  /** Unified grade A–E, or NR when the other system could not judge (tax M). */
  grade: string;
  /** The mapping used: `<table>@<from date>`. */
  rule: string;
  /** Issuing department. */
  department: string;
  grade_date: string;
  /** Null: stands until a newer grade of the same source. */
  valid_until: string | null;
  batch_id: string;
  submitted_by: string;
  submitted_at: string;
}

export interface ModelVersionTable {
  id: Generated<number>;
  model_id: string;
  version: string;
  owner: string;
  /** The model file as published (same format as policy/models/<id>.yaml). */
  yaml: string;
  /** compileModel's digest of the definition (with its grade bands at publication). */
  digest: string;
  previous_version: string | null;
  previous_digest: string | null;
  published_by: string;
  published_at: string;
  note: string | null;
}

declare module "./schema.ts" {
  interface Database {
    credit_agencies: CreditAgencyTable;
    agency_members: AgencyMemberTable;
    grade_imports: GradeImportTable;
    market_ratings: MarketRatingTable;
    other_grades: OtherGradeTable;
    model_versions: ModelVersionTable;
  }
}

export type CreditAgency = Selectable<CreditAgencyTable>;
export type MarketRating = Selectable<MarketRatingTable>;
export type OtherGrade = Selectable<OtherGradeTable>;
export type ModelVersion = Selectable<ModelVersionTable>;
