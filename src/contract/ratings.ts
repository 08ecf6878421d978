/**
 * Market ratings (市场信用评价) and other systems' grades: the register of credit agencies and their users, the
 * rating scales, rating and grade submissions (JSON or file) and their import batches, the lists, and what a
 * subject has from both — requests and answers (src/api/routes/ratings.ts).
 */
import { z } from "zod";
import { ProblemResponseSchema, ProblemSchema, paged, pagingQuery } from "./common.ts";

/** Most rows one JSON request may carry; larger sets go through a file. */
export const MAX_JSON_ROWS = 10_000;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Text = z.object({ zh: z.string(), en: z.string() });

// ---- agencies ----

export const AGENCY_STATUSES = ["active", "suspended"] as const;
export const AgencyStatusSchema = z
  .enum(AGENCY_STATUSES)
  .describe("active, or suspended: its ratings stop counting and none are accepted");

export const AgencyCodeParams = z.object({ code: z.string().max(32) });

export const AgencyCreateBody = z.object({
  code: z.string().trim().min(1).max(32),
  name: z.string().trim().min(1).max(128),
  qualification: z.string().trim().min(1).max(500),
  scale: z.string().trim().min(1).max(32),
  status: AgencyStatusSchema.optional(),
});

export const AgencyUpdateBody = z.object({
  name: z.string().trim().min(1).max(128).optional(),
  qualification: z.string().trim().min(1).max(500).optional(),
  scale: z.string().trim().min(1).max(32).optional(),
  status: AgencyStatusSchema.optional(),
});

export const AgencyMemberBody = z.object({ username: z.string().trim().min(1).max(64) });

/** A user acting for an agency. */
export const AgencyMemberSchema = z
  .object({ username: z.string(), displayName: z.string(), boundBy: z.string(), boundAt: z.string() })
  .meta({ id: "AgencyMember" });

/** A registered credit agency; `members` only in the city credit office's list (it binds them). */
export const AgencySchema = z
  .object({
    code: z.string(),
    name: z.string(),
    qualification: z.string().describe("资质/备案: the basis on which it rates, e.g. its PBOC filing number"),
    scale: z.string().describe("Its rating scale (GET /agency-scales)"),
    status: AgencyStatusSchema,
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    members: z.array(AgencyMemberSchema).optional(),
  })
  .meta({ id: "CreditAgency" });
export type Agency = z.output<typeof AgencySchema>;
export const AgencyListSchema = z.array(AgencySchema);

/** A user bound to an agency (re-binding moves it). */
export const AgencyBindingSchema = z
  .object({ userId: z.number().int(), username: z.string(), agency: z.string() })
  .meta({ id: "AgencyBinding" });

// ---- scales and other grading systems ----

/** A rating scale and its mapping to 0–1000 in force today (policy/grades/agency-scales/). */
export const RatingScaleSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["letters", "numeric"]),
    title: Text,
    grades: z.array(z.string()).optional().describe("Letters scales: the grades, best first"),
    min: z.number().optional(),
    max: z.number().optional(),
    points: z
      .object({
        from: z.string(),
        to: z.string().optional(),
        value: z.union([
          z.record(z.string(), z.number()).describe("Letters: grade → score"),
          z.array(z.object({ at: z.number(), score: z.number() })).describe("Numeric: anchors, interpolated"),
        ]),
        source: z.string(),
      })
      .nullable()
      .describe("The mapping in force today; null when none is"),
  })
  .meta({ id: "RatingScale" });
export type RatingScale = z.output<typeof RatingScaleSchema>;
export const RatingScaleListSchema = z.array(RatingScaleSchema);

/** Another grading system (policy/other-grades.yaml): tax, SAMR risk class… */
export const OtherGradeSourceSchema = z
  .object({
    id: z.string(),
    table: z.string().describe("Its mapping table under policy/grades/"),
    departments: z.array(z.string()).optional().describe("The departments that issue it; absent: any"),
    zh: z.string(),
    en: z.string(),
  })
  .meta({ id: "OtherGradeSource" });
export type OtherGradeSource = z.output<typeof OtherGradeSourceSchema>;
export const OtherGradeSourceListSchema = z.array(OtherGradeSourceSchema);

// ---- submissions ----

/**
 * A JSON row's fields are the file's column keys (the same names as the import template's), so one row has the
 * same fields however it arrives; services/ratings keeps the columns (a test checks they match).
 */
export const RATING_ROW_FIELDS = [
  "subject_code",
  "subject_name",
  "rating",
  "rating_date",
  "valid_until",
] as const;
export const GRADE_ROW_FIELDS = [
  "subject_code",
  "subject_name",
  "grade",
  "grade_date",
  "valid_until",
] as const;
const cell = z.union([z.string().max(4000), z.number(), z.null()]).optional();
const rowOf = (fields: readonly string[]) => z.object(Object.fromEntries(fields.map((f) => [f, cell])));

export const RatingsBody = z.object({
  acceptValid: z.boolean().default(false).describe("Write the valid rows even if some are rejected"),
  ratings: z.array(rowOf(RATING_ROW_FIELDS)).min(1).max(MAX_JSON_ROWS),
});
export const RatingsImportQuery = z.object({ acceptValid: z.enum(["true", "false"]).default("false") });

export const GradesBody = z.object({
  source: z.string().trim().min(1).max(32).describe("The grading system (GET /other-grades/sources)"),
  department: z.string().max(32).optional().describe("The issuing department (city credit office only)"),
  acceptValid: z.boolean().default(false),
  grades: z.array(rowOf(GRADE_ROW_FIELDS)).min(1).max(MAX_JSON_ROWS),
});
export const GradesImportQuery = z.object({
  source: z.string().trim().min(1).max(32),
  department: z.string().max(32).optional(),
  acceptValid: z.enum(["true", "false"]).default("false"),
});

const importOutcome = {
  batchId: z.string(),
  status: z.enum(["committed", "rejected"]).describe("rejected: an all-or-nothing import with a bad row"),
  accepted: z.number().int(),
  rejected: z.number().int(),
  problems: z.array(ProblemSchema).describe("The first problems; all of them are in the rejects report"),
  rejectsUrl: z.string().optional().describe("The rejects report (CSV), when rows were rejected"),
};

/** A rating or grade import done (200). */
export const GradeImportResultSchema = z.object(importOutcome).meta({ id: "GradeImportResult" });
export type GradeImportResult = z.output<typeof GradeImportResultSchema>;

/** A rating or grade import refused as a whole (422): the error, and the batch with its counts. */
export const GradeImportRefusedSchema = ProblemResponseSchema.extend(importOutcome).meta({
  id: "GradeImportRefused",
});

/**
 * What an import route answers 422: its batch refused (with the counts), or — a file refused before any batch,
 * e.g. beyond a bound of policy/uploads.yaml — the problem alone.
 */
export const GradeImportUnprocessableSchema = z.union([GradeImportRefusedSchema, ProblemResponseSchema]);

// ---- lists ----

export const RatingListQuery = z.object({
  ...pagingQuery(),
  subject: z.string().max(64).optional(),
  agency: z.string().max(32).optional(),
});

/** A market rating as the agency gave it, with its score on 0–1000 and the mapping used. */
export const MarketRatingSchema = z
  .object({
    id: z.number().int(),
    agencyCode: z.string(),
    subjectCode: z.string(),
    rating: z.string().describe("As the agency gave it, on its own scale (AA+, 87.5)"),
    scale: z.string(),
    score: z.number().describe("Normalised to 0–1000 by the scale's mapping in force on the rating date"),
    rule: z.string().describe("The mapping used: <scale>@<from date>"),
    ratingDate: z.string(),
    validUntil: z.string(),
    batchId: z.string(),
    submittedBy: z.string(),
    submittedAt: z.string(),
  })
  .meta({ id: "MarketRating" });
export type MarketRating = z.output<typeof MarketRatingSchema>;
export const MarketRatingPageSchema = paged(MarketRatingSchema);

export const OtherGradeListQuery = z.object({
  ...pagingQuery(),
  subject: z.string().max(64).optional(),
  source: z.string().max(32).optional(),
});

/** A grade from another system: the original beside the unified one. */
export const OtherGradeSchema = z
  .object({
    id: z.number().int(),
    subjectCode: z.string(),
    source: z.string(),
    original: z.string().describe("As the other system gave it"),
    grade: z.string().describe("Unified grade A–E, or NR when the other system could not judge"),
    rule: z.string().describe("The mapping used: <table>@<from date>"),
    department: z.string().describe("The issuing department"),
    gradeDate: z.string(),
    validUntil: z.string().nullable().describe("Null: stands until a newer grade of the same source"),
    batchId: z.string(),
    submittedBy: z.string(),
    submittedAt: z.string(),
  })
  .meta({ id: "OtherGrade" });
export type OtherGrade = z.output<typeof OtherGradeSchema>;
export const OtherGradePageSchema = paged(OtherGradeSchema);

export const GradeImportListQuery = z.object({
  ...pagingQuery(),
  kind: z.enum(["ratings", "grades"]).optional(),
  source: z.string().max(32).optional(),
});

/** An import batch of ratings or grades; where its rejects report lies on the server is not shown. */
export const GradeImportSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["ratings", "grades"]),
    source: z.string().describe("Agency code (ratings) or grading system (grades)"),
    department: z.string().nullable(),
    submitter: z.string(),
    channel: z.string().describe("rest, file or cli"),
    fileName: z.string().nullable(),
    status: z.string().describe("committed or rejected"),
    accepted: z.number().int(),
    rejected: z.number().int(),
    hasRejects: z.boolean().describe("A rejects report can be downloaded (GET /grade-imports/{id}/rejects)"),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: "GradeImport" });
export type GradeImport = z.output<typeof GradeImportSchema>;
export const GradeImportPageSchema = paged(GradeImportSchema);

export const GradeImportParams = z.object({ id: z.string().max(64) });

// ---- a subject's ratings and grades ----

export const ExternalGradesParams = z.object({ code: z.string().max(64) });
export const ExternalGradesQuery = z.object({ asOf: isoDate.optional() });

/** A subject's market rating and other systems' grades in force, originals beside unified, and their history. */
export const ExternalGradesSchema = z
  .object({
    subject: z.string().describe("The subject's code (an identity number masked)"),
    asOf: z.string(),
    marketRating: z
      .object({
        agency: z.string(),
        rating: z.string(),
        scale: z.string(),
        score: z.number(),
        rule: z.string(),
        ratingDate: z.string(),
        validUntil: z.string(),
      })
      .nullable()
      .describe("The rating the evaluation takes; null when none is valid"),
    otherGrades: z.array(
      z.object({
        source: z.string(),
        original: z.string(),
        grade: z.string(),
        rule: z.string(),
        department: z.string(),
        gradeDate: z.string(),
        validUntil: z.string().nullable(),
      }),
    ),
    history: z.object({
      ratings: z.array(MarketRatingSchema.omit({ subjectCode: true })),
      grades: z.array(OtherGradeSchema.omit({ subjectCode: true })),
    }),
  })
  .meta({ id: "ExternalGrades" });
export type ExternalGrades = z.output<typeof ExternalGradesSchema>;
