/**
 * The API contract's shared pieces. Every route declares its request and response with Zod schemas from
 * src/contract/: the server validates requests and shapes responses with them (a response is encoded through
 * its schema, so a field not declared never leaves the server), the OpenAPI document is generated from them,
 * and the web app imports their inferred types (`import type`) — one definition, no copy by hand.
 * Field names are camelCase throughout (docs/decisions.md).
 */
import { z } from "zod";

/** One thing wrong with a request, in Chinese and English, with where it is and how to fix it. */
export const ProblemSchema = z
  .object({
    row: z.number().int().optional().describe("1-based data row of a file or batch"),
    field: z.string().optional(),
    code: z.string().describe("Stable machine code, e.g. date.future"),
    zh: z.string(),
    en: z.string(),
    fixZh: z.string(),
    fixEn: z.string(),
    value: z.string().optional().describe("The offending value, cut to 200 characters"),
  })
  .meta({ id: "Problem" });
export type Problem = z.infer<typeof ProblemSchema>;

/**
 * Every error answer (4xx, 5xx): the first problem as a message in the caller's language, and every problem
 * in both. Some refusals carry more (an import's counts, a batch id): those fields are declared by the route.
 */
export const ProblemResponseSchema = z
  .looseObject({
    error: z.enum(["invalid_input", "internal"]),
    message: z.string(),
    problems: z.array(ProblemSchema),
  })
  .meta({ id: "ProblemResponse" });
export type ProblemResponse = z.infer<typeof ProblemResponseSchema>;

/** The error answers every API route may give (the permission hook, validation, the error handler). */
export const ERROR_RESPONSES = {
  "4xx": ProblemResponseSchema.describe(
    "请求有误、未登录、无权限或不存在 Bad request, sign-in required, forbidden or not found",
  ),
  "5xx": ProblemResponseSchema.describe("服务器内部错误或繁忙 Internal error or busy"),
} as const;

/** A page of a list: the items and how many there are in all. */
export function paged<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}
/** The shape `paged()` declares, for callers that hold a page of any item. */
export type Page<T> = { items: T[]; total: number };

/** An answer with no body. */
export const NoContent = z.undefined().describe("No content");

/** A file download (CSV, XLSX, PDF…): the body is the file, not JSON. */
export function fileResponse(description: string) {
  return z.any().describe(description).meta({ format: "binary" });
}

/** Paging parameters of list routes. */
export const pagingQuery = (max = 500, defaultLimit = 20) => ({
  limit: z.coerce.number().int().min(1).max(max).default(defaultLimit),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The server answers and which engine holds the data. */
export const HealthSchema = z.object({ ok: z.literal(true), engine: z.enum(["sqlite", "postgres"]) });
