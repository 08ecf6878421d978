/**
 * The input digest of core/scoring/digest.ts (`inputDigest`), computed from the stored record texts: the same
 * canonical JSON, written piece by piece instead of through canonicalJson, with each record's `fields` text
 * used as it is stored when it is already canonical (a flat object with sorted keys, as ingest writes it) and
 * only re-ordered otherwise. The records' part is written once per subject and shared by its models.
 * digest.test.ts checks it equals inputDigest.
 */
import crypto from "node:crypto";
import { canonicalJson } from "../../core/records/digest.ts";
import type { EvalInput, RecordFact, SubjectFacts } from "../../core/scoring/index.ts";
import { isPlainFlat } from "./fields.ts";

/**
 * A record as the batch evaluation holds it: the engine's fact (with only the fields the models read) plus its
 * stored `fields` text — or, read from SQLite, the bytes of that text (`src` from `from` to `to`), decoded
 * only if the digest needs it.
 */
export interface EvalRecord extends RecordFact {
  text: string | null;
  src: Buffer | null;
  from: number;
  to: number;
}

/** The stored `fields` text of a record. */
export function fieldsText(r: EvalRecord): string {
  if (r.text === null) r.text = r.src!.toString("utf8", r.from, r.to);
  return r.text;
}

const q = JSON.stringify;

/** canonicalJson(JSON.parse(text)) for a stored `fields` text, without parsing when it can be helped. */
export function canonicalFields(text: string): string {
  if (isPlainFlat(text)) {
    const c = flatCanonical(text);
    if (c !== undefined) return c;
  }
  return canonicalJson(JSON.parse(text));
}

/**
 * A plain flat object text (no escapes, nothing nested) in canonical form: the text itself when its keys are
 * sorted and its values are written as JSON.stringify writes them; else its members re-ordered. Undefined
 * when the text is not what this expects (then the caller parses it).
 */
function flatCanonical(text: string): string | undefined {
  const n = text.length;
  if (n === 2 && text === "{}") return text;
  const keys: string[] = [];
  const members: string[] = [];
  let sorted = true;
  let exact = true;
  let p = 1;
  for (;;) {
    if (text.charCodeAt(p) !== 34) return undefined;
    const keyEnd = text.indexOf('"', p + 1);
    if (keyEnd < 0 || text.charCodeAt(keyEnd + 1) !== 58 /* : */) return undefined;
    const key = text.slice(p + 1, keyEnd);
    const v = keyEnd + 2;
    let end: number;
    let token: string;
    if (text.charCodeAt(v) === 34) {
      end = text.indexOf('"', v + 1) + 1;
      if (end === 0) return undefined;
      token = text.slice(v, end);
    } else {
      end = v;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === 44 || c === 125) break;
        end++;
      }
      token = text.slice(v, end);
      let value: unknown;
      try {
        value = JSON.parse(token);
      } catch {
        return undefined;
      }
      const canon = q(value);
      if (canon !== token) {
        exact = false;
        token = canon;
      }
    }
    const last = keys.length > 0 ? keys[keys.length - 1]! : undefined;
    if (last !== undefined && !(last < key)) {
      if (last === key) return undefined;
      sorted = false;
    }
    keys.push(key);
    members.push(`${text.slice(p, keyEnd + 1)}:${token}`);
    const c = text.charCodeAt(end);
    if (c === 125) {
      if (end !== n - 1) return undefined;
      break;
    }
    if (c !== 44) return undefined;
    p = end + 1;
  }
  if (sorted && exact) return text;
  if (sorted) return `{${members.join(",")}}`;
  const order = keys.map((_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
  return `{${order.map((i) => members[i]).join(",")}}`;
}

/** The records in id order: the list itself when it is in order already (it usually is), else a sorted copy. */
function byId(records: readonly EvalRecord[]): readonly EvalRecord[] {
  for (let i = 1; i < records.length; i++)
    if (records[i]!.id < records[i - 1]!.id) return [...records].sort((a, b) => a.id - b.id);
  return records;
}

/** The canonical JSON of a subject's records (sorted by id), as inputDigest writes them. */
export function canonicalRecords(records: readonly EvalRecord[]): string {
  const list = byId(records);
  let s = "[";
  for (let i = 0; i < list.length; i++) {
    const r = list[i]!;
    if (i > 0) s += ",";
    s += `{"category":${q(r.category)},"decision_date":${q(r.decision_date)},"department":${q(r.department)},"fields":${canonicalFields(fieldsText(r))},"id":${q(r.id)},"severity":${q(r.severity)},"status":${q(r.status)}}`;
  }
  return `${s}]`;
}

function canonicalSubject(s: SubjectFacts): string {
  return `{"code":${q(s.code)},"industry_division":${q(s.industry_division ?? null)},"industry_section":${q(s.industry_section ?? null)},"region":${q(s.region ?? null)},"registered_on":${q(s.registered_on ?? null)},"status":${q(s.status)},"type":${q(s.type)}}`;
}

/**
 * inputDigest computed from the records' stored bytes. For each subject (`subject`) the canonical JSON of its
 * records and facts is written once as UTF-8, straight from the stored bytes where it can: a fields text that
 * is a plain flat object (as ingest writes them) is copied as it is, or member by member in key order, without
 * being decoded; the short columns' JSON is kept per distinct value. Each model's digest (`digest`) then puts
 * the model's part in front — kept per model, as-of date and public score — and hashes the whole in one call.
 * digest.test.ts checks it equals inputDigest.
 */
export class DigestWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private len = 0;
  /** Where the current subject's records and facts start in `buf` (after room for a model's part). */
  private bodyFrom = 0;
  private bodyTo = 0;
  private readonly heads = new Map<string, Buffer>();
  private readonly members: number[] = [];

  /** Writes a subject's records and facts (the part of the digested text all its models share). */
  subject(records: readonly EvalRecord[], subject: SubjectFacts): void {
    const list = byId(records);
    // Room in front for the longest model part seen so far.
    this.len = HEAD_ROOM;
    this.bodyFrom = this.len;
    this.ascii("[");
    for (let i = 0; i < list.length; i++) {
      const r = list[i]!;
      this.ascii(i > 0 ? ',{"category":' : '{"category":');
      this.str(r.category);
      this.ascii(',"decision_date":');
      this.str(r.decision_date);
      this.ascii(',"department":');
      this.str(r.department);
      this.ascii(',"fields":');
      if (r.src === null || r.text !== null || !this.fields(r.src, r.from, r.to))
        this.utf8(canonicalFields(fieldsText(r)));
      this.ascii(',"id":');
      if (Number.isSafeInteger(r.id) && r.id >= 0) this.digits(r.id);
      else this.ascii(q(r.id));
      this.ascii(',"severity":');
      this.str(r.severity);
      this.ascii(',"status":');
      this.str(r.status);
      this.ascii("}");
    }
    this.ascii("]");
    this.utf8(`,"subject":${canonicalSubject(subject)}}`);
    this.bodyTo = this.len;
  }

  /** inputDigest(input, model, asOf) for the current subject (input.records are the subject's). */
  digest(
    input: Omit<EvalInput, "records">,
    model: { id: string; version: string; digest: string },
    asOf: string,
  ): string {
    const plain = !input.marketRating && (input.otherGrades === undefined || input.otherGrades.length === 0);
    const key = plain
      ? `${model.digest}|${model.id}|${model.version}|${asOf}|${input.publicScore ?? null}`
      : "";
    let head = plain ? this.heads.get(key) : undefined;
    if (head === undefined) {
      head = Buffer.from(digestParts(input, model, asOf)[0]);
      if (plain && this.heads.size < 10_000) this.heads.set(key, head);
    }
    if (head.length <= this.bodyFrom) {
      const from = this.bodyFrom - head.length;
      head.copy(this.buf, from);
      return crypto.hash("sha256", this.buf.subarray(from, this.bodyTo), "hex");
    }
    return crypto
      .createHash("sha256")
      .update(head)
      .update(this.buf.subarray(this.bodyFrom, this.bodyTo))
      .digest("hex");
  }

  /**
   * Writes a stored fields text in canonical form from its bytes: as it is when it is canonical, its members
   * re-ordered when only their order is not; false (nothing written) when it is not a plain flat object.
   */
  private fields(src: Buffer, from: number, to: number): boolean {
    const m = this.members;
    const sorted = flatMembers(src, from, to, m);
    if (sorted === null) return false;
    if (sorted) {
      this.copy(src, from, to);
      return true;
    }
    // Members [keyFrom, keyTo, memberFrom, memberTo] in key order (keys are ASCII: byte order is code order).
    const n = m.length / 4;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
      compareBytes(src, m[a * 4]!, m[a * 4 + 1]!, m[b * 4]!, m[b * 4 + 1]!),
    );
    this.ascii("{");
    order.forEach((i, k) => {
      if (k > 0) this.ascii(",");
      this.copy(src, m[i * 4 + 2]!, m[i * 4 + 3]!);
    });
    this.ascii("}");
    return true;
  }

  /** A string's JSON: written directly when it is printable ASCII without quote or backslash. */
  private str(s: string) {
    const n = s.length;
    this.room(n + 2);
    const b = this.buf;
    let p = this.len;
    b[p++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) {
        this.utf8(q(s));
        return;
      }
      b[p++] = c;
    }
    b[p++] = 0x22;
    this.len = p;
  }

  /** A non-negative integer's decimal digits. */
  private digits(v: number) {
    if (v < 10) {
      this.room(1);
      this.buf[this.len++] = 0x30 + v;
      return;
    }
    this.ascii(String(v));
  }

  private room(n: number) {
    if (this.len + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }

  private ascii(s: string) {
    this.room(s.length);
    const b = this.buf;
    let n = this.len;
    for (let i = 0; i < s.length; i++) b[n++] = s.charCodeAt(i);
    this.len = n;
  }

  private utf8(s: string) {
    this.room(s.length * 3);
    this.len += this.buf.write(s, this.len, "utf8");
  }

  private copy(src: Buffer, from: number, to: number) {
    this.room(to - from);
    this.len += src.copy(this.buf, this.len, from, to);
  }
}

/** Bytes kept free in front of a subject's part for a model's part (asOf, model, scores: well under 1 kB). */
const HEAD_ROOM = 1024;

function compareBytes(b: Buffer, a0: number, a1: number, b0: number, b1: number): number {
  const la = a1 - a0;
  const lb = b1 - b0;
  for (let i = 0; i < la && i < lb; i++) {
    const d = b[a0 + i]! - b[b0 + i]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

/**
 * The members of a plain flat object text in bytes — {"k":v,...} with ASCII keys, no backslash, nothing
 * nested, each value a string or a number written as JSON.stringify writes it — into `out` as
 * [keyFrom, keyTo, memberFrom, memberTo] each; returns whether the keys are in increasing order, or null
 * when the text is not such an object (a duplicate key counts as not).
 */
function flatMembers(b: Buffer, from: number, to: number, out: number[]): boolean | null {
  out.length = 0;
  if (to - from < 2 || b[from] !== 0x7b || b[to - 1] !== 0x7d) return null;
  if (to - from === 2) return true;
  let sorted = true;
  let p = from + 1;
  for (;;) {
    if (b[p] !== 0x22) return null;
    const k = p + 1;
    let e = k;
    while (e < to && b[e] !== 0x22) {
      const c = b[e]!;
      if (c === 0x5c || c >= 0x80 || c < 0x20) return null;
      e++;
    }
    if (e >= to || b[e + 1] !== 0x3a) return null;
    const n = out.length;
    if (n > 0) {
      const order = compareBytes(b, out[n - 4]!, out[n - 3]!, k, e);
      if (order === 0) return null;
      if (order > 0) sorted = false;
    }
    let v = e + 2;
    if (b[v] === 0x22) {
      v++;
      while (v < to && b[v] !== 0x22) {
        const c = b[v]!;
        if (c === 0x5c || c < 0x20) return null;
        v++;
      }
      if (v >= to) return null;
      v++;
    } else {
      // A number: digits, no leading zero, no '+', no exponent or trailing zeros that JSON.stringify would drop.
      const start = v;
      if (b[v] === 0x2d) v++;
      const d0 = v;
      while (v < to && b[v]! >= 0x30 && b[v]! <= 0x39) v++;
      if (v === d0 || (b[d0] === 0x30 && v - d0 > 1)) return null;
      const zero = b[d0] === 0x30;
      if (b[v] === 0x2e) {
        v++;
        const f0 = v;
        while (v < to && b[v]! >= 0x30 && b[v]! <= 0x39) v++;
        if (v === f0 || b[v - 1] === 0x30) return null;
        // JSON.stringify writes 0.0000001 as 1e-7.
        if (zero && v - f0 >= 6 && b[f0] === 0x30 && b[f0 + 1] === 0x30 && b[f0 + 2] === 0x30) return null;
      } else if (zero && start !== d0) return null; // -0 is written 0
      if (v - start > 15) return null;
    }
    out.push(k, e, p, v);
    if (b[v] === 0x7d) return v === to - 1 ? sorted : null;
    if (b[v] !== 0x2c) return null;
    p = v + 1;
  }
}

/**
 * inputDigest(input, model, asOf) with the records' canonical JSON given (canonicalRecords of the same
 * records): equal to it for every input.
 */
export function fastInputDigest(
  input: Omit<EvalInput, "records">,
  recordsJson: string,
  model: { id: string; version: string; digest: string },
  asOf: string,
): string {
  const [head, tail] = digestParts(input, model, asOf);
  return crypto.hash("sha256", head + recordsJson + tail, "hex");
}

/** The canonical JSON inputDigest hashes, before and after the records' JSON. */
function digestParts(
  input: Omit<EvalInput, "records">,
  model: { id: string; version: string; digest: string },
  asOf: string,
): [string, string] {
  const mr = input.marketRating;
  const others = [...(input.otherGrades ?? [])]
    .map((g) => ({ source: g.source, grade: g.grade }))
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.grade < b.grade ? -1 : 1));
  const head =
    `{"asOf":${q(asOf)},` +
    `"marketRating":${mr ? `{"agency":${q(mr.agency)},"score":${q(mr.score)}}` : "null"},` +
    `"model":{"digest":${q(model.digest)},"id":${q(model.id)},"version":${q(model.version)}},` +
    `"otherGrades":[${others.map((g) => `{"grade":${q(g.grade)},"source":${q(g.source)}}`).join(",")}],` +
    `"publicScore":${q(input.publicScore ?? null)},` +
    `"records":`;
  return [head, `,"subject":${canonicalSubject(input.subject)}}`];
}
