/**
 * The inspectors' assignment of a draw (algorithm v1, docs/draw-algorithm.md "Inspectors"): rank by SHA-256 of
 * `SEED:CODE:INSPECTOR_ID` in a window of the ring, balanced loads. Pure: no I/O (node:crypto only).
 */
import crypto from "node:crypto";
import { InputError, type Problem } from "../problem.ts";
import { checkSeed } from "./draw.ts";
import { compareBytes, fail, MAX_PROBLEMS } from "./pool-file.ts";

export interface Inspector {
  id: string;
  department: string;
  qualifications: string[];
}

export interface Conflict {
  inspectorId: string;
  subjectCode: string;
}

export interface AssignOptions {
  /** Inspectors per subject (policy: min_inspectors_per_subject). */
  perSubject: number;
  /** An eligible inspector holds every one of these. */
  requiredQualifications?: string[];
  /** When given, only inspectors of this department are eligible. */
  department?: string;
}

export interface Assignment {
  code: string;
  /** In the order chosen: window rank first, then (rarely) the least-loaded fill-ins. */
  inspectorIds: string[];
}

export interface AssignResult {
  assignments: Assignment[];
  unassigned: { code: string; reason: { zh: string; en: string } }[];
  /** Subjects per eligible inspector (every one, 0 included), in ring order. */
  load: Record<string, number>;
  /** The load no inspector exceeds unless a subject could not be staffed otherwise. */
  cap: number;
}

/** Candidates ranked per subject: this many times perSubject (algorithm v1). */
export const ASSIGN_WINDOW_FACTOR = 2;

/**
 * Assigns inspectors to subjects (algorithm v1, docs/draw-algorithm.md "Inspectors"), reproducibly from the seed:
 *
 * 1. Eligible: of `department` when given, holding every required qualification. They stand on a ring in the
 *    order of SHA-256 hex of `SEED:INSPECTOR_ID` (ties by id). M = their number; k = perSubject;
 *    cap = ceil(D × k / M) for D subjects.
 * 2. For each subject, in the order given: inspectors declared in conflict with it are skipped. If fewer than k
 *    remain, the subject is unassigned. Otherwise start at ring position p = (last 12 hex digits of the ticket
 *    `SEED:CODE`, as an integer) mod M and walk the ring once, collecting the first w = 2k inspectors whose load
 *    is below cap; order them by load, then by SHA-256 hex of `SEED:CODE:INSPECTOR_ID` (then id), take the first k.
 * 3. If fewer than k were below cap on the whole ring, the rest are the other non-conflicting inspectors with
 *    the lowest load, ties by ring distance from p.
 *
 * Ranking every eligible inspector for every subject (the plain reading of the issue) costs D × M hashes: 48
 * million, about 17 s, for 160,000 subjects and 300 inspectors; the window costs D × (2k + 1).
 */
export function assignInspectors(
  drawn: readonly { code: string }[],
  inspectors: readonly Inspector[],
  conflicts: readonly Conflict[],
  seed: string,
  opts: AssignOptions,
): AssignResult {
  checkSeed(seed);
  const k = opts.perSubject;
  if (!Number.isInteger(k) || k < 1)
    throw new InputError([
      fail(
        "assign.per_subject",
        `每个对象的检查人员数 ${String(k)} 不是正整数`,
        `inspectors per subject ${String(k)} is not a positive whole number`,
        "至少 1 人，行政检查通常 2 人",
        "at least 1; inspections usually need 2",
        { field: "perSubject", value: k },
      ),
    ]);
  const problems: Problem[] = [];
  const ids = new Set<string>();
  for (const [i, x] of inspectors.entries()) {
    if (typeof x.id !== "string" || x.id === "" || /[\x00-\x1f\x7f]/.test(x.id))
      problems.push(
        fail(
          "assign.inspector_id",
          "检查人员编号为空或含有控制字符",
          "an inspector id is empty or contains a control character",
          "每名检查人员须有唯一的编号",
          "give every inspector a unique id",
          { row: i + 1, field: "id", value: x.id },
        ),
      );
    else if (ids.has(x.id))
      problems.push(
        fail(
          "assign.inspector_duplicate",
          `检查人员 ${x.id} 出现两次`,
          `inspector ${x.id} is listed twice`,
          "每名检查人员只列一次",
          "list each inspector once",
          { row: i + 1, field: "id", value: x.id },
        ),
      );
    ids.add(x.id);
  }
  const codes = new Set<string>();
  for (let i = 0; i < drawn.length; i++) {
    const d = drawn[i]!;
    if (codes.has(d.code) && problems.length < MAX_PROBLEMS)
      problems.push(
        fail(
          "assign.subject_duplicate",
          `检查对象 ${d.code} 出现两次`,
          `subject ${d.code} is listed twice`,
          "每个检查对象只列一次",
          "list each subject once",
          { row: i + 1, field: "code", value: d.code },
        ),
      );
    codes.add(d.code);
  }
  if (problems.length) throw new InputError(problems);

  const required = opts.requiredQualifications ?? [];
  // Digests are compared as binary (latin1) strings: the same order as their hex.
  const ring = inspectors
    .filter(
      (x) =>
        (opts.department === undefined || x.department === opts.department) &&
        required.every((q) => x.qualifications.includes(q)),
    )
    .map((x) => ({ id: x.id, key: crypto.hash("sha256", `${seed}:${x.id}`, "binary") }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : compareBytes(a.id, b.id)));
  const m = ring.length;
  const ringIds = ring.map((x) => x.id);
  const position = new Map(ringIds.map((id, i) => [id, i]));
  const conflictsOf = new Map<string, Set<number>>();
  for (const c of conflicts) {
    const at = position.get(c.inspectorId);
    if (at === undefined) continue;
    const set = conflictsOf.get(c.subjectCode) ?? new Set<number>();
    set.add(at);
    conflictsOf.set(c.subjectCode, set);
  }

  const load = new Int32Array(m);
  const cap = m === 0 ? 0 : Math.ceil((drawn.length * k) / m);
  // next[i] leads to the first inspector at or after i whose load is below cap (m: none); path halving.
  const next = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) next[i] = i;
  const openAt = (i: number): number => {
    let r = i;
    while (next[r] !== r) {
      next[r] = next[next[r]!]!;
      r = next[r]!;
    }
    return r;
  };
  let open = m;
  const w = ASSIGN_WINDOW_FACTOR * k;
  const wIdx = new Int32Array(w);
  const wKey = new Array<string>(w).fill("");
  const prefix = `${seed}:`;

  const assignments: Assignment[] = [];
  const unassigned: AssignResult["unassigned"] = [];
  for (const { code } of drawn) {
    const avoid = conflictsOf.get(code);
    const eligible = m - (avoid?.size ?? 0);
    if (eligible < k) {
      unassigned.push({
        code,
        reason:
          m < k
            ? {
                zh: `只有 ${m} 名具备资格的检查人员，每个对象需要 ${k} 名；请增加检查人员或调整资格要求`,
                en: `Only ${m} qualified inspectors, ${k} needed per subject: add inspectors or change the qualifications required`,
              }
            : {
                zh: `${avoid?.size ?? 0} 名检查人员须回避，只剩 ${eligible} 名，每个对象需要 ${k} 名；请由其他部门或上级协调检查人员`,
                en: `${avoid?.size ?? 0} inspectors must recuse themselves, leaving ${eligible}; ${k} needed per subject: ask another department or the level above for inspectors`,
              },
      });
      continue;
    }
    // Start: the ticket's last 6 bytes (12 hex digits) as an integer, mod m.
    const t = crypto.hash("sha256", prefix + code, "binary");
    const tail =
      (t.charCodeAt(26) * 256 + t.charCodeAt(27)) * 4294967296 +
      ((t.charCodeAt(28) << 24) >>> 0) +
      ((t.charCodeAt(29) << 16) | (t.charCodeAt(30) << 8) | t.charCodeAt(31));
    const p = tail % m;
    const pairPrefix = `${prefix}${code}:`;
    let wn = 0;
    let q = openAt(p);
    if (q === m) q = openAt(0);
    for (let seen = 0; seen < open && wn < w; seen++) {
      if (!avoid?.has(q)) {
        // Insertion into the window, kept in order: load, then SHA-256 of SEED:CODE:INSPECTOR_ID, then id.
        const key = crypto.hash("sha256", pairPrefix + ringIds[q]!, "binary");
        let j = wn++;
        const lq = load[q]!;
        while (
          j > 0 &&
          (load[wIdx[j - 1]!]! > lq ||
            (load[wIdx[j - 1]!] === lq &&
              (wKey[j - 1]! > key ||
                (wKey[j - 1] === key && compareBytes(ringIds[wIdx[j - 1]!]!, ringIds[q]!) > 0))))
        ) {
          wKey[j] = wKey[j - 1]!;
          wIdx[j] = wIdx[j - 1]!;
          j--;
        }
        wKey[j] = key;
        wIdx[j] = q;
      }
      q = openAt(q + 1);
      if (q === m) q = openAt(0);
    }
    const chosen: number[] = [];
    for (let j = 0; j < wn && j < k; j++) chosen.push(wIdx[j]!);
    if (chosen.length < k) {
      // Fewer than k below cap: the least-loaded of the others, ties by ring distance from p.
      const taken = new Set(chosen);
      const rest: number[] = [];
      for (let i = 0; i < m; i++) if (!taken.has(i) && !avoid?.has(i)) rest.push(i);
      rest.sort((a, b) => load[a]! - load[b]! || ((a - p + m) % m) - ((b - p + m) % m));
      chosen.push(...rest.slice(0, k - chosen.length));
    }
    for (const i of chosen) {
      load[i]!++;
      if (load[i] === cap) {
        next[i] = i + 1;
        open--;
      }
    }
    assignments.push({ code, inspectorIds: chosen.map((i) => ringIds[i]!) });
  }
  const loads: Record<string, number> = {};
  ringIds.forEach((id, i) => {
    loads[id] = load[i]!;
  });
  return { assignments, unassigned, load: loads, cap };
}
