/**
 * The record fields the models read, taken from the stored `fields` text without parsing all of it.
 *
 * A model looks at a few fields of a few categories (an inspection's result, a licence's expiry date, a
 * commitment kept or not). Parsing every record's JSON cost more than evaluating it, so a record's fields are
 * given to the engine as an object holding only the keys some model reads for its category, cut out of the
 * text. The text is what ingest stored: JSON.stringify of a flat object of texts and numbers. In such a text
 * without any backslash, a key pattern `"key":` can only be a key (a quote inside a value is always escaped),
 * so the value is the text up to the next quote, or a number up to the next comma or brace. Anything else —
 * an escape, a nested value — goes through JSON.parse. Either way the object has exactly the values
 * JSON.parse would give for the keys read.
 */
import type { CompiledModel } from "../../core/scoring/index.ts";
import type { Match } from "../../core/scoring/schema.ts";

type FieldValue = string | number;
type Fields = Record<string, FieldValue>;

/** Category → field keys read by any of the models (match.fields, match.expires_field, points_by field:). */
export function fieldsRead(models: readonly CompiledModel[]): Map<string, string[]> {
  const read = new Map<string, Set<string>>();
  const add = (m: Match, extra?: string) => {
    const keys = [...Object.keys(m.fields ?? {})];
    if (m.expires_field !== undefined) keys.push(m.expires_field);
    if (extra !== undefined) keys.push(extra);
    for (const c of m.categories) {
      const s = read.get(c) ?? new Set<string>();
      read.set(c, s);
      for (const k of keys) s.add(k);
    }
  };
  for (const model of models) {
    const def = model.def;
    for (const dim of def.dimensions)
      for (const ind of dim.indicators)
        if (ind.basis === "records")
          add(
            ind.match,
            ind.points_by.startsWith("field:") ? ind.points_by.slice("field:".length) : undefined,
          );
    for (const t of def.triggers) add(t.match);
    for (const c of def.ceilings) if ("records" in c.when) add(c.when.records.match);
  }
  return new Map([...read].filter(([, s]) => s.size > 0).map(([c, s]) => [c, [...s].sort()]));
}

const EMPTY: Fields = Object.freeze({}) as Fields;
/** Distinct values kept per single-key category: the objects are shared between records. */
const CACHE_LIMIT = 4096;

interface Plan {
  keys: string[];
  patterns: string[];
  patternBytes: Buffer[];
  /** Single-key categories: value → shared object. */
  cache: Map<unknown, Fields> | null;
}

/** Whether the text can be cut by pattern: no escapes, nothing nested. */
export function isPlainFlat(text: string): boolean {
  return (
    text.charCodeAt(0) === 123 /* { */ &&
    text.indexOf("\\") < 0 &&
    text.indexOf("{", 1) < 0 &&
    text.indexOf("[") < 0
  );
}

/** The JSON value token starting at `at` in a plain flat text, or undefined when malformed. */
function valueAt(text: string, at: number): FieldValue | null | boolean | undefined {
  if (text.charCodeAt(at) === 34 /* " */) {
    const end = text.indexOf('"', at + 1);
    return end < 0 ? undefined : text.slice(at + 1, end);
  }
  let end = at;
  const n = text.length;
  while (end < n) {
    const c = text.charCodeAt(end);
    if (c === 44 /* , */ || c === 125 /* } */) break;
    end++;
  }
  return literal(text.slice(at, end));
}

const literals = new Map<string, FieldValue | null | boolean | undefined>();
/** A number, true, false or null token; undefined when it is none. */
function literal(token: string): FieldValue | null | boolean | undefined {
  let v = literals.get(token);
  if (v === undefined && !literals.has(token)) {
    try {
      v = JSON.parse(token) as FieldValue | null | boolean;
      if (typeof v === "object" && v !== null) v = undefined;
    } catch {
      v = undefined;
    }
    if (literals.size < CACHE_LIMIT) literals.set(token, v);
  }
  return v;
}

/**
 * Values made from bytes, kept by content: an open addressing table keyed by two 32-bit hashes of the bytes
 * (h1 = h1 · 31 + byte, h2 = (h2 ^ byte) · 16777619, as `get` computes them) and their length. A hit is not
 * compared byte by byte — that cost a quarter of the decoding — so two different byte strings are confused
 * only if both hashes and the length agree (about 1 in 2^64 per pair). A miss makes the value once. At most
 * half full: past that, values are made every time.
 */
export class ByteTable<T> {
  private readonly mask: number;
  private readonly h1s: Int32Array;
  private readonly h2s: Int32Array;
  private readonly lens: Int32Array;
  private readonly values: (T | undefined)[];
  private size = 0;

  constructor(
    private readonly make: (buf: Buffer, from: number, to: number) => T,
    bits = 18,
  ) {
    this.mask = (1 << bits) - 1;
    this.h1s = new Int32Array(1 << bits);
    this.h2s = new Int32Array(1 << bits);
    this.lens = new Int32Array(1 << bits).fill(-1);
    this.values = new Array(1 << bits);
  }

  get(buf: Buffer, from: number, to: number): T {
    let h1 = 0;
    let h2 = -2128831035;
    for (let i = from; i < to; i++) {
      const c = buf[i]!;
      h1 = (Math.imul(h1, 31) + c) | 0;
      h2 = Math.imul(h2 ^ c, 16777619);
    }
    return this.lookup(h1, h2, buf, from, to);
  }

  /** The value of buf[from, to), whose hashes are h1 and h2. */
  lookup(h1: number, h2: number, buf: Buffer, from: number, to: number): T {
    const mask = this.mask;
    const len = to - from;
    for (let i = (h1 ^ (h2 >>> 13)) & mask, probes = 0; probes < 8; i = (i + 1) & mask, probes++) {
      const l = this.lens[i]!;
      if (l === -1) {
        const v = this.make(buf, from, to);
        if (this.size < mask >>> 1) {
          this.lens[i] = len;
          this.h1s[i] = h1;
          this.h2s[i] = h2;
          this.values[i] = v;
          this.size++;
        }
        return v;
      }
      if (l === len && this.h1s[i] === h1 && this.h2s[i] === h2) return this.values[i]!;
    }
    return this.make(buf, from, to);
  }
}

/**
 * Strings made from bytes, kept by content: the same department, category, date or field value read again
 * is the same string (no new string, and its hash is already known to the Maps of the engine).
 */
export class Interner extends ByteTable<string> {
  constructor(bits = 18) {
    super((buf, from, to) => buf.toString("utf8", from, to), bits);
  }
}

export class FieldProjector {
  private readonly plans = new Map<string, Plan>();

  constructor(read: Map<string, string[]>) {
    for (const [category, keys] of read) {
      const patterns = keys.map((k) => `${JSON.stringify(k)}:`);
      this.plans.set(category, {
        keys,
        patterns,
        patternBytes: patterns.map((p) => Buffer.from(p)),
        cache: keys.length === 1 ? new Map() : null,
      });
    }
  }

  /** The fields the models read of a record of this category, from its stored `fields` text. */
  project(category: string, text: string): Fields {
    const plan = this.plans.get(category);
    if (plan === undefined) return EMPTY;
    if (!isPlainFlat(text)) return pick(plan.keys, JSON.parse(text) as Record<string, unknown>);
    const { keys, patterns } = plan;
    if (keys.length === 1) {
      const at = text.indexOf(patterns[0]!);
      if (at < 0) return EMPTY;
      const v = valueAt(text, at + patterns[0]!.length);
      if (v === undefined) return pick(keys, JSON.parse(text) as Record<string, unknown>);
      return single(plan, v);
    }
    const o: Fields = {};
    for (let i = 0; i < keys.length; i++) {
      const at = text.indexOf(patterns[i]!);
      if (at < 0) continue;
      const v = valueAt(text, at + patterns[i]!.length);
      if (v === undefined) return pick(keys, JSON.parse(text) as Record<string, unknown>);
      o[keys[i]!] = v as FieldValue;
    }
    return o;
  }

  /**
   * The same from the UTF-8 bytes of a plain flat text (`buf` from `from` to `to`: no backslash, nothing
   * nested — the caller checks), values interned; undefined when a value is not a string or a literal.
   */
  projectBytes(
    category: string,
    buf: Buffer,
    from: number,
    to: number,
    intern: Interner,
  ): Fields | undefined {
    const plan = this.plans.get(category);
    if (plan === undefined) return EMPTY;
    const { keys, patternBytes } = plan;
    let o: Fields | undefined;
    for (let i = 0; i < keys.length; i++) {
      const pat = patternBytes[i]!;
      const at = lastIndexOf(buf, pat, from, to);
      if (at < 0) continue;
      const v = valueOfBytes(buf, at + pat.length, to, intern);
      if (v === undefined) return undefined;
      if (keys.length === 1) return single(plan, v);
      o ??= {};
      o[keys[i]!] = v as FieldValue;
    }
    return o ?? (keys.length === 1 ? EMPTY : {});
  }
}

/**
 * The last position of `pat` in buf[from, to), or -1. Searched from the end: ingest writes `content` first
 * and the coded fields the models read after it, so they are found after a few bytes.
 */
function lastIndexOf(buf: Buffer, pat: Uint8Array, from: number, to: number): number {
  const m = pat.length;
  const first = pat[0]!;
  for (let i = to - m; i >= from; i--) {
    if (buf[i] !== first) continue;
    let k = 1;
    while (k < m && buf[i + k] === pat[k]) k++;
    if (k === m) return i;
  }
  return -1;
}

/** The value starting at `at` (before `to`): a string without escapes or a literal; undefined otherwise. */
function valueOfBytes(
  buf: Buffer,
  at: number,
  to: number,
  intern: Interner,
): FieldValue | null | boolean | undefined {
  const c0 = buf[at];
  if (c0 === 34) {
    let e = at + 1;
    for (; e < to; e++) {
      const c = buf[e];
      if (c === 34) break;
      if (c === 92 /* \ */) return undefined;
    }
    if (e >= to) return undefined;
    return intern.get(buf, at + 1, e);
  }
  if (c0 === 123 || c0 === 91) return undefined;
  let e = at;
  for (; e < to; e++) {
    const c = buf[e];
    if (c === 44 || c === 125) break;
  }
  return literal(intern.get(buf, at, e));
}

function single(plan: Plan, v: FieldValue | null | boolean): Fields {
  const cache = plan.cache!;
  let o = cache.get(v);
  if (o === undefined) {
    o = { [plan.keys[0]!]: v } as Fields;
    if (cache.size < CACHE_LIMIT) cache.set(v, o);
  }
  return o;
}

function pick(keys: readonly string[], all: Record<string, unknown>): Fields {
  const o: Fields = {};
  for (const k of keys) if (Object.hasOwn(all, k) && all[k] !== undefined) o[k] = all[k] as FieldValue;
  return o;
}
