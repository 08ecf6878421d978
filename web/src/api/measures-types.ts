/**
 * Shapes of the answers of /measures, /subjects/:code/measures, /credit-checks and /self/credit-checks (kept by
 * hand, as in types.ts; the server's are in src/core/measures/match.ts and src/services/measures/measures.ts).
 */
import type { GradeLimit as Limit } from "../../../src/contract/evaluation.ts";
import type { Grade } from "./types.ts";

export interface Text {
  zh: string;
  en: string;
}

export type MeasureKind = "incentive" | "constraint" | "neutral";

export interface Scenario extends Text {
  id: string;
}

export interface ListMeasure extends Text {
  id: string;
  kind: MeasureKind;
  scenarios: string[];
}

export interface ListItem extends Text {
  id: string;
  legalBasis: string;
  scenario: string;
  model: string;
  modelTitle: Text;
  modelKind: "public" | "industry";
  /** Measure ids per grade, in force on the date asked. */
  perGrade: Record<Grade, string[]> | null;
  valueFrom: string | null;
  valueSource: string | null;
}

export interface MeasureListView {
  department: string;
  version: string;
  title: Text;
  appliesTo: "own_department" | "all_departments";
  effectiveFrom: string;
  effectiveTo: string | null;
  source: string;
  file: string;
  digest: string;
  measures: ListMeasure[];
  items: ListItem[];
}

export interface MeasureLists {
  date: string;
  scenarios: Scenario[];
  lists: MeasureListView[];
}

export interface SubjectGrade {
  modelId: string;
  kind: "public" | "industry";
  title: Text;
  version: string;
  grade: Grade;
  score: number;
  asOf: string;
  triggers: (Text & { id: string })[];
  ceiling: (Text & { id: string }) | null;
  /** The score the points alone earn and its grade (absent in checks logged before it was recorded). */
  byScore?: { score: number; grade: Grade } | null;
  /** The triggers and ceiling that hold, named, with what each does now (absent in older logged checks). */
  limits?: (Limit & Text)[];
}

export interface AppliedMeasure {
  department: string;
  listVersion: string;
  item: Text & { id: string; legalBasis: string; scenario: string; model: string };
  measure: Text & { id: string; kind: MeasureKind };
  grade: Grade;
  modelId: string | null;
  score: number | null;
  basis: "own" | "fallback" | "none";
  reason: Text;
}

export interface SubjectMeasures {
  subject: { code: string; name: string; type: string };
  date: string;
  scenario: Scenario | null;
  department: string | null;
  grades: SubjectGrade[];
  measures: AppliedMeasure[];
  scenarios: Scenario[];
}

export interface CreditCheck {
  id: number;
  at: string;
  caller: string;
  callerRole: string;
  department: string;
  subjectCode: string;
  scenario: Scenario;
  purpose: string;
  result: {
    subject: { name: string; type: string };
    date: string;
    grades: SubjectGrade[];
    measures: AppliedMeasure[];
  };
  policy: {
    lists: { department: string; version: string; digest: string }[];
    models: { id: string; version: string }[];
  };
}
