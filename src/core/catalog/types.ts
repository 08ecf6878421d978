/** Types of the policy data under policy/: catalog, field dictionary, publicity regimes, departments. */

export type FieldType = "text" | "date" | "number" | "integer" | "enum" | "code";

export interface FieldDef {
  key: string;
  zh: string;
  en: string;
  type: FieldType;
  aliases?: string[];
  /** text: max characters. number/integer: max value. */
  max?: number;
  min?: number;
  values?: string[];
  labels?: Record<string, string>;
  /** date: may lie in the future (e.g. a licence's expiry). */
  future?: boolean;
}

export type Severity = "minor" | "general" | "serious";
export type RecordKind = "negative" | "positive" | "neutral";
export type RecordStatus = "active" | "corrected" | "revoked";

/** ISO-8601 duration limited to days, months and years: P3M, P1Y, P0D. */
export type Duration = string;

export interface PeriodRange {
  min: Duration;
  max: Duration;
}

export interface Category {
  code: string;
  zh: string;
  en: string;
  kind: RecordKind;
  severity: Severity;
  departments: string[];
  required: string[];
  optional: string[];
  publicity: "regime" | "none" | PeriodRange;
  effective_from: string;
  effective_to?: string;
}

export interface PublicityRegime {
  id: string;
  effective_from: string;
  effective_to?: string;
  source: string;
  periods: Record<Severity, PeriodRange>;
}

export interface Department {
  code: string;
  zh: string;
  en: string;
}

export interface Catalog {
  source: string;
  envelope: FieldDef[];
  fields: FieldDef[];
  categories: Category[];
  regimes: PublicityRegime[];
  departments: Department[];
  /** The city credit office's department code (policy/departments.yaml `city_office`). */
  cityOffice: string;
  /** Bounds every evaluation model keeps (policy/model-bounds.yaml). */
  modelBounds: { marketRatingMaxWeight: number };
}

export const SEVERITY_LABELS: Record<Severity, { zh: string; en: string }> = {
  minor: { zh: "轻微", en: "minor" },
  general: { zh: "一般", en: "general" },
  serious: { zh: "严重", en: "serious" },
};
