/**
 * Market subjects (search, profile), code checks (统一社会信用代码, 身份证号) and the reference lists (regions,
 * industries): requests and answers (src/api/routes/subjects.ts). A natural person's identity number is masked
 * in every answer.
 */
import { z } from "zod";
import { SUBJECT_STATUSES, SUBJECT_TYPES } from "../core/reference/subject-types.ts";
import { paged, pagingQuery } from "./common.ts";
import { CreditRecordSchema } from "./records.ts";

export { SUBJECT_STATUSES, SUBJECT_TYPES, type SubjectType } from "../core/reference/subject-types.ts";

export const CodeParams = z.object({ code: z.string().max(64) });

export const SubjectSearchQuery = z.object({
  q: z.string().max(100).optional().describe("A code (exact) or part of the name"),
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  industry: z
    .string()
    .regex(/^([A-T]|\d{2})$/)
    .optional()
    .describe("A section (A–T) or a division (two digits)"),
  type: z.enum(SUBJECT_TYPES).optional(),
  status: z.enum(SUBJECT_STATUSES).optional(),
  ...pagingQuery(200, 20),
});

export const SubjectSchema = z
  .object({
    id: z.number().int(),
    code: z.string().describe("USCC, or a natural person's identity number (masked)"),
    codeStatus: z.string().describe("valid | legacy (allow-listed pre-standard code)"),
    name: z.string(),
    type: z.enum(SUBJECT_TYPES),
    industrySection: z.string().nullable(),
    industryDivision: z.string().nullable(),
    region: z.string().nullable(),
    registeredOn: z.string().nullable(),
    status: z.string().describe("存续 | 吊销 | 注销 | 迁出"),
    registeredCapital: z.number().nullable().describe("万元 (10,000 CNY)"),
    createdAt: z.string(),
    updatedAt: z.string(),
    masked: z.boolean().describe("The code is a masked identity number: open the profile with id:<id>"),
  })
  .meta({ id: "Subject" });
export type Subject = z.output<typeof SubjectSchema>;

export const SubjectPageSchema = paged(SubjectSchema);

export const SubjectProfileSchema = z
  .object({ subject: SubjectSchema, records: z.array(CreditRecordSchema) })
  .meta({ id: "SubjectProfile" });
export type SubjectProfile = z.output<typeof SubjectProfileSchema>;

// ---- code checks ----

const reason = z.object({
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  fixZh: z.string(),
  fixEn: z.string(),
});
const named = z.object({ code: z.string(), zh: z.string(), en: z.string() });

export const UsccCheckSchema = z
  .object({
    code: z.string().describe("The input exactly as given"),
    normalized: z.string(),
    status: z.enum(["valid", "invalid", "legacy"]),
    reason: reason.optional().describe("Why invalid, or (legacy) why accepted although it fails the check"),
    warnings: z.array(named).optional(),
    authority: named.optional(),
    category: named.optional(),
  })
  .meta({ id: "UsccCheck" });
export type UsccCheck = z.output<typeof UsccCheckSchema>;

/** The number itself is not repeated in the answer. */
export const IdNumberCheckSchema = z
  .object({
    status: z.enum(["valid", "invalid"]),
    reason: reason.optional(),
    birthDate: z.string().optional(),
  })
  .meta({ id: "IdNumberCheck" });
export type IdNumberCheck = z.output<typeof IdNumberCheckSchema>;

// ---- reference lists ----

export const RegionSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    en: z.string(),
    level: z.enum(["province", "prefecture", "county"]),
    parent: z.string().nullable(),
    grouping: z.boolean().optional(),
    nominal: z.boolean().optional(),
    countiesComplete: z.boolean().optional(),
  })
  .meta({ id: "Region" });
export type Region = z.output<typeof RegionSchema>;

export const RegionListSchema = z.array(RegionSchema);

export const IndustriesSchema = z
  .object({
    sections: z.array(
      z.object({ code: z.string(), name: z.string(), en: z.string(), divisions: z.array(z.string()) }),
    ),
    divisions: z.array(z.object({ code: z.string(), name: z.string(), en: z.string(), section: z.string() })),
  })
  .meta({ id: "Industries" });
export type Industries = z.output<typeof IndustriesSchema>;
export type IndustrySection = Industries["sections"][number];
export type IndustryDivision = Industries["divisions"][number];
