/**
 * The evaluation engine. A model definition is checked against the catalog and compiled once into closures;
 * for each as-of date the closures are specialised once more (points, caps, publicity windows, age and
 * years-in-operation cut-off dates resolved to constants and ISO strings), so evaluating a subject is a
 * loop over its records doing string comparisons, one Map lookup for the category and array additions —
 * no parsing, no Date objects, no interpretation of the policy text, and no allocation per record.
 *
 * Nothing is evaluated from text (no eval, no `new Function`): the policy file only selects among the
 * closures written here and fills in their constants.
 */
import crypto from "node:crypto";
import type { Catalog, Category } from "../catalog/types.ts";
import { GRADES, type Grade, type GradeOrNR } from "../grades.ts";
import { canonicalJson } from "../records/digest.ts";
import { checkModel } from "./check.ts";
import { valueAt } from "./dated.ts";
import { firstDayWithin, isRealDate, lastDayAged, nextDay } from "./dates.ts";
import { type CompiledModel, ModelError, SEVERITIES, severityIndex } from "./model.ts";
import type { CeilingDef, DimensionDef, IndicatorDef, Match, TriggerDef } from "./schema.ts";
import type {
  Cutoffs,
  EvalInput,
  EvalResult,
  ModelDef,
  RecordFact,
  SubjectFacts,
  TraceItem,
  TraceRecord,
} from "./types.ts";

export { checkModel } from "./check.ts";
export {
  type CompiledModel,
  type IndicatorInfo,
  ModelError,
  SEVERITIES,
  SUBJECT_STATUSES,
} from "./model.ts";

// ——— Compiling ———————————————————————————————————————————————————————————————————————————

/** Per-evaluation state, reused from subject to subject (JavaScript runs one evaluation at a time). */
interface State {
  /** Magnitude of each indicator's points before its cap. */
  acc: Float64Array;
  /** Triggers then ceilings that hold. */
  flags: Uint8Array;
  /** Records and inputs the model scored (NR when none and the subject is young). */
  scored: number;
  /** Trace mode: records behind each indicator, and behind each trigger and ceiling. */
  recs: TraceRecord[][] | null;
  flagRecs: number[][] | null;
}

type RecordRule = (r: RecordFact, sev: number, st: State) => boolean;
type InputRule = (input: EvalInput, st: State) => void;

interface Evaluator {
  run(input: EvalInput, trace: boolean): EvalResult;
  cutoffs: Cutoffs;
}

interface IndicatorSlot {
  def: IndicatorDef;
  dim: number;
  sign: 1 | -1;
}

/** Builds the record filter of a match (besides the category): null when there is nothing to check. */
function makeFilter(m: Match, asOf: string): ((r: RecordFact, sev: number) => boolean) | null {
  const depts = m.departments ? new Set(m.departments) : null;
  let sevMask = 7;
  if (m.severities) {
    sevMask = 0;
    for (const s of m.severities) sevMask |= 1 << severityIndex(s);
  }
  const fieldChecks = Object.entries(m.fields ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, vs]) => [k, new Set(vs)] as const);
  const expires = m.expires_field ?? null;
  if (!depts && sevMask === 7 && fieldChecks.length === 0 && !expires) return null;
  const nChecks = fieldChecks.length;
  return (r, sev) => {
    if (depts !== null && !depts.has(r.department)) return false;
    if (((sevMask >> sev) & 1) === 0) return false;
    for (let i = 0; i < nChecks; i++) {
      const [k, vs] = fieldChecks[i]!;
      const v = r.fields[k];
      if (v === undefined || !vs.has(String(v))) return false;
    }
    if (expires !== null) {
      const until = r.fields[expires];
      if (typeof until === "string" && until < asOf) return false;
    }
    return true;
  };
}

/** Points of one records-indicator on one as-of date, as a closure per record. */
function recordIndicatorRule(
  ind: IndicatorDef & { basis: "records" },
  slot: number,
  asOf: string,
): RecordRule {
  const filter = makeFilter(ind.match, asOf);
  const pointMap = valueAt(ind.points, asOf, `${ind.id}.points`);
  const steps = ind.decay ? valueAt(ind.decay, asOf, `${ind.id}.decay`) : [];
  // Age steps: a record decided on or before cuts[b] is at least steps[b].after old.
  const cuts = steps.map((s) => lastDayAged(asOf, s.after));
  const factors = [1, ...steps.map((s) => s.factor)];
  const nb = factors.length;
  const nCuts = cuts.length;
  // Keys: severities, or the values of one field. Table: key × age bucket → rounded points.
  const keys = ind.points_by === "severity" ? [...SEVERITIES] : Object.keys(pointMap).sort();
  const table = new Float64Array(keys.length * nb);
  const has = new Uint8Array(keys.length);
  keys.forEach((k, ki) => {
    const p = pointMap[k];
    if (p === undefined) return;
    has[ki] = 1;
    for (let b = 0; b < nb; b++) table[ki * nb + b] = Math.round(p * factors[b]!);
  });
  const sign = ind.type === "bonus" ? 1 : -1;
  const finish = (r: RecordFact, ki: number, st: State): boolean => {
    const d = r.decision_date;
    let b = 0;
    while (b < nCuts && d <= cuts[b]!) b++;
    const p = table[ki * nb + b]!;
    st.acc[slot] = st.acc[slot]! + p;
    if (st.recs !== null) st.recs[slot]!.push({ id: r.id, points: p === 0 ? 0 : sign * p });
    return true;
  };
  if (ind.points_by === "severity")
    return (r, sev, st) => {
      if (has[sev] === 0 || (filter !== null && !filter(r, sev))) return false;
      return finish(r, sev, st);
    };
  const field = ind.points_by.slice("field:".length);
  const index = new Map(keys.map((k, i) => [k, i]));
  return (r, sev, st) => {
    const v = r.fields[field];
    if (v === undefined) return false;
    const ki = index.get(typeof v === "string" ? v : String(v));
    if (ki === undefined || (filter !== null && !filter(r, sev))) return false;
    return finish(r, ki, st);
  };
}

/** A trigger or ceiling that holds when a record matches (recently enough). */
function flagRule(m: Match, within: string | undefined, flag: number, asOf: string): RecordRule {
  const filter = makeFilter(m, asOf);
  const from = within ? firstDayWithin(asOf, within) : "";
  return (r, sev, st) => {
    if (r.decision_date < from || (filter !== null && !filter(r, sev))) return false;
    st.flags[flag] = 1;
    if (st.flagRecs !== null) st.flagRecs[flag]!.push(r.id);
    return true;
  };
}

/** Publicity windows: per category × severity, the decision dates that still count on `asOf`. */
function publicityWindows(catalog: Catalog, cats: readonly Category[], asOf: string) {
  const lo: string[] = [];
  const multi: ([string, string][] | null)[] = [];
  const NEVER = "~";
  for (const c of cats)
    for (const sev of SEVERITIES) {
      let intervals: [string, string][] = [];
      if (c.publicity === "none") intervals = [["", asOf]];
      else if (c.publicity === "regime") {
        const regimes = [...catalog.regimes].sort((a, b) => (a.effective_from < b.effective_from ? -1 : 1));
        for (const r of regimes) {
          const start = firstDayWithin(asOf, r.periods[sev].max);
          // ISO dates compare as strings: the later of the two starts, the earlier of the two ends.
          let a = r.effective_from;
          if (start > a) a = start;
          let b = asOf;
          if (r.effective_to !== undefined && r.effective_to < b) b = r.effective_to;
          if (a <= b) {
            const last = intervals[intervals.length - 1];
            if (last && nextDay(last[1]) === a) last[1] = b;
            else intervals.push([a, b]);
          }
        }
      } else intervals = [[firstDayWithin(asOf, c.publicity.max), asOf]];
      if (intervals.length === 0) {
        lo.push(NEVER);
        multi.push(null);
      } else if (intervals.length === 1 && intervals[0]![1] === asOf) {
        lo.push(intervals[0]![0]);
        multi.push(null);
      } else {
        lo.push(intervals[0]![0]);
        multi.push(intervals);
      }
    }
  return { lo, multi };
}

function gradeOf(score: number, c: Cutoffs): Grade {
  return score >= c.A ? "A" : score >= c.B ? "B" : score >= c.C ? "C" : score >= c.D ? "D" : "E";
}

/** The highest score a grade allows: one below the cut-off of the grade above it. */
function topOf(grade: Grade, c: Cutoffs, max: number): number {
  switch (grade) {
    case "A":
      return max;
    case "B":
      return c.A - 1;
    case "C":
      return c.B - 1;
    case "D":
      return c.C - 1;
    case "E":
      return c.D - 1;
  }
}

function worse(a: Grade, b: Grade): Grade {
  return GRADES.indexOf(a) >= GRADES.indexOf(b) ? a : b;
}

/**
 * A constructor of plain objects (prototype Object.prototype) with one fixed set of keys. V8 sizes objects of
 * one constructor to the properties they get (slack tracking), so filling the same keys in the same order is
 * a few field stores — about four times faster than growing `{}` key by key, which dominated the
 * per-subject cost. `Object.keys({ [k]: 0 })` hands back each key interned.
 */
function recordMaker(keys: readonly string[]): { keys: string[]; make: () => Record<string, number> } {
  function shape() {}
  shape.prototype = Object.prototype;
  const C = shape as unknown as new () => Record<string, number>;
  return { keys: keys.map((k) => Object.keys({ [k]: 0 })[0]!), make: () => new C() };
}

function buildEvaluator(
  def: ModelDef,
  catalog: Catalog,
  cats: readonly Category[],
  catIndex: ReadonlyMap<string, number>,
  slots: readonly IndicatorSlot[],
  asOf: string,
  indicatorShape: ReturnType<typeof recordMaker>,
  dimensionShape: ReturnType<typeof recordMaker>,
): Evaluator {
  const nInd = slots.length;
  const nDim = def.dimensions.length;
  const triggers = def.triggers.filter((t) => t.from <= asOf && (t.to === undefined || asOf <= t.to));
  const ceilings = def.ceilings.filter((c) => c.from <= asOf && (c.to === undefined || asOf <= c.to));
  const nTrig = triggers.length;
  const nFlags = nTrig + ceilings.length;

  // Record rules, by category.
  const byCat: (RecordRule[] | undefined)[] = cats.map(() => undefined);
  const addRule = (codes: readonly string[], rule: RecordRule) => {
    for (const code of codes) {
      const ci = catIndex.get(code)!;
      const list = byCat[ci] ?? [];
      list.push(rule);
      byCat[ci] = list;
    }
  };
  const inputRules: InputRule[] = [];
  const caps = new Float64Array(nInd).fill(Number.POSITIVE_INFINITY);
  slots.forEach((s, slot) => {
    const ind = s.def;
    switch (ind.basis) {
      case "records":
        caps[slot] = valueAt(ind.cap, asOf, `${ind.id}.cap`);
        addRule(ind.match.categories, recordIndicatorRule(ind, slot, asOf));
        break;
      case "years_in_operation": {
        const bands = [...valueAt(ind.points, asOf, `${ind.id}.points`)].sort((a, b) => b.years - a.years);
        const cut = bands.map((b) => (b.years === 0 ? "~" : lastDayAged(asOf, `P${b.years}Y`)));
        const pts = bands.map((b) => b.points);
        inputRules.push((input, st) => {
          const reg = input.subject.registered_on;
          if (reg === null || reg === undefined || reg > asOf) return;
          for (let i = 0; i < cut.length; i++)
            if (reg <= cut[i]!) {
              st.acc[slot] = pts[i]!;
              return;
            }
        });
        break;
      }
      case "status": {
        const pts = valueAt(ind.points, asOf, `${ind.id}.points`);
        const map = new Map(Object.entries(pts));
        inputRules.push((input, st) => {
          st.acc[slot] = map.get(input.subject.status) ?? 0;
        });
        break;
      }
      case "other_grades": {
        const sources = new Set(ind.sources);
        const pts = valueAt(ind.points, asOf, `${ind.id}.points`);
        const byGrade = new Map(Object.entries(pts));
        inputRules.push((input, st) => {
          const others = input.otherGrades;
          if (!others) return;
          let best = -1;
          for (const g of others)
            if (sources.has(g.source)) {
              const p = byGrade.get(g.grade) ?? 0;
              if (p > best) best = p;
            }
          if (best >= 0) {
            st.acc[slot] = best;
            st.scored++;
          }
        });
        break;
      }
      case "public_score": {
        const weight = valueAt(ind.weight, asOf, `${ind.id}.weight`);
        const missing = valueAt(ind.missing, asOf, `${ind.id}.missing`);
        const max = def.max_score;
        inputRules.push((input, st) => {
          const ps = input.publicScore;
          if (typeof ps !== "number" || !Number.isFinite(ps)) st.acc[slot] = missing;
          else {
            st.acc[slot] = Math.round(Math.min(Math.max(ps, 0), max) * weight);
            st.scored++;
          }
        });
        break;
      }
      case "market_rating": {
        const weight = valueAt(ind.weight, asOf, `${ind.id}.weight`);
        const missing = valueAt(ind.missing, asOf, `${ind.id}.missing`);
        const agencies = ind.agencies ? new Set(ind.agencies) : null;
        inputRules.push((input, st) => {
          const mr = input.marketRating;
          if (!mr || !Number.isFinite(mr.score) || (agencies !== null && !agencies.has(mr.agency)))
            st.acc[slot] = missing;
          else {
            st.acc[slot] = Math.round(Math.min(Math.max(mr.score, 0), 1000) * weight);
            st.scored++;
          }
        });
        break;
      }
    }
  });
  triggers.forEach((t: TriggerDef, i) => {
    addRule(t.match.categories, flagRule(t.match, t.within, i, asOf));
  });
  ceilings.forEach((c: CeilingDef, i) => {
    const flag = nTrig + i;
    const w = c.when;
    if ("records" in w)
      addRule(w.records.match.categories, flagRule(w.records.match, w.records.within, flag, asOf));
    else if ("statuses" in w) {
      const set = new Set(w.statuses);
      inputRules.push((input, st) => {
        if (set.has(input.subject.status)) st.flags[flag] = 1;
      });
    } else {
      const sources = new Set(w.other_grades.sources);
      const grades = new Set<string>(w.other_grades.grades);
      inputRules.push((input, st) => {
        for (const g of input.otherGrades ?? [])
          if (sources.has(g.source) && grades.has(g.grade)) st.flags[flag] = 1;
      });
    }
  });

  const { lo: pubLo, multi: pubMulti } = publicityWindows(catalog, cats, asOf);
  const anyMulti = pubMulti.some((m) => m !== null);

  const dimOf = new Int32Array(slots.map((s) => s.dim));
  const sign = new Int8Array(slots.map((s) => s.sign));
  const dimBase = new Float64Array(def.dimensions.map((d) => valueAt(d.base, asOf, `${d.id}.base`)));
  const dimMax = new Float64Array(def.dimensions.map((d) => valueAt(d.max, asOf, `${d.id}.max`)));
  const dimDedCap = new Float64Array(
    def.dimensions.map((d) =>
      d.deduction_cap ? valueAt(d.deduction_cap, asOf, `${d.id}.deduction_cap`) : Number.POSITIVE_INFINITY,
    ),
  );
  const cutoffs = valueAt(def.grade_bands, asOf, "bands");
  const maxScore = def.max_score;
  const youngAfter = lastDayAged(asOf, valueAt(def.not_rated.min_age, asOf, "not_rated.min_age"));
  const indIds = indicatorShape.keys;
  const dimIds = dimensionShape.keys;
  const newIndicators = indicatorShape.make;
  const newDimensions = dimensionShape.make;
  const trigIds = triggers.map((t) => t.id);
  const trigGrades = triggers.map((t) => t.grade);
  const ceilIds = ceilings.map((c) => c.id);
  const ceilGrades = ceilings.map((c) => c.max_grade);
  const nInputRules = inputRules.length;

  const st: State = {
    acc: new Float64Array(nInd),
    flags: new Uint8Array(nFlags),
    scored: 0,
    recs: null,
    flagRecs: null,
  };
  const vals = new Float64Array(nInd);
  const bonus = new Float64Array(nDim);
  const ded = new Float64Array(nDim);

  const run = (input: EvalInput, trace: boolean): EvalResult => {
    st.acc.fill(0);
    st.flags.fill(0);
    st.scored = 0;
    st.recs = trace ? slots.map(() => []) : null;
    st.flagRecs = trace ? Array.from({ length: nFlags }, () => []) : null;

    const records = input.records;
    for (let i = 0, n = records.length; i < n; i++) {
      const r = records[i]!;
      if (r.status === "revoked") continue;
      const d = r.decision_date;
      if (d > asOf) continue;
      const ci = catIndex.get(r.category);
      if (ci === undefined) continue;
      const rules = byCat[ci];
      if (rules === undefined) continue;
      const sev = severityIndex(r.severity);
      if (sev < 0) continue;
      const k = ci * 3 + sev;
      if (d < pubLo[k]!) continue;
      if (anyMulti) {
        const m = pubMulti[k];
        if (m) {
          let inside = false;
          for (const [a, b] of m) if (d >= a && d <= b) inside = true;
          if (!inside) continue;
        }
      }
      let matched = false;
      for (let j = 0, nr = rules.length; j < nr; j++) if (rules[j]!(r, sev, st)) matched = true;
      if (matched) st.scored++;
    }
    for (let j = 0; j < nInputRules; j++) inputRules[j]!(input, st);

    // Indicators (capped, signed) → dimensions (base, deduction cap, clamp) → score.
    bonus.fill(0);
    ded.fill(0);
    for (let i = 0; i < nInd; i++) {
      let m = st.acc[i]!;
      if (m > caps[i]!) m = caps[i]!;
      const s = sign[i]!;
      vals[i] = m === 0 ? 0 : s * m;
      if (s > 0) bonus[dimOf[i]!]! += m;
      else ded[dimOf[i]!]! += m;
    }
    let total = 0;
    const dimensions = newDimensions();
    for (let j = 0; j < nDim; j++) {
      let dd = ded[j]!;
      if (dd > dimDedCap[j]!) dd = dimDedCap[j]!;
      let v = dimBase[j]! + bonus[j]! - dd;
      if (v < 0) v = 0;
      else if (v > dimMax[j]!) v = dimMax[j]!;
      v = Math.round(v);
      dimensions[dimIds[j]!] = v;
      total += v;
    }
    let score = Math.min(Math.max(total, 0), maxScore);
    let grade: GradeOrNR = gradeOf(score, cutoffs);

    const fired: string[] = [];
    let g: Grade = grade;
    for (let t = 0; t < nTrig; t++)
      if (st.flags[t] === 1) {
        fired.push(trigIds[t]!);
        g = worse(g, trigGrades[t]!);
      }
    let ceiling: string | undefined;
    let ceilGrade: Grade | undefined;
    for (let c = 0; c < ceilIds.length; c++)
      if (
        st.flags[nTrig + c] === 1 &&
        (ceilGrade === undefined || worse(ceilGrade, ceilGrades[c]!) !== ceilGrade)
      ) {
        ceiling = ceilIds[c];
        ceilGrade = ceilGrades[c];
      }
    if (ceilGrade !== undefined) g = worse(g, ceilGrade);
    if (g !== grade) {
      const top = topOf(g, cutoffs, maxScore);
      if (score > top) score = Math.max(top, 0);
      grade = g;
    }
    const reg = input.subject.registered_on;
    if (fired.length === 0 && st.scored === 0 && (reg === null || reg === undefined || reg > youngAfter))
      grade = "NR";

    const indicators = newIndicators();
    for (let i = 0; i < nInd; i++) indicators[indIds[i]!] = vals[i]!;
    const result: EvalResult = {
      modelId: def.id,
      version: def.version,
      asOf,
      score,
      grade,
      dimensions,
      indicators,
      triggers: fired,
    };
    if (ceiling !== undefined) result.ceiling = ceiling;
    if (trace) result.trace = traceOf();
    return result;
  };

  const byId = (a: TraceRecord, b: TraceRecord) => a.id - b.id;
  const traceOf = (): TraceItem[] => {
    const items: TraceItem[] = slots.map((s, i) => ({
      kind: "indicator",
      id: s.def.id,
      dimension: dimIds[s.dim]!,
      points: vals[i]!,
      uncapped: st.acc[i] === 0 ? 0 : s.sign * st.acc[i]!,
      records: st.recs![i]!.sort(byId),
    }));
    for (let t = 0; t < nFlags; t++)
      if (st.flags[t] === 1)
        items.push({
          kind: t < nTrig ? "trigger" : "ceiling",
          id: t < nTrig ? trigIds[t]! : ceilIds[t - nTrig]!,
          records: st.flagRecs![t]!.sort((a, b) => a - b),
        });
    return items;
  };

  return { run, cutoffs };
}

function inScopeFn(def: ModelDef): (s: SubjectFacts) => boolean {
  const types = def.scope.types ? new Set(def.scope.types) : null;
  const statuses = def.scope.statuses ? new Set(def.scope.statuses) : null;
  const sections = def.scope.sections ? new Set(def.scope.sections) : null;
  const divisions = def.scope.divisions ? new Set(def.scope.divisions) : null;
  const industry = sections !== null || divisions !== null;
  return (s) => {
    if (types !== null && !types.has(s.type)) return false;
    if (statuses !== null && !statuses.has(s.status)) return false;
    if (!industry) return true;
    return (
      (sections !== null && s.industry_section !== null && sections.has(s.industry_section)) ||
      (divisions !== null && s.industry_division !== null && divisions.has(s.industry_division))
    );
  };
}

/** How many as-of dates keep their specialised evaluators (a run uses one; explanations a few). */
const EVALUATOR_CACHE = 16;

/** Checks a model definition against the catalog and compiles it; throws ModelError listing every problem. */
export function compileModel(def: ModelDef, catalog: Catalog): CompiledModel {
  const problems = checkModel(def, catalog);
  if (problems.length > 0) throw new ModelError(def.file, problems);

  const cats = catalog.categories;
  const catIndex = new Map(cats.map((c, i) => [c.code, i]));
  const slots: IndicatorSlot[] = [];
  def.dimensions.forEach((dim: DimensionDef, di) => {
    for (const ind of dim.indicators) slots.push({ def: ind, dim: di, sign: ind.type === "bonus" ? 1 : -1 });
  });
  const { file: _file, ...content } = def;
  const digest = crypto.createHash("sha256").update(canonicalJson(content)).digest("hex");
  const evaluators = new Map<string, Evaluator>();
  const indicatorShape = recordMaker(slots.map((s) => s.def.id));
  const dimensionShape = recordMaker(def.dimensions.map((d) => d.id));
  const inForce = (asOf: string) =>
    def.effective_from <= asOf && (def.effective_to === undefined || asOf <= def.effective_to);
  const evaluatorFor = (asOf: string): Evaluator => {
    let e = evaluators.get(asOf);
    if (e === undefined) {
      if (!isRealDate(asOf)) throw new RangeError(`as-of date ${asOf} is not a date YYYY-MM-DD`);
      if (!inForce(asOf))
        throw new RangeError(
          `model ${def.id} ${def.version} is not in force on ${asOf} (${def.effective_from}–${def.effective_to ?? ""})`,
        );
      e = buildEvaluator(def, catalog, cats, catIndex, slots, asOf, indicatorShape, dimensionShape);
      if (evaluators.size >= EVALUATOR_CACHE) evaluators.delete(evaluators.keys().next().value!);
      evaluators.set(asOf, e);
    }
    return e;
  };

  return {
    id: def.id,
    version: def.version,
    kind: def.kind,
    owner: def.owner,
    title: { zh: def.title_zh, en: def.title_en },
    digest,
    def,
    maxScore: def.max_score,
    dimensionIds: def.dimensions.map((d) => d.id),
    indicators: slots.map((s) => ({
      id: s.def.id,
      zh: s.def.zh,
      en: s.def.en,
      dimension: def.dimensions[s.dim]!.id,
      type: s.def.type,
      basis: s.def.basis,
    })),
    scope: inScopeFn(def),
    inForce,
    evaluate: (input, asOf, opts) => evaluatorFor(asOf).run(input, opts?.trace === true),
    cutoffs: (asOf) => ({ ...evaluatorFor(asOf).cutoffs }),
  };
}
