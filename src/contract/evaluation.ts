/**
 * Evaluation: a subject's grades explained (PIPL art. 24), the grade dashboard — requests and answers
 * (src/api/routes/evaluation.ts). The models in force and their versions are in ./models.ts.
 */

import { z } from "zod";
import { GRADES, GRADES_OR_NR } from "../core/grades.ts";

/** A calendar date, YYYY-MM-DD. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The five grades of the unified scale (A best … E worst). */
export const GradeSchema = z.enum(GRADES);
/** A grade or NR, 暂不评级（信息不足）. */
export const GradeOrNRSchema = z.enum(GRADES_OR_NR);
export type GradeOrNR = z.output<typeof GradeOrNRSchema>;

/** A text in both languages. */
export const TextSchema = z.object({ zh: z.string(), en: z.string() });

export const ModelKindSchema = z.enum(["public", "industry"]);

// ---- GET /subjects/:code/evaluation ----

export const SubjectEvaluationParams = z.object({
  code: z.string().max(64).describe("The subject's code, or id:<n> (profiles of natural persons link by id)"),
});
export const SubjectEvaluationQuery = z.object({
  asOf: isoDate.optional().describe("Evaluate as of this date (default: today in China)"),
});

/** The subject evaluated; a natural person's identity number masked. */
export const EvaluationSubjectSchema = z
  .object({
    id: z.number().int(),
    code: z.string().describe("USCC, or a natural person's identity number masked"),
    codeStatus: z.string().describe("valid, or legacy (an allow-listed pre-standard code)"),
    name: z.string(),
    type: z.string(),
    industrySection: z.string().nullable(),
    industryDivision: z.string().nullable(),
    region: z.string().nullable(),
    registeredOn: z.string().nullable(),
    status: z.string(),
    registeredCapital: z.number().nullable().describe("万元 10,000 CNY"),
  })
  .meta({ id: "EvaluationSubject" });

/**
 * What a trigger or ceiling that holds does to the grade now (src/core/scoring/explain.ts LimitEffect): sets —
 * it holds the grade down (the score gives a better one); also — it holds it down too, a stricter one sets the
 * grade; caps — the score gives exactly its grade, no higher score lifts it; none — it allows a better grade
 * than the subject has, so it changes nothing now.
 */
export const GradeLimitSchema = z
  .object({
    kind: z.enum(["trigger", "ceiling"]),
    id: z.string(),
    grade: GradeSchema.describe("The grade a trigger gives, or the best grade a ceiling allows"),
    effect: z.enum(["sets", "also", "caps", "none"]),
  })
  .meta({ id: "GradeLimit" });
export type GradeLimit = z.output<typeof GradeLimitSchema>;

/** The score the points alone earn and its grade, before triggers and ceilings. */
export const ByScoreSchema = z.object({ score: z.number(), grade: GradeSchema });

/** One indicator's part in a grade. */
export const IndicatorExplanationSchema = z
  .object({
    id: z.string(),
    zh: z.string(),
    en: z.string(),
    dimension: z.string(),
    type: z.enum(["bonus", "deduction"]),
    points: z.number().describe("After the indicator's cap (signed)"),
    uncapped: z.number().describe("Sum before the cap"),
    records: z.array(z.object({ id: z.number().int(), points: z.number() })),
  })
  .meta({ id: "IndicatorExplanation" });
export type IndicatorExplanation = z.output<typeof IndicatorExplanationSchema>;

/** A record whose end (repair, expiry, revocation) would lift the score or the grade. */
export const RepairSchema = z
  .object({
    record: z.number().int(),
    category: z.string(),
    department: z.string(),
    decisionDate: z.string(),
    indicators: z.array(z.string()).describe("Indicators it takes points from"),
    conditions: z.array(z.string()).describe("Triggers and ceilings it sets off"),
    score: z.number().describe("The score without it"),
    grade: GradeOrNRSchema.describe("The grade without it"),
    lift: z.number().describe("Score points gained"),
    grades: z.number().int().describe("Grades gained (0 when only the score moves)"),
  })
  .meta({ id: "Repair" });
export type Repair = z.output<typeof RepairSchema>;

/** One model's grade of a subject with its reasons. */
export const ModelExplanationSchema = z
  .object({
    modelId: z.string(),
    version: z.string(),
    title: TextSchema,
    kind: ModelKindSchema,
    owner: z.string(),
    asOf: z.string(),
    score: z
      .number()
      .describe("Lowered to the top of the grade's band when a trigger or ceiling holds it down"),
    grade: GradeOrNRSchema,
    triggers: z.array(z.string()).describe("Ids of the direct-to-grade triggers that hold"),
    ceiling: z.string().optional().describe("Id of the strictest ceiling that holds"),
    byScore: ByScoreSchema,
    limits: z
      .array(GradeLimitSchema)
      .describe("Every trigger and the ceiling that hold, with what each does now"),
    blockedBy: z
      .array(z.string())
      .describe("The triggers and the ceiling that keep the grade where it is or lower whatever the score"),
    dimensions: z.array(
      z.object({ id: z.string(), zh: z.string(), en: z.string(), points: z.number(), max: z.number() }),
    ),
    indicators: z.array(IndicatorExplanationSchema),
    deductions: z
      .array(z.object({ indicator: z.string(), record: z.number().int(), points: z.number() }))
      .describe("Every record behind a deduction, largest first"),
    nextGrade: z
      .object({ grade: GradeSchema, cutoff: z.number(), distance: z.number() })
      .nullable()
      .describe("The next grade up and the points missing; null for A, NR and a grade a condition holds"),
    repairs: z
      .array(RepairSchema)
      .describe("Records whose end would lift the score or the grade, best first"),
  })
  .meta({ id: "ModelExplanation" });
export type ModelExplanation = z.output<typeof ModelExplanationSchema>;

/** A stored result: one row per change of a subject's result under a model. */
export const GradeHistoryEntrySchema = z.object({
  modelId: z.string(),
  modelVersion: z.string(),
  asOf: z.string(),
  score: z.number(),
  grade: GradeOrNRSchema,
  firstEvaluatedAt: z.string().describe("When this result was first stored"),
});

export const SubjectEvaluationSchema = z
  .object({
    subject: EvaluationSubjectSchema,
    asOf: z.string(),
    models: z.array(ModelExplanationSchema),
    history: z.array(GradeHistoryEntrySchema).describe("Stored results (every change), newest first"),
  })
  .meta({ id: "SubjectEvaluation" });
export type SubjectEvaluation = z.output<typeof SubjectEvaluationSchema>;

// ---- GET /dashboard/grades ----

/** What the breakdown groups subjects by: a column of the subject (its value names it, as the URL does). */
export const DashboardBySchema = z.enum(["region", "industry_section", "type"]);
export type DashboardBy = z.output<typeof DashboardBySchema>;

export const GradeDashboardQuery = z.object({
  model: z.string().max(64).default("public"),
  by: DashboardBySchema.default("region"),
});

/** Subjects per grade (grades without subjects left out). */
const gradeCounts = z.partialRecord(GradeOrNRSchema, z.number().int());

export const GradeDashboardSchema = z
  .object({
    modelId: z.string(),
    by: DashboardBySchema,
    grades: gradeCounts,
    breakdown: z.array(z.object({ key: z.string().nullable(), grade: GradeOrNRSchema, n: z.number().int() })),
    coverage: z
      .object({ evaluated: z.number().int(), inScope: z.number().int(), registered: z.number().int() })
      .describe(
        "Subjects with a current result; registered subjects in the model's scope; all registered subjects",
      ),
    trend: z
      .array(
        z.object({
          runId: z.string(),
          asOf: z.string(),
          finishedAt: z.string().nullable(),
          grades: gradeCounts,
        }),
      )
      .describe("The last batch runs, oldest first"),
  })
  .meta({ id: "GradeDashboard" });
export type GradeDashboard = z.output<typeof GradeDashboardSchema>;
