/**
 * Evaluation models: the models in force, a draft version's what-if, publication, the current file and the
 * published versions — requests and answers (src/api/routes/evaluation.ts GET /models,
 * src/api/routes/model-versions.ts).
 */

import { z } from "zod";
import { GRADES_OR_NR } from "../core/grades.ts";
import { GradeSchema, isoDate, ModelKindSchema, TextSchema } from "./evaluation.ts";

/** The largest model file accepted (the shipped ones are ~20 KB): a draft is compiled on the request thread. */
export const MAX_MODEL_BYTES = 1_000_000;

// ---- GET /models ----

/** An evaluation model in force, with its dimensions, triggers and ceilings named. */
export const ModelInfoSchema = z
  .object({
    id: z.string(),
    version: z.string(),
    kind: ModelKindSchema,
    owner: z.string().describe("The department that owns the model (XYB for the public model)"),
    title: TextSchema,
    digest: z.string(),
    maxScore: z.number(),
    dimensions: z.array(z.object({ id: z.string(), zh: z.string(), en: z.string() })),
    triggers: z.array(z.object({ id: z.string(), zh: z.string(), en: z.string(), grade: GradeSchema })),
    ceilings: z.array(z.object({ id: z.string(), zh: z.string(), en: z.string(), maxGrade: GradeSchema })),
  })
  .meta({ id: "EvaluationModel" });
export type ModelInfo = z.output<typeof ModelInfoSchema>;

export const ModelListSchema = z.array(ModelInfoSchema);

// ---- /models/:id/… ----

export const ModelIdParams = z.object({ id: z.string().max(64) });

/**
 * A draft version: the model file (YAML, the format of policy/models/*.yaml) as the body (application/yaml), or
 * JSON { yaml, note }.
 */
export const DraftBody = z.union([
  z.string().min(1).max(MAX_MODEL_BYTES).describe("The model file (application/yaml)"),
  z.object({
    yaml: z.string().min(1).max(MAX_MODEL_BYTES).describe("The model file"),
    note: z.string().max(500).optional().describe("Why this version (publication only)"),
  }),
]);
export type DraftBody = z.output<typeof DraftBody>;

export const ModelDiffQuery = z.object({
  asOf: isoDate.optional().describe("Evaluate both versions as of this date (default: today in China)"),
});
export const ModelPublishQuery = z.object({
  note: z.string().max(500).optional().describe("Why this version, when the body is the YAML itself"),
});

/** A–E, NR, and OUT (out of the model's scope) when a scope changes. */
const DiffGradeSchema = z.enum([...GRADES_OR_NR, "OUT"]);

/** The what-if of a draft: the grade transition matrix and the population stability index. */
export const ModelDiffSchema = z
  .object({
    modelId: z.string(),
    asOf: z.string(),
    current: z.object({ version: z.string(), digest: z.string() }),
    draft: z.object({ version: z.string(), digest: z.string() }),
    subjects: z.number().int().describe("Subjects either version applies to"),
    grades: z.array(DiffGradeSchema).describe("Rows and columns of the matrix"),
    matrix: z
      .record(z.string(), z.record(z.string(), z.number().int()))
      .describe("matrix[current grade][draft grade] = subjects"),
    currentCounts: z.record(z.string(), z.number().int()),
    draftCounts: z.record(z.string(), z.number().int()),
    psi: z.number(),
    shift: z.enum(["stable", "moderate", "major"]),
    psiBands: z
      .object({ moderate: z.number(), major: z.number() })
      .describe("The thresholds the shift was read with"),
    moves: z.object({
      up: z.number().int(),
      down: z.number().int(),
      same: z.number().int(),
      other: z.number().int().describe("Moves into or out of NR or the scope"),
    }),
    scoreChanges: z.object({ changed: z.number().int(), mean: z.number() }),
    seconds: z.number(),
  })
  .meta({ id: "ModelDiff" });
export type ModelDiff = z.output<typeof ModelDiffSchema>;

/** A version published: from the next evaluation on it replaces the version before it. */
export const ModelPublicationSchema = z
  .object({
    id: z.number().int(),
    modelId: z.string(),
    version: z.string(),
    digest: z.string(),
    previousVersion: z.string(),
    previousDigest: z.string(),
    publishedAt: z.string(),
    publishedBy: z.string(),
  })
  .meta({ id: "ModelPublication" });
export type ModelPublication = z.output<typeof ModelPublicationSchema>;

/** The current version's model file, to start a draft from. */
export const ModelSourceSchema = z
  .object({
    id: z.string(),
    version: z.string(),
    owner: z.string(),
    source: z
      .string()
      .describe("model_versions (a published version), or the shipped file policy/models/<id>.yaml"),
    yaml: z.string(),
  })
  .meta({ id: "ModelSource" });
export type ModelSource = z.output<typeof ModelSourceSchema>;

/** A published version (its YAML text left out). */
export const ModelVersionSchema = z
  .object({
    id: z.number().int(),
    modelId: z.string(),
    version: z.string(),
    owner: z.string(),
    digest: z.string(),
    previousVersion: z.string().nullable(),
    previousDigest: z.string().nullable(),
    publishedBy: z.string(),
    publishedAt: z.string(),
    note: z.string().nullable(),
  })
  .meta({ id: "ModelVersion" });
export type ModelVersion = z.output<typeof ModelVersionSchema>;

export const ModelVersionsSchema = z
  .object({
    current: z.object({
      id: z.string(),
      version: z.string(),
      digest: z.string(),
      owner: z.string(),
      source: z.string().describe("model_versions …, or the shipped file policy/models/<id>.yaml"),
    }),
    published: z.array(ModelVersionSchema).describe("Newest first"),
  })
  .meta({ id: "ModelVersions" });
export type ModelVersions = z.output<typeof ModelVersionsSchema>;
