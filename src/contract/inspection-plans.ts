/**
 * Graded random inspections (双随机、一公开): plans, their counts per grade, inspectors' tasks and results, the
 * "is grading working" statistics and the public pages — requests and answers (src/api/routes/inspections.ts).
 * Pure module: the services parse with it and the web app imports its types.
 */
import { z } from "zod";
import { paged, pagingQuery } from "./common.ts";
import { GradeOrNRSchema } from "./evaluation.ts";

const isoDate = () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const code2 = z.string().regex(/^\d{2}$/);

/** A stratum of a pool: the unified grades and NR (not rated). */
export const StratumSchema = GradeOrNRSchema;
export type Stratum = z.output<typeof StratumSchema>;
export const STRATA = StratumSchema.options;

/** One value per stratum. */
const perStratum = <T extends z.ZodType>(v: T) => z.object({ A: v, B: v, C: v, D: v, E: v, NR: v });
/** A value for some strata (the others keep the policy default). */
const someStrata = <T extends z.ZodType>(v: T) => z.partialRecord(StratumSchema, v);

export const PlanStatusSchema = z.enum(["draft", "frozen", "drawn", "closed"]);
export type PlanStatus = z.output<typeof PlanStatusSchema>;
export const TaskStatusSchema = z.enum(["assigned", "unassigned", "done"]);
export type TaskStatus = z.output<typeof TaskStatusSchema>;
export const OutcomeSchema = z.enum(["pass", "problems", "fail"]);
export type Outcome = z.output<typeof OutcomeSchema>;
export const OUTCOMES = OutcomeSchema.options;
export const TaskKindSchema = z.enum(["random", "must"]).describe("Drawn at random, or must be inspected");

// ---- plans ----

const PlanScopeSchema = z.object({
  sections: z.array(z.string().regex(/^[A-T]$/)).optional(),
  divisions: z.array(code2).optional(),
  regions: z.array(z.string().regex(/^\d{6}$/)).optional(),
  types: z.array(z.string()).optional(),
});

/** What a department sends to define a plan; anything left out takes the policy default of the plan date. */
export const PlanInputSchema = z
  .object({
    title: z.string().trim().min(2).max(200),
    department: z.string().optional().describe("The city office only; others plan for their own department"),
    planDate: isoDate().optional().describe("The policy values in force on this date apply (default: today)"),
    modelId: z
      .string()
      .max(64)
      .optional()
      .describe(
        "The model whose grade is the stratum (default: public; ungraded subjects fall back to public)",
      ),
    items: z
      .array(z.string().trim().min(1).max(200))
      .min(1)
      .max(50)
      .describe("抽查事项: supervision items from the department's measures list"),
    scope: PlanScopeSchema.default({}),
    ratiosBp: someStrata(z.number().int()).optional(),
    frequencyCapPerYear: someStrata(z.number().int().min(1).nullable()).optional(),
    floorYears: z.number().int().min(1).max(10).nullable().optional(),
    exclusionMonths: z.number().int().min(1).max(24).nullable().optional(),
    inspectorsPerSubject: z.number().int().min(1).max(10).optional(),
    requiredQualifications: z.array(z.string().min(1).max(100)).max(20).optional(),
  })
  .meta({ id: "PlanInput" });
export type PlanInput = z.input<typeof PlanInputSchema>;

/** A plan's settings as stored: the input completed with the policy defaults of the plan date. */
export const PlanSettingsSchema = z
  .object({
    planDate: z.string(),
    modelId: z.string(),
    items: z.array(z.string()),
    scope: PlanScopeSchema,
    ratiosBp: perStratum(z.number().int()).describe("Sampling ratio per stratum, in basis points"),
    frequencyCapPerYear: perStratum(z.number().int().nullable()).describe(
      "Inspections a year at most (null: none)",
    ),
    floorYears: z.number().nullable(),
    exclusionMonths: z.number().nullable(),
    inspectorsPerSubject: z.number().int(),
    requiredQualifications: z.array(z.string()),
    publishWithinWorkingDays: z.number().int(),
  })
  .meta({ id: "PlanSettings" });
export type PlanSettings = z.output<typeof PlanSettingsSchema>;

/** The seed a plan's draw must use, fixed at the freeze (docs/draw-algorithm.md §0.1). */
export const SeedCommitmentSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("sha256"),
      digest: z.string().describe("SHA-256 (hex) of the sealed seed's UTF-8 bytes"),
    }),
    z.object({
      kind: z.literal("public-value"),
      description: z.string().describe("The future public value, named in words"),
      availableOn: z.string().describe("China date on which it is published; no draw before it"),
    }),
  ])
  .meta({ id: "SeedCommitment" });
export type SeedCommitment = z.output<typeof SeedCommitmentSchema>;

export const InspectionPlanSchema = z
  .object({
    id: z.string(),
    department: z.string(),
    title: z.string(),
    status: PlanStatusSchema,
    settings: PlanSettingsSchema,
    createdBy: z.string(),
    createdAt: z.string(),
    frozenAt: z.string().nullable(),
    poolDigest: z.string().nullable(),
    poolSize: z.number().int().nullable(),
    seed: z.string().nullable(),
    drawnAt: z.string().nullable(),
    algorithm: z.string().nullable(),
    seedCommitment: SeedCommitmentSchema.nullable().describe(
      "Published with the pool digest; null for a draft or a plan frozen before commitments existed",
    ),
    committedAt: z.string().nullable(),
  })
  .meta({ id: "InspectionPlan" });
export type InspectionPlan = z.output<typeof InspectionPlanSchema>;

export const PlanListQuery = z.object({
  department: z
    .string()
    .optional()
    .describe("Only this department (the city office only; others see their own)"),
  ...pagingQuery(),
});
export const InspectionPlanPageSchema = paged(InspectionPlanSchema);

export const PlanParams = z.object({ id: z.string().max(64) });

/** GET /inspection-plans/:id: the plan with its ratios as `credit draw verify --ratios` takes them. */
export const InspectionPlanDetailSchema = InspectionPlanSchema.extend({
  ratios: z.string().describe("e.g. A=300,B=500,…"),
}).meta({ id: "InspectionPlanDetail" });
export type InspectionPlanDetail = z.output<typeof InspectionPlanDetailSchema>;

const countsShape = {
  candidates: z.number().int(),
  excluded: z.number().int(),
  mustInspect: z.number().int(),
  pool: z.number().int(),
  drawn: z.number().int().describe("Subjects a draw takes from the pool"),
};
export const StratumCountsSchema = z
  .object({ stratum: StratumSchema, ...countsShape, ratioBp: z.number().int() })
  .meta({ id: "StratumCounts" });
export type StratumCounts = z.output<typeof StratumCountsSchema>;
const countsOfPlan = { strata: z.array(StratumCountsSchema), total: z.object(countsShape) };

/** Counts per grade: of the subjects now for a draft, of the frozen pool once frozen. */
export const PlanCountsSchema = z.object({ planId: z.string(), ...countsOfPlan }).meta({ id: "PlanCounts" });
export type PlanCounts = z.output<typeof PlanCountsSchema>;

/** The answer to a freeze: the plan with the counts of its frozen pool. */
export const FrozenPlanSchema = InspectionPlanSchema.extend(countsOfPlan).meta({ id: "FrozenPlan" });

/** The answer to a draw: the plan with what the draw made. */
export const DrawnPlanSchema = InspectionPlanSchema.extend({
  drawn: z.number().int().describe("Subjects drawn at random"),
  mustInspect: z.number().int(),
  unassigned: z.number().int().describe("Tasks no inspector could take (each says why)"),
  load: z.record(z.string(), z.number().int()).describe("Tasks per inspector id"),
}).meta({ id: "DrawnPlan" });

/**
 * Checked field by field in the service (checkCommitmentInput), so each problem names its field and fix: the
 * schema only says it is an object.
 */
export const CommitmentBody = z
  .object({
    commitment: z
      .looseObject({ kind: z.string().optional() })
      .optional()
      .describe(
        '{kind:"sha256", digest: SHA-256 hex of the sealed seed} or {kind:"public-value", description, availableOn: YYYY-MM-DD after today}',
      ),
  })
  .nullish();

export const DrawBody = z.object({ seed: z.string().max(1000) });

// ---- statistics ----

export const StratumStatsSchema = z
  .object({
    stratum: StratumSchema,
    tasks: z.number().int(),
    done: z.number().int(),
    withProblems: z.number().int(),
    problemRate: z.number().nullable().describe("Share of the inspections done that found problems"),
  })
  .meta({ id: "StratumStats" });
export type StratumStats = z.output<typeof StratumStatsSchema>;

export const PlanStatsSchema = z.object({ planId: z.string(), strata: z.array(StratumStatsSchema) });
export const InspectionStatsQuery = z.object({
  department: z
    .string()
    .optional()
    .describe("Only this department (the city office only; others see their own)"),
});
export const InspectionStatsSchema = z
  .object({
    department: z.string().nullable().describe("null: every department"),
    strata: z.array(StratumStatsSchema),
  })
  .meta({ id: "InspectionStats" });
export type InspectionStats = z.output<typeof InspectionStatsSchema>;

// ---- tasks and results ----

export const TaskListQuery = z.object({
  planId: z.string().optional(),
  status: TaskStatusSchema.optional(),
  ...pagingQuery(),
});

export const InspectionResultSchema = z
  .object({
    outcome: OutcomeSchema,
    inspectedOn: z.string(),
    problems: z.string().nullable(),
    followUp: z.string().nullable(),
    enteredBy: z.string(),
    enteredAt: z.string(),
    publishBy: z.string().describe("Publish by this date (working days after the inspection)"),
    recordDocNo: z.string().describe("The credit record the result became"),
  })
  .meta({ id: "InspectionResult" });

const BilingualSchema = z.object({ zh: z.string(), en: z.string() });

export const InspectionTaskSchema = z
  .object({
    id: z.number().int(),
    planId: z.string(),
    planTitle: z.string(),
    department: z.string(),
    items: z.array(z.string()),
    seq: z.number().int(),
    subjectCode: z.string(),
    subjectName: z.string().nullable(),
    region: z.string().nullable(),
    stratum: StratumSchema,
    kind: TaskKindSchema,
    ticket: z.string().nullable(),
    status: TaskStatusSchema,
    note: BilingualSchema.nullable().describe("Why a task is unassigned"),
    inspectors: z.array(z.object({ id: z.string(), name: z.string(), rank: z.number().int() })),
    result: InspectionResultSchema.nullable(),
  })
  .meta({ id: "InspectionTask" });
export type InspectionTask = z.output<typeof InspectionTaskSchema>;

export const InspectionTaskPageSchema = paged(InspectionTaskSchema).extend({
  inspector: z
    .string()
    .nullable()
    .optional()
    .describe("For an inspector: their inspector id (null: the account is not in the directory)"),
});

export const TaskParams = z.object({ id: z.coerce.number().int() });

export const ResultInputSchema = z
  .object({
    outcome: OutcomeSchema,
    inspectedOn: isoDate(),
    problems: z.string().trim().max(2000).optional(),
    followUp: z.string().trim().max(2000).optional(),
  })
  .meta({ id: "ResultInput" });
export type ResultInput = z.output<typeof ResultInputSchema>;

export const ResultEnteredSchema = z
  .object({
    taskId: z.number().int(),
    docNo: z.string().describe("The credit record the result became"),
    subjectCode: z.string(),
    grades: z
      .array(z.object({ modelId: z.string(), score: z.number(), grade: GradeOrNRSchema }))
      .describe("The subject's current grades after re-evaluation"),
  })
  .meta({ id: "ResultEntered" });
export type ResultEntered = z.output<typeof ResultEnteredSchema>;

// ---- 一公开: public pages ----

export const PublicPlanSchema = z
  .object({
    id: z.string(),
    department: z.string(),
    title: z.string(),
    status: PlanStatusSchema,
    items: z.array(z.string()),
    planDate: z.string(),
    ratiosBp: perStratum(z.number().int()),
    ratios: z.string().describe("As `credit draw verify --ratios` takes them"),
    poolDigest: z.string().nullable(),
    poolSize: z.number().int().nullable(),
    frozenAt: z.string().nullable(),
    seedCommitment: SeedCommitmentSchema.nullable(),
    committedAt: z.string().nullable(),
    seed: z.string().nullable(),
    drawnAt: z.string().nullable(),
    algorithm: z.string().nullable(),
    drawnCount: z
      .object({ random: z.number().int(), must: z.number().int() })
      .describe("How many were drawn at random and how many must be inspected; the list itself is paged"),
  })
  .meta({ id: "PublicPlan" });
export type PublicPlan = z.output<typeof PublicPlanSchema>;

export const PublicPlanSummarySchema = PublicPlanSchema.pick({
  id: true,
  department: true,
  title: true,
  status: true,
  frozenAt: true,
  poolDigest: true,
  seedCommitment: true,
  drawnAt: true,
}).meta({ id: "PublicPlanSummary" });
export type PublicPlanSummary = z.output<typeof PublicPlanSummarySchema>;
export const PublicPlanPageSchema = paged(PublicPlanSummarySchema);

export const PublicDrawnSchema = z
  .object({
    seq: z.number().int(),
    code: z.string(),
    name: z.string().nullable(),
    stratum: StratumSchema,
    kind: TaskKindSchema,
    ticket: z.string().nullable(),
    result: z
      .object({ outcome: OutcomeSchema, inspectedOn: z.string(), problems: z.string().nullable() })
      .nullable(),
  })
  .meta({ id: "PublicDrawn" });
export type PublicDrawn = z.output<typeof PublicDrawnSchema>;
export const PublicDrawnPageSchema = paged(PublicDrawnSchema);
