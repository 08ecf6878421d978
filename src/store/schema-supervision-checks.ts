/**
 * Row types of the tables of migration 006 (the credit check log), merged into `Database` so that `store.db`
 * knows them.
 */
import type { Generated, Insertable, Selectable } from "kysely";

export interface CreditCheckTable {
  id: Generated<number>;
  /** ISO-8601 UTC time of the check. */
  at: string;
  /** The user name or token name that asked. */
  caller: string;
  /** The caller's role (`token` for a department system). */
  caller_role: string;
  /** The department the check was made for: its lists (and the lists for all departments) applied. */
  department: string;
  subject_code: string;
  /** Scenario id (policy/measures/scenarios.yaml). */
  scenario: string;
  /** Why the caller checked (2–200 characters), shown to the subject. */
  purpose: string;
  /** JSON: what the caller was told — the subject's name, the grades, the measures with their reasons. */
  result: string;
  /** JSON: the measures lists (department, version, file digest) and model versions used. */
  policy_versions: string;
}

declare module "./schema.ts" {
  interface Database {
    credit_checks: CreditCheckTable;
  }
}

export type CreditCheck = Selectable<CreditCheckTable>;
export type NewCreditCheck = Insertable<CreditCheckTable>;
