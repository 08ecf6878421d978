/**
 * What the checker and the evaluator share: the vocabularies a model's text may use (severities, subject
 * statuses, the grade order) and the shape of a compiled model.
 */
import type { Severity } from "../catalog/types.ts";
import type { IndicatorDef } from "./schema.ts";
import type { Cutoffs, EvalInput, EvalResult, ModelDef, SubjectFacts } from "./types.ts";

export const SEVERITIES: readonly Severity[] = ["minor", "general", "serious"];
export const SUBJECT_STATUSES = ["存续", "吊销", "注销", "迁出"] as const;

/** Index of a severity (minor 0, general 1, serious 2), -1 if unknown. */
export function severityIndex(s: string): number {
  if (s === "general") return 1;
  if (s === "minor") return 0;
  if (s === "serious") return 2;
  return -1;
}

export interface IndicatorInfo {
  id: string;
  zh: string;
  en: string;
  dimension: string;
  type: "bonus" | "deduction";
  basis: IndicatorDef["basis"];
}

export interface CompiledModel {
  readonly id: string;
  readonly version: string;
  readonly kind: "public" | "industry";
  readonly owner: string;
  readonly title: { zh: string; en: string };
  /** SHA-256 of the canonical model definition (with its grade bands): any policy change changes it. */
  readonly digest: string;
  readonly def: ModelDef;
  readonly maxScore: number;
  readonly dimensionIds: readonly string[];
  readonly indicators: readonly IndicatorInfo[];
  /** Whether the model applies to a subject (type, status, industry). Evaluate does not check it. */
  scope(subject: SubjectFacts): boolean;
  /** Whether the model is in force on a date. */
  inForce(asOf: string): boolean;
  evaluate(input: EvalInput, asOf: string, opts?: { trace?: boolean }): EvalResult;
  /** Grade cut-offs in force on a date. */
  cutoffs(asOf: string): Cutoffs;
}

export class ModelError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file} is not a valid model:\n  - ${problems.join("\n  - ")}`);
  }
}
