/** Types of the evaluation engine: its inputs, its results and the model definitions under policy/models/. */
import type { Grade, GradeOrNR } from "../grades.ts";
import type { BandsFile, GradeMapFile, ModelFile, ScaleMapFile } from "./schema.ts";

/** The subject columns a model looks at (a row of `subjects`). */
export interface SubjectFacts {
  code: string;
  /** enterprise | individual | cooperative | social_org | institution | natural_person */
  type: string;
  /** 存续 | 吊销 | 注销 | 迁出 */
  status: string;
  registered_on: string | null;
  region: string | null;
  industry_section: string | null;
  industry_division: string | null;
}

/** A current version of a credit record (`credit_records` with `is_current = 1`, fields parsed). */
export interface RecordFact {
  id: number;
  department: string;
  category: string;
  /** minor | general | serious */
  severity: string;
  /** active | corrected | revoked */
  status: string;
  decision_date: string;
  fields: Record<string, string | number>;
}

export interface EvalInput {
  subject: SubjectFacts;
  records: readonly RecordFact[];
  /** The subject's public score (0–1000), for industry models; null/absent = not evaluated (or NR). */
  publicScore?: number | null;
  /** A third-party agency's rating normalised to 0–1000. */
  marketRating?: { agency: string; score: number } | null;
  /** Grades from other systems, already mapped to the unified scale (see grades.ts). */
  otherGrades?: readonly { source: string; grade: Grade }[];
}

export interface TraceRecord {
  id: number;
  /** Points this record gave the indicator (signed; before the indicator's cap). */
  points: number;
}

export type TraceItem =
  | {
      kind: "indicator";
      id: string;
      dimension: string;
      /** Points after the indicator's cap (signed: deductions are negative). */
      points: number;
      /** Sum before the cap. */
      uncapped: number;
      /** Records behind the points (record-based indicators), sorted by id. */
      records: TraceRecord[];
    }
  | { kind: "trigger" | "ceiling"; id: string; records: number[] };

export interface EvalResult {
  modelId: string;
  version: string;
  asOf: string;
  /** Integer 0..max_score; lowered to the top of the grade band when a trigger or ceiling applies. */
  score: number;
  grade: GradeOrNR;
  /** Dimension id → points (after base, caps and clamping). */
  dimensions: Record<string, number>;
  /** Indicator id → points (signed, after the indicator's cap). */
  indicators: Record<string, number>;
  /** Ids of the direct-to-grade triggers that hold, in model order. */
  triggers: string[];
  /** Id of the strictest ceiling that holds (the first of equals in model order). */
  ceiling?: string;
  trace?: TraceItem[];
}

/** Cut-offs of a grade band set: the lowest score of each grade; below D's is E. */
export interface Cutoffs {
  A: number;
  B: number;
  C: number;
  D: number;
}

/** A model definition as loaded: the file's content, its file name, and its grade bands resolved. */
export interface ModelDef extends ModelFile {
  /** Where it came from (for messages), e.g. `policy/models/public.yaml`. */
  file: string;
  /** The band set named by `bands`, from policy/grades/bands.yaml. */
  grade_bands: Dated<Cutoffs>[];
}

export interface Dated<T> {
  from: string;
  to?: string | undefined;
  value: T;
  source: string;
}

/** The grade tables of policy/grades/: band sets and the mappings of other systems' grades and scales. */
export interface GradeTables {
  bands: BandsFile;
  /** Mapping tables of other grading systems (tax, samr-risk, …), by id. */
  maps: Map<string, GradeMapFile>;
  /** Mappings of scores on other scales, by id. */
  scales: Map<string, ScaleMapFile>;
}
