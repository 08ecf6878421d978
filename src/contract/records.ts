/**
 * Credit records, their import (JSON, files) and batches, the catalog of categories and its templates:
 * requests and answers (src/api/routes/records.ts). A record is never deleted: a correction or a revocation is
 * a new version. A natural person's identity number is masked in every answer.
 */
import { z } from "zod";
import { ProblemSchema, paged, pagingQuery } from "./common.ts";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

// ---- catalog ----

export const CatalogQuery = z.object({ date: date.optional().describe("The day the catalog is read for") });

export const CategoryParams = z.object({ category: z.string().max(64) });

export const TemplateQuery = z.object({
  format: z.enum(["csv", "xlsx"]).default("csv"),
  lang: z.enum(["zh", "en"]).default("zh"),
});

const severity = z.enum(["minor", "general", "serious"]);
const periodRange = z.object({ min: z.string(), max: z.string() }).describe("ISO-8601 durations, e.g. P3M");

/** One column of a category's file: a catalog field and whether the category requires it. */
export const CatalogColumnSchema = z
  .object({
    key: z.string().describe("The field's key, e.g. subject_code (a column name, not an API field)"),
    zh: z.string(),
    en: z.string(),
    type: z.enum(["text", "date", "number", "integer", "enum", "code"]),
    aliases: z.array(z.string()).optional(),
    max: z.number().optional(),
    min: z.number().optional(),
    values: z.array(z.string()).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    future: z.boolean().optional().describe("A date that may lie in the future"),
    required: z.boolean(),
  })
  .meta({ id: "CatalogColumn" });
export type CatalogColumn = z.output<typeof CatalogColumnSchema>;

export const CatalogCategorySchema = z
  .object({
    code: z.string(),
    zh: z.string(),
    en: z.string(),
    kind: z.enum(["negative", "positive", "neutral"]),
    severity,
    departments: z.array(z.string()),
    required: z.array(z.string()),
    optional: z.array(z.string()),
    publicity: z.union([z.enum(["regime", "none"]), periodRange]),
    effectiveFrom: z.string(),
    effectiveTo: z.string().optional(),
    columns: z.array(CatalogColumnSchema),
  })
  .meta({ id: "CatalogCategory" });
export type CatalogCategory = z.output<typeof CatalogCategorySchema>;

export const PublicityRegimeSchema = z
  .object({
    id: z.string(),
    effectiveFrom: z.string(),
    effectiveTo: z.string().optional(),
    source: z.string(),
    periods: z.object({ minor: periodRange, general: periodRange, serious: periodRange }),
  })
  .meta({ id: "PublicityRegime" });

export const CatalogDepartmentSchema = z
  .object({ code: z.string(), zh: z.string(), en: z.string() })
  .meta({ id: "CatalogDepartment" });
export type CatalogDepartment = z.output<typeof CatalogDepartmentSchema>;

/** The categories in force on a date, with their columns; the publicity regimes and the departments. */
export const CatalogSchema = z
  .object({
    date: z.string(),
    source: z.string(),
    categories: z.array(CatalogCategorySchema),
    regimes: z.array(PublicityRegimeSchema),
    departments: z.array(CatalogDepartmentSchema),
  })
  .meta({ id: "Catalog" });
export type Catalog = z.output<typeof CatalogSchema>;

// ---- records ----

/** One record as sent: catalog field keys (Chinese or English column names accepted) and their values. */
export const RawRecord = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

export const RecordBatchBody = (max: number) =>
  z.object({
    department: z.string().max(32).optional(),
    category: z.string().max(64).optional(),
    acceptValid: z.boolean().default(false),
    records: z.array(RawRecord).min(1).max(max),
  });

export const RecordIdParams = z.object({ id: z.coerce.number().int().positive() });

export const RevokeBody = z.object({ reason: z.string().trim().min(2).max(1000) });

/** One version of a credit record. */
export const CreditRecordSchema = z
  .object({
    id: z.number().int(),
    department: z.string(),
    category: z.string(),
    docNo: z.string(),
    version: z.number().int(),
    isCurrent: z.boolean(),
    subjectCode: z.string().describe("A natural person's identity number is masked"),
    subjectName: z.string().nullable(),
    decisionDate: z.string(),
    severity,
    status: z.enum(["active", "corrected", "revoked"]),
    statusReason: z.string().nullable(),
    /** On a version that names another subject than the version before it: the submitter's reason. */
    subjectCorrection: z.string().nullable(),
    fields: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
    digest: z.string().describe("SHA-256 of the record's content: equal digest, same record"),
    batchId: z.string(),
    submittedBy: z.string(),
    submittedAt: z.string(),
  })
  .meta({ id: "CreditRecord" });
export type CreditRecord = z.output<typeof CreditRecordSchema>;

/** Every version of a record the caller may see, oldest first. */
export const RecordHistorySchema = z
  .object({ id: z.number().int(), versions: z.array(CreditRecordSchema) })
  .meta({ id: "RecordHistory" });
export type RecordHistory = z.output<typeof RecordHistorySchema>;

// ---- imports ----

export const ImportQuery = z.object({
  department: z.string().max(32).optional(),
  category: z.string().max(64).optional(),
  acceptValid: z.enum(["true", "false"]).default("false"),
  wait: z.enum(["true", "false"]).default("false"),
});

/** A version accepted as a correction of its subject (the submitter gave a reason). */
export const SubjectCorrectionSchema = z
  .object({
    row: z.number().int(),
    docNo: z.string(),
    from: z.string().describe("Subject code before (identity numbers masked)"),
    to: z.string().describe("Subject code after (identity numbers masked)"),
    reason: z.string(),
  })
  .meta({ id: "IngestSubjectCorrection" });

/** The outcome of a submission or import (also the body of its 422, with `error` and `message`). */
export const IngestResultSchema = z
  .object({
    batchId: z.string(),
    status: z.enum(["committed", "rejected"]),
    accepted: z.number().int(),
    rejected: z.number().int(),
    duplicates: z.number().int(),
    versions: z.number().int(),
    problems: z.array(ProblemSchema),
    subjectCorrections: z.array(SubjectCorrectionSchema).optional(),
    rejectsUrl: z.string().optional().describe("Where the rejects report (CSV) is downloaded"),
  })
  .meta({ id: "IngestResult" });
export type IngestResult = z.output<typeof IngestResultSchema>;

/** A file import started in the background (202): poll the batch. */
export const ImportStartedSchema = z
  .object({ batchId: z.string(), status: z.literal("running") })
  .meta({ id: "ImportStarted" });
export type ImportStarted = z.output<typeof ImportStartedSchema>;

export const BatchListQuery = z.object({
  ...pagingQuery(500, 20),
  department: z.string().max(32).optional(),
});

export const BatchIdParams = z.object({ id: z.string().max(64) });

export const BATCH_STATUSES = ["running", "committed", "rejected", "interrupted", "failed"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** An import batch: who sent what, and its counts. No server path, host or process id. */
export const ImportBatchSchema = z
  .object({
    id: z.string(),
    department: z.string().nullable(),
    submitter: z.string(),
    channel: z.string().describe("rest | file | cli | demo"),
    fileName: z.string().nullable(),
    fileDigest: z.string().nullable(),
    status: z.enum(BATCH_STATUSES),
    acceptValid: z.boolean().describe("Valid rows were accepted although others were rejected"),
    accepted: z.number().int(),
    rejected: z.number().int(),
    duplicates: z.number().int(),
    versions: z.number().int(),
    hasRejects: z.boolean(),
    rejectsUrl: z.string().optional(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: "ImportBatch" });

export const ImportBatchPageSchema = paged(ImportBatchSchema);

/** A batch with its progress while it runs and the corrections of subject it wrote. */
export const ImportBatchDetailSchema = ImportBatchSchema.extend({
  progress: z.object({ rowsRead: z.number().int() }).optional(),
  subjectCorrections: z.array(
    z.object({
      id: z.number().int(),
      docNo: z.string(),
      category: z.string(),
      from: z.string(),
      to: z.string(),
      reason: z.string().nullable(),
    }),
  ),
}).meta({ id: "ImportBatchDetail" });
export type ImportBatch = z.output<typeof ImportBatchSchema> &
  Partial<Pick<z.output<typeof ImportBatchDetailSchema>, "progress" | "subjectCorrections">>;
export type ImportBatchDetail = z.output<typeof ImportBatchDetailSchema>;
