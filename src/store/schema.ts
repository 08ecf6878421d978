import type { Generated, Insertable, Selectable } from "kysely";

/** Dates are ISO strings (`YYYY-MM-DD`), times ISO-8601 UTC strings: one representation on both engines. */
export interface DepartmentTable {
  code: string;
  name_zh: string;
  name_en: string;
  created_at: string;
}

export interface SubjectTable {
  id: Generated<number>;
  /** USCC (18 chars) or, for natural persons, the resident identity number. Normalised. */
  code: string;
  /** `valid` or `legacy` (allow-listed pre-standard code). */
  code_status: string;
  name: string;
  /** enterprise | individual | cooperative | social_org | institution | natural_person */
  type: string;
  industry_section: string | null;
  industry_division: string | null;
  /** GB/T 2260 county-level code. */
  region: string | null;
  registered_on: string | null;
  /** 存续 | 吊销 | 注销 | 迁出 */
  status: string;
  /** In 万元 (10,000 CNY). */
  registered_capital: number | null;
  created_at: string;
  updated_at: string;
}

export interface UsccAllowlistTable {
  code: string;
  note: string;
  added_by: string;
  added_at: string;
}

export interface ImportBatchTable {
  id: string;
  department: string | null;
  submitter: string;
  /** rest | file | cli | demo */
  channel: string;
  file_name: string | null;
  file_digest: string | null;
  /** committed | rejected (all-or-nothing import refused) */
  status: string;
  accept_valid: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  versions: number;
  rejects_file: string | null;
  started_at: string;
  finished_at: string | null;
  /** Host and process that ran the import: a `running` batch whose process is gone was interrupted. */
  host: string | null;
  pid: number | null;
}

export interface CreditRecordTable {
  id: Generated<number>;
  department: string;
  category: string;
  doc_no: string;
  version: number;
  /** 1 for the newest version of (department, category, doc_no), else 0. */
  is_current: number;
  subject_code: string;
  subject_name: string | null;
  decision_date: string;
  /** minor | general | serious (轻微/一般/严重) */
  severity: string;
  /** active | corrected | revoked */
  status: string;
  status_reason: string | null;
  /** Category-specific fields as JSON text. */
  fields: string;
  /** SHA-256 of the canonical content (not provenance): equal digest = same record. */
  digest: string;
  batch_id: string;
  submitted_by: string;
  submitted_at: string;
  /**
   * On a version that names another subject than the version before it: the submitter's reason (a correction
   * of the subject must be stated, never silent). Null otherwise. Not part of the digest: it is about the
   * change, not the record.
   */
  subject_correction: Generated<string | null>;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  /** `scrypt$log2n$r$p$salt$hash` (base64url). */
  password_hash: string;
  role: string;
  department: string | null;
  /** For enterprise users: the one subject they act for. */
  subject_code: string | null;
  /** active | disabled (accounts are disabled, never deleted) */
  status: string;
  must_change_password: number;
  failed_logins: number;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A sign-in attempt (migration 009): counted before the password is checked. */
export interface LoginAttemptTable {
  id: Generated<number>;
  at: string;
  /** As typed, trimmed: unknown names are counted like real ones. */
  username: string;
  ip: string;
  /** pending | ok | failed | refused | reset */
  outcome: string;
}

export interface SessionTable {
  /** SHA-256 of the cookie value: a stolen database does not yield live sessions. */
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ended_at: string | null;
  ip: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  secret_hash: string;
  department: string;
  /** JSON array of permissions. */
  scopes: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  role: string;
  department: string | null;
  action: string;
  object: string | null;
  /** ok | denied | failed */
  result: string;
  ip: string | null;
}

export interface EvaluationTable {
  id: Generated<number>;
  subject_code: string;
  model_id: string;
  model_version: string;
  /** SHA-256 of the model definition used: a policy change is visible in the history. */
  model_digest: string;
  as_of: string;
  /** SHA-256 of the canonical inputs (subject facts, records, other grades, as-of). */
  input_digest: string;
  score: number;
  /** A | B | C | D | E | NR */
  grade: string;
  /** JSON: dimension id → points. */
  dimensions: string;
  /** JSON: indicator id → points. */
  indicators: string;
  /** JSON array of trigger ids. */
  triggers: string;
  ceiling: string | null;
  /** Compact text of the result (see services/evaluate/result.ts); null on rows older than migration 004. */
  result_key: Generated<string | null>;
  is_current: number;
  first_evaluated_at: string;
  evaluated_at: string;
  run_id: string;
}

export interface EvaluationRunTable {
  id: string;
  /** batch | incremental */
  kind: string;
  as_of: string;
  started_at: string;
  finished_at: string | null;
  subjects: number;
  changed: number;
  grade_counts: string;
  seconds: number | null;
}

export interface Database {
  evaluations: EvaluationTable;
  evaluation_runs: EvaluationRunTable;
  meta: MetaTable;
  users: UserTable;
  sessions: SessionTable;
  login_attempts: LoginAttemptTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditLogTable;
  departments: DepartmentTable;
  subjects: SubjectTable;
  uscc_allowlist: UsccAllowlistTable;
  import_batches: ImportBatchTable;
  credit_records: CreditRecordTable;
}

export type Subject = Selectable<SubjectTable>;
export type NewSubject = Insertable<SubjectTable>;
export type CreditRecord = Selectable<CreditRecordTable>;
export type ImportBatch = Selectable<ImportBatchTable>;
export type User = Selectable<UserTable>;
