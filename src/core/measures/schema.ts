/**
 * zod schemas of the measures lists (policy/measures/<DEPT>.yaml), the scenarios file
 * (policy/measures/scenarios.yaml) and the lists' test cases (<DEPT>.cases.yaml). Shape only: check.ts checks
 * the meaning (known departments, models, scenarios and measures; dates; which kind of measure for which grade).
 */
import { z } from "zod";
import { GRADES_OR_NR, type GradeOrNR } from "../grades.ts";
import { dated, isoDate } from "../scoring/schema.ts";

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, "expected a lower-case id (a-z, 0-9, _)");
const modelId = z.string().regex(/^[a-z][a-z0-9-]*$/, "expected a model id (a-z, 0-9, -)");
const department = z.string().regex(/^[A-Z]+$/, "expected a department code (A-Z)");

export const MEASURE_KINDS = ["incentive", "constraint", "neutral"] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const measureSchema = z.strictObject({
  id,
  zh: z.string().min(1),
  en: z.string().min(1),
  kind: z.enum(MEASURE_KINDS),
  /** Scenario ids (scenarios.yaml) in which the measure may be used. */
  scenarios: z.array(id).min(1),
});
export type MeasureDef = z.infer<typeof measureSchema>;

/** Measure ids per grade: every grade named, an empty list meaning "no measure for this grade". */
const perGrade = z.strictObject(
  Object.fromEntries(GRADES_OR_NR.map((g) => [g, z.array(id)])) as Record<GradeOrNR, z.ZodArray<typeof id>>,
);
export type PerGrade = z.infer<typeof perGrade>;

export const itemSchema = z.strictObject({
  id,
  zh: z.string().min(1),
  en: z.string().min(1),
  legal_basis: z.string().min(1),
  scenario: id,
  /** The model whose grade decides (its public grade when the subject has none under it). */
  model: modelId,
  measures: dated(perGrade),
});
export type ItemDef = z.infer<typeof itemSchema>;

export const measureListSchema = z.strictObject({
  department,
  version: z.string().min(1),
  title_zh: z.string().min(1),
  title_en: z.string().min(1),
  /** own_department: used in the department's own checks; all_departments: in every department's. */
  applies_to: z.enum(["own_department", "all_departments"]),
  effective_from: isoDate,
  effective_to: isoDate.optional(),
  /** A key of `sources`. */
  source: z.string().min(1),
  sources: z.record(z.string(), z.string().min(1)),
  measures: z.array(measureSchema).min(1),
  items: z.array(itemSchema).min(1),
});
export type MeasureListFile = z.infer<typeof measureListSchema>;

/** A list as loaded: the file's content, where it came from and a digest of its content. */
export interface MeasureList extends MeasureListFile {
  /** e.g. `policy/measures/SCJG.yaml` */
  file: string;
  /** SHA-256 (hex) of the file's bytes: which text a credit check used. */
  digest: string;
}

export const scenarioSchema = z.strictObject({ id, zh: z.string().min(1), en: z.string().min(1) });
export type Scenario = z.infer<typeof scenarioSchema>;

export const scenariosFileSchema = z.strictObject({
  id: z.literal("scenarios"),
  source: z.string().min(1),
  scenarios: z.array(scenarioSchema).min(1),
});

export const measureCasesSchema = z.strictObject({
  cases: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        date: isoDate,
        scenario: id.optional(),
        /** Model id → grade (A–E or NR); absent models: the subject has no grade under them. */
        grades: z.record(z.string(), z.enum(GRADES_OR_NR)),
        /** Item id → the measure ids expected (items not named: none expected). */
        expect: z.record(z.string(), z.array(id)),
      }),
    )
    .min(1),
});
export type MeasureCases = z.infer<typeof measureCasesSchema>;
