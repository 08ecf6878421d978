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
 * canonicalJson of a flat object whose values are all strings or numbers (what validation produces), without
 * the general machinery; undefined when the object is not such (the caller falls back to canonicalJson).
 */
function flatCanonicalJson(obj: Record<string, unknown>): string | undefined {
  const keys = Object.keys(obj);
  if (keys.length > 1) keys.sort();
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = obj[k];
    const t = typeof v;
    if (t !== "string" && t !== "number") return undefined;
    if (i > 0) out += ",";
    out += `${JSON.stringify(k)}:${JSON.stringify(v)}`;
  }
  return `${out}}`;
}

/** canonicalJson of an array member (a missing one joins as nothing, as Array.prototype.join has it). */
const json = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : (canonicalJson(v) ?? ""));

/**
 * SHA-256 of a record's content — everything a department states, nothing about who sent it when.
 * Equal digests mean a resubmission of the same record (a no-op); a different digest is a new version.
 *
 * The text hashed is canonicalJson of [department, category, doc_no, subject_code, subject_name,
 * decision_date, severity, status, status_reason, fields]; it is built directly here (this runs once per
 * imported row), and digest.test.ts pins the result to what canonicalJson gives.
 */
export function recordDigest(r: RecordInput): string {
  const fields = flatCanonicalJson(r.fields) ?? canonicalJson(r.fields);
  const text = `[${json(r.department)},${json(r.category)},${json(r.doc_no)},${json(r.subject_code)},${json(r.subject_name)},${json(r.decision_date)},${json(r.severity)},${json(r.status)},${json(r.status_reason)},${fields}]`;
  return crypto.hash("sha256", text, "hex");
}
