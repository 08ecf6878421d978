/**
 * Supervision by grade: the measures lists in force (监管措施清单), a subject's applicable measures, credit checks
 * (信用核查) and their log — requests and answers (src/api/routes/measures.ts).
 */
import { z } from "zod";
import { paged, pagingQuery } from "./common.ts";
import {
  ByScoreSchema,
  GradeLimitSchema,
  GradeOrNRSchema,
  isoDate,
  ModelKindSchema,
  TextSchema,
} from "./evaluation.ts";

/** A department code as a query parameter, in any letter case (SCJG, scjg). */
const departmentQuery = z
  .string()
  .regex(/^[A-Za-z]{1,16}$/)
  .transform((s) => s.toUpperCase());

/** The check log pages at most 200 rows (the web's largest page size). */
const checkPaging = pagingQuery(200, 20);

export const MeasureKindSchema = z.enum(["incentive", "constraint", "neutral"]);
export type MeasureKind = z.output<typeof MeasureKindSchema>;

/** A scenario a measure is used in (policy/measures/scenarios.yaml): approval, trading, supervision … */
export const ScenarioSchema = z
  .object({ id: z.string(), zh: z.string(), en: z.string() })
  .meta({ id: "MeasureScenario" });
export type Scenario = z.output<typeof ScenarioSchema>;

// ---- GET /measures ----

export const MeasureListsQuery = z.object({
  department: departmentQuery
    .optional()
    .describe("Only this department's lists and those for all departments"),
  date: isoDate.optional().describe("The lists in force on this date (default: today in China)"),
});

/** A measure a list defines. */
export const ListMeasureSchema = z
  .object({
    id: z.string(),
    zh: z.string(),
    en: z.string(),
    kind: MeasureKindSchema,
    scenarios: z.array(z.string()).describe("Scenario ids in which it may be used"),
  })
  .meta({ id: "ListMeasure" });

/** Measure ids per grade (A–E and NR, each named; an empty list: no measure for that grade). */
const perGrade = z.object({
  A: z.array(z.string()),
  B: z.array(z.string()),
  C: z.array(z.string()),
  D: z.array(z.string()),
  E: z.array(z.string()),
  NR: z.array(z.string()),
});

/** A supervision item of a list: the model whose grade decides and the measures per grade in force. */
export const ListItemSchema = z
  .object({
    id: z.string(),
    zh: z.string(),
    en: z.string(),
    legalBasis: z.string(),
    scenario: z.string(),
    model: z.string(),
    modelTitle: TextSchema,
    modelKind: ModelKindSchema.describe("An industry model's item falls back to the public grade"),
    perGrade: perGrade.nullable().describe("Measure ids per grade in force on the date asked"),
    valueFrom: z.string().nullable(),
    valueSource: z.string().nullable(),
  })
  .meta({ id: "MeasureListItem" });
export type ListItem = z.output<typeof ListItemSchema>;

export const MeasureListViewSchema = z
  .object({
    department: z.string(),
    version: z.string(),
    title: TextSchema,
    appliesTo: z.enum(["own_department", "all_departments"]),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable(),
    source: z.string().describe("The policy document it implements"),
    file: z.string().describe("The list's policy file, e.g. policy/measures/SCJG.yaml"),
    digest: z.string().describe("SHA-256 of the file"),
    measures: z.array(ListMeasureSchema),
    items: z.array(ListItemSchema),
  })
  .meta({ id: "MeasureList" });
export type MeasureListView = z.output<typeof MeasureListViewSchema>;

export const MeasureListsSchema = z
  .object({ date: z.string(), scenarios: z.array(ScenarioSchema), lists: z.array(MeasureListViewSchema) })
  .meta({ id: "MeasureLists" });
export type MeasureLists = z.output<typeof MeasureListsSchema>;

// ---- a subject's measures ----

export const SubjectMeasuresParams = z.object({
  code: z.string().max(64).describe("The subject's code, or id:<n> (profiles of natural persons link by id)"),
});
export const SubjectMeasuresQuery = z.object({
  scenario: z.string().max(64).optional(),
  department: departmentQuery.optional(),
});

const NamedSchema = TextSchema.extend({ id: z.string() });

/** A current result of the subject under one model, names resolved — what the measures were decided on. */
export const SubjectGradeSchema = z
  .object({
    modelId: z.string(),
    kind: ModelKindSchema,
    title: TextSchema,
    version: z.string(),
    grade: GradeOrNRSchema,
    score: z.number(),
    asOf: z.string(),
    triggers: z.array(NamedSchema).describe("Direct-to-grade triggers that hold"),
    ceiling: NamedSchema.nullable().describe("The ceiling that holds"),
    byScore: ByScoreSchema.nullable()
      .optional()
      .describe(
        "The score the points alone earn and its grade (null: not known; absent in checks logged before)",
      ),
    limits: z
      .array(GradeLimitSchema.extend({ zh: z.string(), en: z.string() }))
      .optional()
      .describe(
        "The triggers and the ceiling that hold, named, with what each does now (absent in older checks)",
      ),
  })
  .meta({ id: "SubjectGrade" });
export type SubjectGrade = z.output<typeof SubjectGradeSchema>;

/** A measure that applies, with the grade and model that decided it and the reason. */
export const AppliedMeasureSchema = z
  .object({
    department: z.string(),
    listVersion: z.string(),
    item: z.object({
      id: z.string(),
      zh: z.string(),
      en: z.string(),
      legalBasis: z.string(),
      scenario: z.string(),
      model: z.string(),
    }),
    measure: z.object({ id: z.string(), zh: z.string(), en: z.string(), kind: MeasureKindSchema }),
    grade: GradeOrNRSchema.describe("The grade that decided (NR when the subject is not rated)"),
    modelId: z.string().nullable().describe("The model whose grade decided; null: no grade at all"),
    score: z.number().nullable(),
    basis: z
      .enum(["own", "fallback", "none"])
      .describe("own: the item's model; fallback: the public grade in its place; none: not rated"),
    reason: TextSchema,
  })
  .meta({ id: "AppliedMeasure" });
export type AppliedMeasure = z.output<typeof AppliedMeasureSchema>;

/** The lists and model versions a result was computed with, so it can be traced to the policy text. */
export const PolicyVersionsSchema = z
  .object({
    lists: z.array(
      z.object({ department: z.string(), version: z.string(), file: z.string(), digest: z.string() }),
    ),
    models: z.array(z.object({ id: z.string(), version: z.string() })),
  })
  .meta({ id: "MeasurePolicyVersions" });

export const SubjectMeasuresSchema = z
  .object({
    subject: z.object({
      code: z.string().describe("A natural person's identity number masked"),
      name: z.string(),
      type: z.string(),
    }),
    date: z.string(),
    scenario: ScenarioSchema.nullable(),
    department: z.string().nullable(),
    grades: z.array(SubjectGradeSchema),
    measures: z.array(AppliedMeasureSchema),
    policy: PolicyVersionsSchema,
    scenarios: z.array(ScenarioSchema).describe("Every scenario there is"),
  })
  .meta({ id: "SubjectMeasures" });
export type SubjectMeasures = z.output<typeof SubjectMeasuresSchema>;

// ---- credit checks ----

export const CreditCheckBody = z.object({
  subject: z.string().trim().min(1).max(64).describe("The subject's code"),
  scenario: z.string().trim().min(1).max(64).describe("A scenario id (GET /measures lists them)"),
  purpose: z.string().max(1000).describe("Why you check, 2–200 characters: shown to the subject"),
});

export const CreditCheckListQuery = z.object({
  ...checkPaging,
  subject: z.string().max(64).optional(),
});
export const SelfCreditCheckQuery = z.object(checkPaging);

/** A logged credit check: who asked, for which department, why, and what they were told. */
export const CreditCheckSchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    caller: z.string().describe("The user name, or token:<name> for a department system"),
    callerRole: z.string(),
    department: z.string(),
    subjectCode: z.string().describe("A natural person's identity number masked"),
    scenario: ScenarioSchema,
    purpose: z.string(),
    result: z.object({
      subject: z.object({ name: z.string(), type: z.string() }),
      date: z.string(),
      grades: z.array(SubjectGradeSchema),
      measures: z.array(AppliedMeasureSchema),
    }),
    policy: PolicyVersionsSchema,
  })
  .meta({ id: "CreditCheck" });
export type CreditCheck = z.output<typeof CreditCheckSchema>;

export const CreditCheckPageSchema = paged(CreditCheckSchema);
