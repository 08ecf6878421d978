/**
 * Shapes of the answers of the market-rating, other-grade and model-version routes (src/api/routes/ratings.ts,
 * src/api/routes/model-versions.ts), kept by hand like types.ts.
 */
import type { Problem } from "./types.ts";

export type AgencyStatus = "active" | "suspended";

/** GET /agencies: one registered credit agency (members only for the city credit office). */
export interface Agency {
  code: string;
  name: string;
  qualification: string;
  scale: string;
  status: AgencyStatus | string;
  created_by: string;
  created_at: string;
  updated_at: string;
  members?: { username: string; displayName: string; boundBy: string; boundAt: string }[];
}

/** GET /agency-scales. */
export interface RatingScale {
  id: string;
  kind: "letters" | "numeric" | string;
  title: { zh: string; en: string };
  grades?: string[];
  min?: number;
  max?: number;
}

/** GET /other-grades/sources. */
export interface OtherGradeSource {
  id: string;
  table: string;
  departments?: string[];
  zh: string;
  en: string;
}

/** GET /ratings: a rating as the agency gave it, with its score on 0–1000 and the mapping used. */
export interface MarketRating {
  id: number;
  agency_code: string;
  subject_code: string;
  rating: string;
  scale: string;
  score: number;
  rule: string;
  rating_date: string;
  valid_until: string;
  batch_id: string;
  submitted_by: string;
  submitted_at: string;
}

/** GET /other-grades: the original grade beside the unified one. */
export interface OtherGrade {
  id: number;
  subject_code: string;
  source: string;
  original: string;
  grade: string;
  rule: string;
  department: string;
  grade_date: string;
  valid_until: string | null;
  batch_id: string;
  submitted_by: string;
  submitted_at: string;
}

/** GET /grade-imports: one import batch of ratings or grades. */
export interface GradeImport {
  id: string;
  kind: "ratings" | "grades" | string;
  /** Agency code (ratings) or source id (grades). */
  source: string;
  department: string | null;
  submitter: string;
  channel: string;
  file_name: string | null;
  status: "committed" | "rejected" | string;
  accepted: number;
  rejected: number;
  has_rejects: boolean;
  started_at: string;
  finished_at: string | null;
}

/** What POST /ratings/imports and /other-grades/imports answer (200, or 422 when refused). */
export interface GradeImportResult {
  batchId: string;
  status: "committed" | "rejected";
  accepted: number;
  rejected: number;
  problems: Problem[];
}

/** GET /subjects/:code/external-grades. */
export interface ExternalGrades {
  subject: string;
  asOf: string;
  marketRating: {
    agency: string;
    rating: string;
    scale: string;
    score: number;
    rule: string;
    rating_date: string;
    valid_until: string;
  } | null;
  otherGrades: {
    source: string;
    original: string;
    grade: string;
    rule: string;
    department: string;
    grade_date: string;
    valid_until: string | null;
  }[];
  history: {
    ratings: Omit<MarketRating, "subject_code">[];
    grades: Omit<OtherGrade, "subject_code">[];
  };
}

/** POST /models/:id/diff. */
export interface ModelDiff {
  modelId: string;
  asOf: string;
  current: { version: string; digest: string };
  draft: { version: string; digest: string };
  subjects: number;
  /** A–E, NR, and OUT when a scope changes. */
  grades: string[];
  /** matrix[current grade][draft grade] = subjects. */
  matrix: Record<string, Record<string, number>>;
  currentCounts: Record<string, number>;
  draftCounts: Record<string, number>;
  psi: number;
  shift: "stable" | "moderate" | "major";
  /** The thresholds the shift was read with. */
  psiBands: { moderate: number; major: number };
  moves: { up: number; down: number; same: number; other: number };
  scoreChanges: { changed: number; mean: number };
  seconds: number;
}

/** GET /models/:id/versions. */
export interface ModelVersions {
  current: { id: string; version: string; digest: string; owner: string; source: string };
  published: {
    id: number;
    model_id: string;
    version: string;
    owner: string;
    digest: string;
    previous_version: string | null;
    previous_digest: string | null;
    published_by: string;
    published_at: string;
    note: string | null;
  }[];
}

/** GET /models/:id/source. */
export interface ModelSource {
  id: string;
  version: string;
  owner: string;
  source: string;
  yaml: string;
}

/** POST /models/:id/publish. */
export interface PublishResult {
  id: number;
  modelId: string;
  version: string;
  digest: string;
  previousVersion: string;
  previousDigest: string;
  publishedAt: string;
  publishedBy: string;
}
