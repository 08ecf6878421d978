import crypto from "node:crypto";
import { canonicalJson } from "../records/digest.ts";
import type { EvalInput } from "./types.ts";

/**
 * SHA-256 (hex) of everything an evaluation depends on: the model (id, version and the digest of its
 * definition), the as-of date and the inputs in canonical form — records sorted by id, other grades by
 * source, absent optional inputs as null. Two evaluations with the same digest have the same result (the
 * engine is pure and order-independent), so a stored result can be checked or reused.
 */
export function inputDigest(
  input: EvalInput,
  model: { id: string; version: string; digest: string },
  asOf: string,
): string {
  const s = input.subject;
  const canonical = {
    model: { id: model.id, version: model.version, digest: model.digest },
    asOf,
    subject: {
      code: s.code,
      type: s.type,
      status: s.status,
      registered_on: s.registered_on ?? null,
      region: s.region ?? null,
      industry_section: s.industry_section ?? null,
      industry_division: s.industry_division ?? null,
    },
    records: [...input.records]
      .sort((a, b) => a.id - b.id)
      .map((r) => ({
        id: r.id,
        department: r.department,
        category: r.category,
        severity: r.severity,
        status: r.status,
        decision_date: r.decision_date,
        fields: r.fields,
      })),
    publicScore: input.publicScore ?? null,
    marketRating: input.marketRating
      ? { agency: input.marketRating.agency, score: input.marketRating.score }
      : null,
    otherGrades: [...(input.otherGrades ?? [])]
      .map((g) => ({ source: g.source, grade: g.grade }))
      .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.grade < b.grade ? -1 : 1)),
  };
  return crypto.createHash("sha256").update(canonicalJson(canonical)).digest("hex");
}
