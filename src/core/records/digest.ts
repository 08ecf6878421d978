import crypto from "node:crypto";
import type { RecordInput } from "./validate.ts";

/** JSON with object keys sorted at every level: one text per value, so digests are stable. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(",")}}`;
}

/**
 * SHA-256 of a record's content — everything a department states, nothing about who sent it when.
 * Equal digests mean a resubmission of the same record (a no-op); a different digest is a new version.
 */
export function recordDigest(r: RecordInput): string {
  const content = [
    r.department,
    r.category,
    r.doc_no,
    r.subject_code,
    r.subject_name,
    r.decision_date,
    r.severity,
    r.status,
    r.status_reason,
    r.fields,
  ];
  return crypto.createHash("sha256").update(canonicalJson(content)).digest("hex");
}
