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

/** The canonical JSON of a subject's records (sorted by id), as inputDigest writes them. */
export function canonicalRecords(records: readonly EvalRecord[]): string {
  let ordered = true;
  for (let i = 1; i < records.length; i++)
    if (records[i]!.id < records[i - 1]!.id) {
      ordered = false;
      break;
    }
  const list = ordered ? records : [...records].sort((a, b) => a.id - b.id);
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
 * canonicalRecords as UTF-8 bytes, written straight from the records' stored bytes where it can: a fields
 * text that is a plain flat object with its keys in order (as ingest writes most) is copied as it is, without
 * being decoded; the short columns' JSON is kept per distinct value. The bytes are valid until the next call.
 */
export class CanonicalBytes {
  private buf = Buffer.allocUnsafe(1 << 16);
  private len = 0;
  private readonly quoted = new Map<string, Buffer>();

  records(records: readonly EvalRecord[]): Buffer {
    let ordered = true;
    for (let i = 1; i < records.length; i++)
      if (records[i]!.id < records[i - 1]!.id) {
        ordered = false;
        break;
      }
    const list = ordered ? records : [...records].sort((a, b) => a.id - b.id);
    this.len = 0;
    this.ascii("[");
    for (let i = 0; i < list.length; i++) {
      const r = list[i]!;
      this.ascii(i > 0 ? ',{"category":' : '{"category":');
      this.put(this.q(r.category));
      this.ascii(',"decision_date":');
      this.put(this.q(r.decision_date));
      this.ascii(',"department":');
      this.put(this.q(r.department));
      this.ascii(',"fields":');
      if (r.src !== null && r.text === null && sortedFlat(r.src, r.from, r.to))
        this.copy(r.src, r.from, r.to);
      else this.utf8(canonicalFields(fieldsText(r)));
      this.ascii(`,"id":${q(r.id)},"severity":`);
      this.put(this.q(r.severity));
      this.ascii(',"status":');
      this.put(this.q(r.status));
      this.ascii("}");
    }
    this.ascii("]");
    return this.buf.subarray(0, this.len);
  }

  /** The JSON of a short string as UTF-8 bytes, kept per string. */
  private q(s: string): Buffer {
    let b = this.quoted.get(s);
    if (b === undefined) {
      b = Buffer.from(q(s));
      if (this.quoted.size < 100_000) this.quoted.set(s, b);
    }
    return b;
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

  private put(src: Uint8Array) {
    this.room(src.length);
    const b = this.buf;
    let n = this.len;
    for (let i = 0; i < src.length; i++) b[n++] = src[i]!;
    this.len = n;
  }

  private copy(src: Buffer, from: number, to: number) {
    this.room(to - from);
    this.len += src.copy(this.buf, this.len, from, to);
  }
}

/**
 * Whether bytes hold a canonical flat object text: {"k":v,...} with ASCII keys in increasing order and no
 * backslash, nothing nested, values strings or numbers written as JSON.stringify writes them.
 */
function sortedFlat(b: Buffer, from: number, to: number): boolean {
  if (to - from < 2 || b[from] !== 0x7b || b[to - 1] !== 0x7d) return false;
  if (to - from === 2) return true;
  let prevFrom = -1;
  let prevTo = -1;
  let p = from + 1;
  for (;;) {
    if (b[p] !== 0x22) return false;
    const k = p + 1;
    let e = k;
    while (e < to && b[e] !== 0x22) {
      const c = b[e]!;
      if (c === 0x5c || c >= 0x80) return false;
      e++;
    }
    if (e >= to || b[e + 1] !== 0x3a) return false;
    if (prevFrom >= 0) {
      // Keys strictly increasing (ASCII: byte order is the order canonicalJson sorts by).
      let i = 0;
      const la = prevTo - prevFrom;
      const lb = e - k;
      while (i < la && i < lb && b[prevFrom + i] === b[k + i]) i++;
      if (i < la && i < lb ? b[prevFrom + i]! > b[k + i]! : la >= lb) return false;
    }
    prevFrom = k;
    prevTo = e;
    let v = e + 2;
    if (b[v] === 0x22) {
      v++;
      while (v < to && b[v] !== 0x22) {
        const c = b[v]!;
        if (c === 0x5c || c < 0x20) return false;
        v++;
      }
      if (v >= to) return false;
      v++;
    } else {
      // A number: digits, no leading zero, no '+', no exponent or trailing zeros that JSON.stringify would drop.
      const start = v;
      if (b[v] === 0x2d) v++;
      const d0 = v;
      while (v < to && b[v]! >= 0x30 && b[v]! <= 0x39) v++;
      if (v === d0 || (b[d0] === 0x30 && v - d0 > 1)) return false;
      const zero = b[d0] === 0x30;
      if (b[v] === 0x2e) {
        v++;
        const f0 = v;
        while (v < to && b[v]! >= 0x30 && b[v]! <= 0x39) v++;
        if (v === f0 || b[v - 1] === 0x30) return false;
        // JSON.stringify writes 0.000001 as 1e-7 from six zeros on.
        if (zero && v - f0 >= 6 && b[f0] === 0x30 && b[f0 + 1] === 0x30 && b[f0 + 2] === 0x30) return false;
      } else if (zero && start !== d0) return false; // -0 is written 0
      if (v - start > 15) return false;
    }
    if (b[v] === 0x7d) return v === to - 1;
    if (b[v] !== 0x2c) return false;
    p = v + 1;
  }
}

/** inputDigest(input, model, asOf) from the records' canonical bytes (CanonicalBytes.records). */
export function inputDigestOfBytes(
  input: Omit<EvalInput, "records">,
  recordsBytes: Uint8Array,
  model: { id: string; version: string; digest: string },
  asOf: string,
): string {
  const [head, tail] = digestParts(input, model, asOf);
  return crypto.createHash("sha256").update(head).update(recordsBytes).update(tail).digest("hex");
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
