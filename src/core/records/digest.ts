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
  return crypto.hash("sha256", contentText(r), "hex");
}

/**
 * The text hashed: canonicalJson of [department, category, doc_no, subject_code, subject_name, decision_date,
 * severity, status, status_reason, fields]. This runs once per imported row, so the usual shape — text or
 * null envelope values, a flat `fields` of texts and numbers — is written with one JSON.stringify, which
 * gives the same text as canonicalJson for it (no undefined members, keys in sorted order); anything else
 * goes through canonicalJson. digest.test.ts pins the digests.
 */
function contentText(r: RecordInput): string {
  const envelope = [
    r.department,
    r.category,
    r.doc_no,
    r.subject_code,
    r.subject_name,
    r.decision_date,
    r.severity,
    r.status,
    r.status_reason,
  ];
  for (let i = 0; i < envelope.length; i++) {
    const v = envelope[i];
    if (v !== null && typeof v !== "string") return canonicalJson([...envelope, r.fields]);
  }
  const fields = r.fields;
  const keys = Object.keys(fields);
  let sorted = true;
  for (let i = 0; i < keys.length; i++) {
    const t = typeof fields[keys[i]!];
    if (t !== "string" && t !== "number") return canonicalJson([...envelope, fields]);
    if (i > 0 && keys[i - 1]! >= keys[i]!) sorted = false;
  }
  // JSON.stringify writes an object's members in Object.keys order: sorted keys are canonical as they are.
  if (sorted) {
    envelope.push(fields as unknown as string);
    return JSON.stringify(envelope);
  }
  const head = JSON.stringify(envelope);
  return `${head.slice(0, -1)},${canonicalJson(fields)}]`;
}
