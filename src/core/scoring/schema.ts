/**
 * zod schemas of the scoring policy files: models (policy/models/<id>.yaml), their cases
 * (<id>.cases.yaml), grade bands and grade mapping tables (policy/grades/). Shape only: the meaning
 * (categories exist, dates cover the model's life, dimensions add up to the maximum…) is checked by
 * compileModel against the catalog.
 */

import { z } from "zod";
import { GRADES, GRADES_OR_NR } from "../grades.ts";

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD");
export const duration = z
  .string()
  .regex(/^P(\d+Y)?(\d+M)?(\d+D)?$/, "expected a duration like P1Y, P6M, P180D");
const id = z.string().regex(/^[a-z][a-z0-9_]*$/, "expected a lower-case id (a-z, 0-9, _)");
const grade = z.enum(GRADES);
const severity = z.enum(["minor", "general", "serious"]);
const points = z.number().int().min(0).max(1000);

/** A dated parameter (OpenFisca style): values in force from a date (to a date), each with its source. */
export function dated<T extends z.ZodType>(value: T) {
  return z
    .array(z.strictObject({ from: isoDate, to: isoDate.optional(), value, source: z.string().min(1) }))
    .min(1);
}

export const matchSchema = z.strictObject({
  /** Catalog category codes. */
  categories: z.array(z.string().regex(/^[A-Z_]+$/)).min(1),
  /** Source departments (any when absent). */
  departments: z
    .array(z.string().regex(/^[A-Z]+$/))
    .min(1)
    .optional(),
  severities: z.array(severity).min(1).optional(),
  /** Field key → accepted values (the record's field must equal one of them). */
  fields: z.record(z.string(), z.array(z.string()).min(1)).optional(),
  /** A date field after which the record no longer counts (a licence's `valid_to`). */
  expires_field: z.string().optional(),
});
export type Match = z.infer<typeof matchSchema>;

const text = { zh: z.string().min(1), en: z.string().min(1), note: z.string().optional() };
const signed = z.enum(["bonus", "deduction"]);

const recordsIndicator = z.strictObject({
  id,
  ...text,
  type: signed,
  basis: z.literal("records"),
  match: matchSchema,
  /** Points per record keyed by its severity, or by the value of one of its fields (`field:result`). */
  points_by: z.union([z.literal("severity"), z.string().regex(/^field:[a-z_]+$/)]),
  points: dated(z.record(z.string(), points)),
  /** The most points the indicator gives or takes. */
  cap: dated(points),
  /** Age factors: a record at least `after` old counts `factor` of its points (the last that applies). */
  decay: dated(z.array(z.strictObject({ after: duration, factor: z.number().min(0).max(1) }))).optional(),
});

const yearsIndicator = z.strictObject({
  id,
  ...text,
  type: signed,
  basis: z.literal("years_in_operation"),
  /** Points by years since registration: the highest band reached applies. */
  points: dated(z.array(z.strictObject({ years: z.number().int().min(0), points })).min(1)),
});

const statusIndicator = z.strictObject({
  id,
  ...text,
  type: signed,
  basis: z.literal("status"),
  /** Points by registration status (存续, 吊销, …); a status not listed gives none. */
  points: dated(z.record(z.string(), points)),
});

const otherGradesIndicator = z.strictObject({
  id,
  ...text,
  type: z.literal("bonus"),
  basis: z.literal("other_grades"),
  /** Which other systems count (tax, samr-risk, …); the best matching grade applies. */
  sources: z.array(z.string()).min(1),
  points: dated(z.partialRecord(grade, points)),
});

const publicScoreIndicator = z.strictObject({
  id,
  ...text,
  type: z.literal("bonus"),
  basis: z.literal("public_score"),
  /** Points = public score (0–1000) × weight, rounded. */
  weight: dated(z.number().min(0).max(1)),
  /** Points when the subject has no public score (not evaluated, or NR). */
  missing: dated(points),
});

const marketRatingIndicator = z.strictObject({
  id,
  ...text,
  type: z.literal("bonus"),
  basis: z.literal("market_rating"),
  /** Agencies whose ratings count (any when absent). */
  agencies: z.array(z.string()).min(1).optional(),
  /** Points = rating (0–1000) × weight, rounded; at most policy/model-bounds.yaml's weight (checkModel). */
  weight: dated(z.number().min(0).max(1)),
  missing: dated(points),
});

export const indicatorSchema = z.discriminatedUnion("basis", [
  recordsIndicator,
  yearsIndicator,
  statusIndicator,
  otherGradesIndicator,
  publicScoreIndicator,
  marketRatingIndicator,
]);
export type IndicatorDef = z.infer<typeof indicatorSchema>;
export type RecordsIndicatorDef = z.infer<typeof recordsIndicator>;

export const dimensionSchema = z.strictObject({
  id,
  ...text,
  /** The dimension's full points: its total is clamped to 0..max. */
  max: dated(z.number().int().min(0).max(1000)),
  /** Points every subject starts the dimension with; indicators add to and take from it. */
  base: dated(z.number().int().min(0).max(1000)),
  /** The most the dimension's deductions together can take. */
  deduction_cap: dated(points).optional(),
  indicators: z.array(indicatorSchema).min(1),
});
export type DimensionDef = z.infer<typeof dimensionSchema>;

const inForce = { from: isoDate, to: isoDate.optional(), source: z.string().min(1) };

export const triggerSchema = z.strictObject({
  id,
  ...text,
  /** The grade the subject gets whatever its score. */
  grade: z.enum(["D", "E"]),
  match: matchSchema,
  /** Only records at most this old (besides the publicity period). */
  within: duration.optional(),
  ...inForce,
});
export type TriggerDef = z.infer<typeof triggerSchema>;

export const ceilingSchema = z.strictObject({
  id,
  ...text,
  /** The best grade the subject can get while the condition holds. */
  max_grade: z.enum(["B", "C", "D"]),
  when: z.union([
    z.strictObject({ records: z.strictObject({ match: matchSchema, within: duration.optional() }) }),
    z.strictObject({ statuses: z.array(z.string()).min(1) }),
    z.strictObject({
      other_grades: z.strictObject({ sources: z.array(z.string()).min(1), grades: z.array(grade) }),
    }),
  ]),
  ...inForce,
});
export type CeilingDef = z.infer<typeof ceilingSchema>;

export const modelFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  version: z.string().min(1),
  kind: z.enum(["public", "industry"]),
  /** Department that owns the model (XYB for the public model). */
  owner: z.string().regex(/^[A-Z]+$/),
  title_zh: z.string().min(1),
  title_en: z.string().min(1),
  description: z.string().optional(),
  effective_from: isoDate,
  effective_to: isoDate.optional(),
  max_score: z.number().int().positive(),
  /** Band set in policy/grades/bands.yaml. */
  bands: z.string().min(1),
  scope: z.strictObject({
    types: z.array(z.string()).min(1).optional(),
    statuses: z.array(z.string()).min(1).optional(),
    sections: z
      .array(z.string().regex(/^[A-T]$/))
      .min(1)
      .optional(),
    divisions: z
      .array(z.string().regex(/^\d{2}$/))
      .min(1)
      .optional(),
  }),
  /** What the cut-offs were designed for (shares of in-scope subjects); the actual one is measured. */
  intended_distribution: z.partialRecord(grade, z.number().min(0).max(1)),
  /** Source key → citation; every dated value names one of these keys. */
  sources: z.record(z.string(), z.string().min(1)),
  not_rated: z.strictObject({
    /** A subject registered less than this before the as-of date, with no record the model scores, is NR. */
    min_age: dated(duration),
  }),
  dimensions: z.array(dimensionSchema).min(1),
  triggers: z.array(triggerSchema).default([]),
  ceilings: z.array(ceilingSchema).default([]),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

const cutoffs = z.strictObject({ A: z.number(), B: z.number(), C: z.number(), D: z.number() });

export const bandsFileSchema = z.strictObject({
  id: z.literal("bands"),
  title_zh: z.string(),
  title_en: z.string(),
  sources: z.record(z.string(), z.string().min(1)),
  sets: z.array(
    z.strictObject({
      id: z.string().regex(/^[a-z][a-z0-9-]*$/),
      zh: z.string(),
      en: z.string(),
      note: z.string().optional(),
      cutoffs: dated(cutoffs),
    }),
  ),
});
export type BandsFile = z.infer<typeof bandsFileSchema>;

/** A mapping table from another grading system to the unified A–E (or NR). */
export const gradeMapFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: z.literal("grades"),
  title_zh: z.string(),
  title_en: z.string(),
  /** The other system's grades, best first. */
  grades: z.array(z.string().min(1)).min(1),
  sources: z.record(z.string(), z.string().min(1)),
  map: dated(z.record(z.string(), z.enum(GRADES_OR_NR))),
  note: z.string().optional(),
});

/** A mapping from a score on another scale to the unified A–E: the lowest score of each grade. */
export const scaleMapFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: z.literal("scale"),
  title_zh: z.string(),
  title_en: z.string(),
  min: z.number(),
  max: z.number(),
  sources: z.record(z.string(), z.string().min(1)),
  cutoffs: dated(cutoffs),
  note: z.string().optional(),
});
export type GradeMapFile = z.infer<typeof gradeMapFileSchema>;
export type ScaleMapFile = z.infer<typeof scaleMapFileSchema>;

const caseRecord = z.strictObject({
  id: z.number().int().optional(),
  category: z.string(),
  department: z.string().optional(),
  severity: severity.optional(),
  status: z.enum(["active", "corrected", "revoked"]).optional(),
  decision_date: isoDate,
  fields: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

const caseSubject = z.strictObject({
  code: z.string().optional(),
  type: z.string().optional(),
  status: z.string().optional(),
  registered_on: isoDate.nullable().optional(),
  region: z.string().nullable().optional(),
  industry_section: z.string().nullable().optional(),
  industry_division: z.string().nullable().optional(),
});

export const casesFileSchema = z.strictObject({
  model: z.string(),
  defaults: z.strictObject({ subject: caseSubject, as_of: isoDate.optional() }),
  cases: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        note: z.string().optional(),
        as_of: isoDate.optional(),
        subject: caseSubject.optional(),
        records: z.array(caseRecord).default([]),
        public_score: z.number().nullable().optional(),
        market_rating: z.strictObject({ agency: z.string(), score: z.number() }).nullable().optional(),
        other_grades: z.array(z.strictObject({ source: z.string(), grade })).optional(),
        in_scope: z.boolean().optional(),
        expect: z.strictObject({
          score: z.number().int().optional(),
          grade: z.enum(GRADES_OR_NR).optional(),
          indicators: z.record(z.string(), z.number()).optional(),
          dimensions: z.record(z.string(), z.number()).optional(),
          triggers: z.array(z.string()).optional(),
          ceiling: z.string().nullable().optional(),
        }),
      }),
    )
    .min(1),
});
export type CasesFile = z.infer<typeof casesFileSchema>;
