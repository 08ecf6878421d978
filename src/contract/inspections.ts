/**
 * Graded random inspections (双随机、一公开): the inspector and inspection-object directories — requests and
 * answers (src/api/routes/inspections.ts). Pure module: the web app imports its types.
 */
import { z } from "zod";
import { paged, pagingQuery } from "./common.ts";
import { GradeOrNRSchema } from "./evaluation.ts";

const text = (max: number) => z.string().trim().min(1).max(max);

export const InspectorStatusSchema = z.enum(["active", "inactive"]);

// ---- 执法检查人员名录库 ----

export const InspectorListQuery = z.object({
  department: z
    .string()
    .optional()
    .describe("Only this department (the city office only; others see their own)"),
  status: InspectorStatusSchema.optional(),
});

/** A conflict of interest (回避) an inspector declared and has not withdrawn. */
export const InspectorConflictSchema = z
  .object({
    id: z.number().int(),
    subjectCode: z.string(),
    reason: z.string(),
    declaredAt: z.string().describe("ISO 8601 time"),
  })
  .meta({ id: "InspectorConflict" });
export type InspectorConflict = z.output<typeof InspectorConflictSchema>;

export const InspectorSchema = z
  .object({
    id: z.string().describe("The inspector's number (执法人员编号)"),
    department: z.string(),
    name: z.string(),
    certificateNo: z.string().describe("Law-enforcement certificate number (执法证号)"),
    qualifications: z.array(z.string()),
    userId: z.number().int().nullable().describe("The inspector's account, if any"),
    username: z.string().nullable(),
    status: InspectorStatusSchema,
    conflicts: z.array(InspectorConflictSchema).describe("Active conflicts of interest"),
  })
  .meta({ id: "Inspector" });
export type Inspector = z.output<typeof InspectorSchema>;

export const InspectorListSchema = z.object({ items: z.array(InspectorSchema) });

export const InspectorBody = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{2,32}$/),
  department: z.string().optional(),
  name: text(50),
  certificateNo: text(50),
  qualifications: z.array(text(100)).max(20).default([]),
  username: z.string().max(64).nullable().optional(),
});

export const InspectorParams = z.object({ id: z.string() });

export const InspectorPatchBody = z.object({
  name: text(50).optional(),
  certificateNo: text(50).optional(),
  qualifications: z.array(text(100)).max(20).optional(),
  status: InspectorStatusSchema.optional(),
  username: z.string().max(64).nullable().optional(),
});

export const ConflictBody = z.object({ subjectCode: text(32), reason: text(500) });
export const ConflictDeclaredSchema = z.object({ id: z.number().int().describe("The declaration's id") });

export const ConflictParams = z.object({ id: z.coerce.number().int() });
export const OkSchema = z.object({ ok: z.literal(true) });

// ---- 检查对象名录库 ----

export const InspectionObjectQuery = z.object({
  q: z.string().max(100).optional().describe("Part of the name, or the whole code"),
  section: z
    .string()
    .regex(/^[A-T]$/)
    .optional()
    .describe("Industry section (GB/T 4754 门类)"),
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  grade: GradeOrNRSchema.optional(),
  ...pagingQuery(),
});

/** A subject of the inspection-object directory with its current public grade. */
export const InspectionObjectSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    type: z.string(),
    region: z.string().nullable(),
    industrySection: z.string().nullable(),
    industryDivision: z.string().nullable(),
    grade: GradeOrNRSchema.describe("NR when not graded"),
    score: z.number().nullable(),
  })
  .meta({ id: "InspectionObject" });
export type InspectionObject = z.output<typeof InspectionObjectSchema>;

export const InspectionObjectPageSchema = paged(InspectionObjectSchema);

// ---- 抽查默认参数 ----

/** One value per stratum of a pool: the unified grades and NR (not rated). */
const perStratum = <T extends z.ZodType>(v: T) => z.object({ A: v, B: v, C: v, D: v, E: v, NR: v });

export const SamplingDefaultsQuery = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .describe("The plan date (default: today in China)"),
});

/** The sampling policy's defaults on a plan date (policy/sampling.yaml), as a new plan would start with them. */
export const SamplingDefaultsSchema = z
  .object({
    planDate: z.string(),
    ratiosBp: perStratum(z.number().int()).describe("Sampling ratio per stratum, in basis points"),
    frequencyCapPerYear: perStratum(z.number().int().nullable()).describe(
      "Inspections a year at most (null: no cap)",
    ),
    floorYears: z.number().nullable(),
    exclusionMonths: z.number().nullable(),
    inspectorsPerSubject: z.number().int(),
    requiredQualifications: z.array(z.string()),
    publishWithinWorkingDays: z.number().int(),
    minRatioBp: perStratum(z.number().int())
      .partial()
      .describe("The lowest ratio a plan may set, per stratum that has one"),
    directoryTypes: z.array(z.string()).describe("Subject types of the inspection-object directory"),
  })
  .meta({ id: "SamplingDefaults" });
export type SamplingDefaults = z.output<typeof SamplingDefaultsSchema>;
