/**
 * Reading a run's inputs from SQLite through the raw better-sqlite3 handle, a chunk of subjects at a time:
 * the subjects in code order, then for the same range of codes all current records as one byte string and
 * all current results as one text, each built by SQLite (group_concat over the covering indexes of migration
 * 004), so JavaScript gets a few values per chunk instead of a row per record. The records are in index
 * order — by subject code, then id — and are cut subject by subject as the evaluation reaches each one.
 */
import type SQLite from "better-sqlite3";
import type { ChunkEvaluator, ChunkOut, CurrentResult, SubjectIn } from "./chunk.ts";
import type { EvalRecord } from "./digest.ts";
import { ByteTable, type FieldProjector, Interner } from "./fields.ts";
import { storedResultKey } from "./result.ts";

/** Above every code: the upper bound of the last range. */
export const MAX_CODE = "\u{10FFFF}";

const US = "\x1f";
const RS = "\x1e";

const SUBJECT_COLUMNS = "code, type, status, registered_on, region, industry_section, industry_division";
/**
 * A record as bytes: code␟id␟department␟category␟severity␟status␟decision_date␟length␟fields, records joined
 * by ␞ (JSON text never holds these control characters: it escapes them). Bytes, not text: a BLOB reaches
 * JavaScript as a copy, a TEXT as a conversion to UTF-16. The fields text comes after its length in bytes.
 */
const RECORD =
  "concat_ws(char(31), subject_code, id, department, category, severity, status, decision_date, octet_length(fields), fields)";
const RESULT = "concat_ws(char(31), subject_code, model_id, id, ifnull(result_key, ''))";

type StoredRow = Parameters<typeof storedResultKey>[0] & { id: number };
type SubjectRow = [string, string, string, string | null, string | null, string | null, string | null];

export interface ReadChunk {
  /** The chunk's subjects, records not yet read: `decode` gives each subject's, in order. */
  subjects: SubjectIn[];
  /** Result keys of current rows stored without one, computed from their columns (id → key). */
  legacy: Map<number, string>;
  /** The records of the subjects, called once per subject in chunk order (reused objects, see ChunkEvaluator). */
  decode: (s: SubjectIn) => EvalRecord[];
  /**
   * After the chunk: whether every record was given to its subject. False only if SQLite did not return the
   * records in code order (it scans the index in that order); then the chunk is to be read again in order.
   */
  complete: () => boolean;
}

export class SqliteReader {
  private readonly subjectRange: SQLite.Statement;
  private readonly recordRange: SQLite.Statement;
  private readonly recordRangeSorted: SQLite.Statement;
  private readonly resultRange: SQLite.Statement;
  private readonly subjectList: SQLite.Statement;
  private readonly recordList: SQLite.Statement;
  private readonly resultList: SQLite.Statement;
  private readonly legacyRows: SQLite.Statement;
  private readonly decoder: RecordDecoder;

  constructor(db: SQLite.Database, projector: FieldProjector) {
    this.decoder = new RecordDecoder(projector);
    this.subjectRange = db
      .prepare(`SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE code > ? AND code <= ? ORDER BY code LIMIT ?`)
      .raw();
    const records = `FROM credit_records WHERE is_current = 1 AND subject_code > ? AND subject_code <= ?`;
    this.recordRange = db
      .prepare(`SELECT CAST(group_concat(${RECORD}, char(30)) AS BLOB) ${records}`)
      .pluck();
    this.recordRangeSorted = db
      .prepare(`SELECT CAST(group_concat(${RECORD}, char(30) ORDER BY subject_code, id) AS BLOB) ${records}`)
      .pluck();
    this.resultRange = db
      .prepare(
        `SELECT group_concat(${RESULT}, char(30)) FROM evaluations WHERE is_current = 1 AND subject_code > ? AND subject_code <= ?`,
      )
      .pluck();
    const inList = "(SELECT value FROM json_each(?))";
    this.subjectList = db
      .prepare(`SELECT ${SUBJECT_COLUMNS} FROM subjects WHERE code IN ${inList} ORDER BY code`)
      .raw();
    this.recordList = db
      .prepare(
        `SELECT CAST(group_concat(${RECORD}, char(30) ORDER BY subject_code, id) AS BLOB) FROM credit_records WHERE is_current = 1 AND subject_code IN ${inList}`,
      )
      .pluck();
    this.resultList = db
      .prepare(
        `SELECT group_concat(${RESULT}, char(30)) FROM evaluations WHERE is_current = 1 AND subject_code IN ${inList}`,
      )
      .pluck();
    this.legacyRows = db.prepare(
      `SELECT id, model_digest, score, grade, ceiling, triggers, indicators FROM evaluations WHERE id IN ${inList}`,
    );
  }

  /**
   * The next chunk of at most `size` subjects with codes in (after, upTo]; null when there are none. The
   * records come in the order of the index scanned — by subject code, then id — without asking SQLite to
   * sort them; `sorted` reads them with the order spelled out (for a chunk that was not complete).
   */
  range(after: string, upTo: string, size: number, sorted = false): (ReadChunk & { last: string }) | null {
    const rows = this.subjectRange.all(after, upTo, size) as SubjectRow[];
    if (rows.length === 0) return null;
    const last = rows[rows.length - 1]![0];
    const records = (sorted ? this.recordRangeSorted : this.recordRange).get(after, last) as Buffer | null;
    const results = this.resultRange.get(after, last) as string | null;
    return { ...this.chunk(rows, records, results), last };
  }

  /** The given subjects (registered ones; any number of codes, each once). */
  list(codes: readonly string[]): ReadChunk {
    const json = JSON.stringify(codes);
    const rows = this.subjectList.all(json) as SubjectRow[];
    if (rows.length === 0) return { subjects: [], legacy: new Map(), decode: () => [], complete: () => true };
    return this.chunk(
      rows,
      this.recordList.get(json) as Buffer | null,
      this.resultList.get(json) as string | null,
    );
  }

  private chunk(rows: SubjectRow[], records: Buffer | null, results: string | null): ReadChunk {
    const legacyIds: number[] = [];
    const current = results === null ? new Map<string, CurrentResult[]>() : decodeResults(results, legacyIds);
    const subjects: SubjectIn[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      subjects[i] = {
        subject: {
          code: r[0],
          type: r[1],
          status: r[2],
          registered_on: r[3],
          region: r[4],
          industry_section: r[5],
          industry_division: r[6],
        },
        records: null,
        extras: undefined,
        current: current.get(r[0]),
      };
    }
    const legacy = new Map<number, string>();
    if (legacyIds.length > 0)
      for (const row of this.legacyRows.all(JSON.stringify(legacyIds)) as StoredRow[])
        legacy.set(Number(row.id), storedResultKey(row));
    const cursor = records === null ? null : this.decoder.cursor(records);
    return {
      subjects,
      legacy,
      decode: (s) => (cursor === null ? [] : cursor.recordsOf(s.subject.code)),
      complete: () => cursor === null || cursor.complete(),
    };
  }
}

/** Length of the code at `p` (up to its ␟) and its order against `code` (bytes, as SQLite compares). */
function compareCode(buf: Buffer, p: number, code: Uint8Array, codeLen: number): number {
  let i = 0;
  for (;;) {
    const c = buf[p + i]!;
    const end = c === 0x1f || p + i >= buf.length;
    if (i === codeLen) return end ? 0 : 1;
    if (end) return -1;
    const d = c - code[i]!;
    if (d !== 0) return d;
    i++;
  }
}

/** The end (position of the ␞ or the end of the bytes) of a record whose id starts at p. */
function skipRecord(buf: Buffer, p: number): number {
  const n = buf.length;
  // id, department, category, severity, status, decision_date
  for (let seps = 0; p < n; p++) if (buf[p] === 0x1f && ++seps === 6) break;
  let len = 0;
  for (let c = buf[++p]!; c !== 0x1f && p < n; c = buf[++p]!) len = len * 10 + (c - 48);
  return Math.min(p + 1 + len, n);
}

/** Decodes record bytes into reused record objects. */
export class RecordDecoder {
  private readonly intern = new Interner();
  private readonly envelopes = new ByteTable<Envelope>(
    (buf, from, to) => envelopeOf(this.intern, buf, from, to),
    12,
  );
  /** Record objects reused from subject to subject: nothing keeps a subject's records after it is done. */
  private readonly pool: EvalRecord[] = [];
  private readonly records: EvalRecord[] = [];
  private code = new Uint8Array(64);
  private readonly encoder = new TextEncoder();

  constructor(private readonly projector: FieldProjector) {}

  /**
   * A cursor over a chunk's record bytes, for its subjects in code order. In code order every record is
   * either its subject's or about a code between two subjects (not registered), passed over. A record passed
   * over whose code is below the record before it (or equal to a subject already given its records), or
   * records left at the end, show the bytes were not in code order: the cursor is then not complete.
   */
  cursor(buf: Buffer) {
    let p = 0;
    let broken = false;
    const plain = plainFlatBlob(buf);
    // The code of the last record given or passed over, and whether it was given.
    let last = new Uint8Array(64);
    let lastLen = -1;
    let lastGiven = false;
    return {
      recordsOf: (code: string): EvalRecord[] => {
        if (code.length * 3 > this.code.length) this.code = new Uint8Array(code.length * 3);
        const { written } = this.encoder.encodeInto(code, this.code);
        const out = this.records;
        let count = 0;
        while (p < buf.length) {
          const cmp = compareCode(buf, p, this.code, written);
          if (cmp > 0) break;
          let q = p;
          while (q < buf.length && buf[q] !== 0x1f) q++;
          if (cmp < 0) {
            // A record about a code that is not a registered subject.
            if (lastLen >= 0) {
              const order = compareCode(buf, p, last, lastLen);
              if (order < 0 || (order === 0 && lastGiven)) broken = true;
            }
            if (q - p > last.length) last = new Uint8Array(q - p);
            last.set(buf.subarray(p, q));
            lastLen = q - p;
            lastGiven = false;
            p = skipRecord(buf, q + 1) + 1;
            continue;
          }
          if (count === 0) {
            if (written > last.length) last = new Uint8Array(written);
            last.set(this.code.subarray(0, written));
            lastLen = written;
            lastGiven = true;
          }
          p = this.decodeOne(buf, q + 1, plain, count++) + 1;
        }
        out.length = count;
        return out;
      },
      complete: () => !broken && p >= buf.length,
    };
  }

  /**
   * The record whose id starts at p into records[index] (the short columns interned, the fields the models
   * read cut out of the bytes, the fields text decoded only if a digest needs it); returns its end.
   */
  private decodeOne(buf: Buffer, p: number, plain: boolean, index: number): number {
    const n = buf.length;
    let id = 0;
    for (let c = buf[p]!; c !== 0x1f && p < n; c = buf[++p]!) id = id * 10 + (c - 48);
    // department␟category␟severity␟status: one lookup for the four (a few hundred combinations).
    let a = ++p;
    let h1 = 0;
    let h2 = -2128831035;
    for (let seps = 0; p < n; p++) {
      const c = buf[p]!;
      if (c === 0x1f && ++seps === 4) break;
      h1 = (Math.imul(h1, 31) + c) | 0;
      h2 = Math.imul(h2 ^ c, 16777619);
    }
    const env = this.envelopes.lookup(h1, h2, buf, a, p);
    a = ++p;
    h1 = 0;
    h2 = -2128831035;
    for (let c = buf[p]!; c !== 0x1f && p < n; c = buf[++p]!) {
      h1 = (Math.imul(h1, 31) + c) | 0;
      h2 = Math.imul(h2 ^ c, 16777619);
    }
    const decision_date = this.intern.lookup(h1, h2, buf, a, p);
    let len = 0;
    for (let c = buf[++p]!; c !== 0x1f && p < n; c = buf[++p]!) len = len * 10 + (c - 48);
    const from = p + 1;
    const to = Math.min(from + len, n);
    const category = env.category;
    let text: string | null = null;
    let fields = plain ? this.projector.projectBytes(category, buf, from, to, this.intern) : undefined;
    if (fields === undefined) {
      text = buf.toString("utf8", from, to);
      fields = this.projector.project(category, text);
    }
    let r = this.pool[index];
    if (r === undefined) {
      r = {
        id,
        department: "",
        category,
        severity: "",
        status: "",
        decision_date,
        fields,
        text,
        src: buf,
        from,
        to,
      };
      this.pool.push(r);
    }
    r.id = id;
    r.department = env.department;
    r.category = category;
    r.severity = env.severity;
    r.status = env.status;
    r.decision_date = decision_date;
    r.fields = fields;
    r.text = text;
    r.src = buf;
    r.from = from;
    r.to = to;
    this.records[index] = r;
    return to;
  }
}

type Envelope = Pick<EvalRecord, "department" | "category" | "severity" | "status">;

/** Department, category, severity and status of a record, from their bytes joined by ␟. */
function envelopeOf(intern: Interner, buf: Buffer, from: number, to: number): Envelope {
  const parts: string[] = [];
  let a = from;
  for (let i = from; i <= to; i++)
    if (i === to || buf[i] === 0x1f) {
      parts.push(intern.get(buf, a, i));
      a = i + 1;
    }
  return {
    department: parts[0] ?? "",
    category: parts[1] ?? "",
    severity: parts[2] ?? "",
    status: parts[3] ?? "",
  };
}

/**
 * Whether every fields text in a subject's record bytes is a plain flat object (no escape, no nested value:
 * the only braces open a fields text, right after a separator), so the fields can be cut from the bytes.
 */
function plainFlatBlob(buf: Buffer): boolean {
  if (buf.indexOf(0x5c) >= 0 || buf.indexOf(0x5b) >= 0) return false;
  for (let i = buf.indexOf(0x7b); i >= 0; i = buf.indexOf(0x7b, i + 1)) if (buf[i - 1] !== 0x1f) return false;
  return true;
}

/** Current results from `code␟model␟id␟key` joined by ␞, by code; ids of those without a key go to `legacy`. */
function decodeResults(s: string, legacy: number[]): Map<string, CurrentResult[]> {
  const out = new Map<string, CurrentResult[]>();
  for (const part of s.split(RS)) {
    const a = part.indexOf(US);
    const b = part.indexOf(US, a + 1);
    const c = part.indexOf(US, b + 1);
    const code = part.slice(0, a);
    const id = Number(part.slice(b + 1, c));
    const key = part.slice(c + 1);
    if (key === "") legacy.push(id);
    const r: CurrentResult = { model: part.slice(a + 1, b), id, key };
    const list = out.get(code);
    if (list === undefined) out.set(code, [r]);
    else list.push(r);
  }
  return out;
}

/**
 * Reads and evaluates the next chunk of codes in (after, upTo], with `prepare` run on its subjects first
 * (market ratings, other grades); null when there are none. A chunk whose records were not all given to
 * their subjects (see RecordDecoder.cursor) is read again in spelled-out order and evaluated again.
 */
export async function evaluateRange(
  reader: SqliteReader,
  evaluator: ChunkEvaluator,
  after: string,
  upTo: string,
  size: number,
  prepare?: (subjects: SubjectIn[]) => Promise<void>,
): Promise<{ out: ChunkOut; last: string } | null> {
  for (const sorted of [false, true]) {
    const c = reader.range(after, upTo, size, sorted);
    if (c === null) return null;
    if (prepare) await prepare(c.subjects);
    const out = evaluator.run(c.subjects, c.legacy, c.decode);
    if (c.complete() || sorted) return { out, last: c.last };
  }
  return null;
}
