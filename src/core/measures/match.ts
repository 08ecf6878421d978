/**
 * Matching a subject's grades to the measures lists (监管措施自动匹配, seed §二(一)2, §二(三)1): given the
 * lists, a date, the subject's current grades, a scenario and optionally a department → the measures that
 * apply, each with the grade and model that triggered it and the reason in Chinese and English. Pure.
 */
import type { GradeOrNR } from "../grades.ts";
import { entryAt } from "../scoring/dated.ts";
import type { ByScore, Limit } from "../scoring/explain.ts";
import { listInForce } from "./check.ts";
import type { ItemDef, MeasureKind, MeasureList } from "./schema.ts";

export interface Text {
  zh: string;
  en: string;
}

/** A current evaluation result of the subject under one model (a row of `evaluations`, names resolved). */
export interface SubjectGrade {
  modelId: string;
  kind: "public" | "industry";
  title: Text;
  version: string;
  grade: GradeOrNR;
  score: number;
  asOf: string;
  /** Direct-to-grade triggers that hold, named. */
  triggers: (Text & { id: string })[];
  /** The ceiling that holds, named. */
  ceiling: (Text & { id: string }) | null;
  /** The score the points alone earn and its grade, before triggers and ceilings (null when not known). */
  byScore: ByScore | null;
  /**
   * The triggers and the ceiling that hold, named, each with what it does to the grade now: a condition is
   * said to hold the grade down only when it does (core/scoring/explain.ts LimitEffect).
   */
  limits: NamedLimit[];
}

/** A trigger or ceiling that holds, named. */
export type NamedLimit = Limit & Text;

export interface MatchInput {
  date: string;
  grades: readonly SubjectGrade[];
  /** Only items of this scenario (all when absent). */
  scenario?: string | undefined;
  /** The department whose checks these are: its own lists and the lists for all departments (all when absent). */
  department?: string | undefined;
  /** Titles of the models items may name, for the reason when the subject has no grade under one. */
  modelTitles: Readonly<Record<string, Text>>;
}

export interface AppliedMeasure {
  department: string;
  listVersion: string;
  item: { id: string; zh: string; en: string; legalBasis: string; scenario: string; model: string };
  measure: { id: string; zh: string; en: string; kind: MeasureKind };
  /** The grade that decided (NR when the subject is not rated). */
  grade: GradeOrNR;
  /** The model whose grade decided; null when the subject has no grade at all. */
  modelId: string | null;
  score: number | null;
  /** own: the item's model; fallback: the public grade in its place; none: not rated. */
  basis: "own" | "fallback" | "none";
  reason: Text;
}

export interface MatchResult {
  /** The lists in force that were applied. */
  lists: MeasureList[];
  /** The grades the measures were decided on (each once). */
  grades: SubjectGrade[];
  measures: AppliedMeasure[];
}

/** The lists in force on `date` for a department: its own and those for all departments (every list when absent). */
export function listsInForce(
  lists: readonly MeasureList[],
  date: string,
  department?: string,
): MeasureList[] {
  return lists.filter(
    (l) =>
      listInForce(l, date) &&
      (department === undefined || l.department === department || l.applies_to === "all_departments"),
  );
}

export interface ItemGrade {
  grade: GradeOrNR;
  basis: AppliedMeasure["basis"];
  /** The result that decided (own or public); for `none`, the NR result when there is one. */
  from: SubjectGrade | null;
  /** For fallback: the item's own model's result when it exists (NR), to say why it did not decide. */
  own: SubjectGrade | null;
}

/**
 * The one rule for which grade decides an item: the subject's grade under the item's model; when it has none
 * there, or is not rated (NR) by it, its public credit grade; when that is missing or NR too, NR.
 */
export function gradeForItem(item: Pick<ItemDef, "model">, grades: readonly SubjectGrade[]): ItemGrade {
  const own = grades.find((g) => g.modelId === item.model) ?? null;
  if (own && own.grade !== "NR") return { grade: own.grade, basis: "own", from: own, own };
  const pub = own?.kind === "public" ? null : (grades.find((g) => g.kind === "public") ?? null);
  if (pub && pub.grade !== "NR") return { grade: pub.grade, basis: "fallback", from: pub, own };
  return { grade: "NR", basis: "none", from: own ?? pub, own };
}

/** gradeForItem's rule on the grades alone (the strata of inspection plans): own, else public, else NR. */
export function decidingGrade(own: string | null | undefined, pub: string | null | undefined): string {
  if (own && own !== "NR") return own;
  if (pub && pub !== "NR") return pub;
  return "NR";
}

/** What a condition allows, e.g. `最高 C 级` / `at most C`. */
function allows(l: NamedLimit): Text {
  return l.kind === "trigger"
    ? { zh: `直接评为 ${l.grade} 级`, en: `graded ${l.grade} directly` }
    : { zh: `最高 ${l.grade} 级`, en: `at most ${l.grade}` };
}

/**
 * What the triggers and the ceiling do to the grade, in the words of their effect: held down (the score gives
 * a better grade), kept from rising (the score gives the same grade), or no effect now (the score already gives
 * a worse grade than the condition allows). Only the first two may say the condition limits the grade.
 */
function limitsText(g: SubjectGrade): Text[] {
  const out: Text[] = [];
  const named = (l: NamedLimit) => {
    const a = allows(l);
    return { zh: `“${l.zh}”（${a.zh}）`, en: `“${l.en}” (${a.en})` };
  };
  const sets = g.limits.filter((l) => l.effect === "sets").map(named);
  if (sets.length > 0) {
    const by = g.byScore
      ? {
          zh: `分数 ${g.byScore.score} 分可评 ${g.byScore.grade} 级，`,
          en: `the score of ${g.byScore.score} would give ${g.byScore.grade}; `,
        }
      : { zh: "", en: "" };
    out.push({
      zh: `${by.zh}因${sets.map((x) => x.zh).join("、")}降为 ${g.grade} 级`,
      en: `${by.en}held at ${g.grade} by ${sets.map((x) => x.en).join(" and ")}`,
    });
  }
  for (const l of g.limits) {
    const n = named(l);
    if (l.effect === "also") out.push({ zh: `${n.zh}亦压低等级`, en: `${n.en} also holds it down` });
    else if (l.effect === "caps")
      out.push({
        zh: `${n.zh}使等级不能高于 ${l.grade} 级，分数提高也不会升级`,
        en: `${n.en} keeps it from rising above ${l.grade} whatever the score`,
      });
    else if (l.effect === "none")
      out.push({ zh: `${n.zh}目前不影响等级`, en: `${n.en} does not change the grade now` });
  }
  return out;
}

function gradeText(g: SubjectGrade): Text {
  const extra = limitsText(g);
  return {
    zh: `${g.title.zh} ${g.grade} 级（${g.score} 分${extra.map((x) => `；${x.zh}`).join("")}）`,
    en: `${g.title.en} grade ${g.grade} (${g.score} points${extra.map((x) => `; ${x.en}`).join("")})`,
  };
}

/** Why the item's grade is what it is, e.g. `公共信用综合评价 D 级（610 分）`. */
export function gradeReason(
  item: Pick<ItemDef, "model">,
  ig: ItemGrade,
  titles: Readonly<Record<string, Text>>,
): Text {
  const title = ig.own?.title ?? titles[item.model] ?? { zh: item.model, en: item.model };
  if (ig.basis === "own" && ig.from) return gradeText(ig.from);
  if (ig.basis === "fallback" && ig.from) {
    const g = gradeText(ig.from);
    return ig.own
      ? { zh: `${title.zh}暂不评级，按${g.zh}`, en: `not rated by ${title.en}; by ${g.en}` }
      : { zh: `未参加${title.zh}，按${g.zh}`, en: `no ${title.en} grade; by ${g.en}` };
  }
  if (ig.from)
    return {
      zh: `${ig.from.title.zh}暂不评级（信息不足）`,
      en: `not rated by ${ig.from.title.en} (insufficient data)`,
    };
  return { zh: "暂无信用评价等级（未评级）", en: "no credit grade yet (not rated)" };
}

/** The measures that apply to a subject with these grades, list by list, item by item, in file order. */
export function applicableMeasures(lists: readonly MeasureList[], input: MatchInput): MatchResult {
  const applied = listsInForce(lists, input.date, input.department);
  const measures: AppliedMeasure[] = [];
  const used = new Map<string, SubjectGrade>();
  for (const list of applied) {
    const byId = new Map(list.measures.map((m) => [m.id, m]));
    for (const item of list.items) {
      if (input.scenario !== undefined && item.scenario !== input.scenario) continue;
      const perGrade = entryAt(item.measures, input.date)?.value;
      if (!perGrade) continue;
      const ig = gradeForItem(item, input.grades);
      if (ig.from && ig.basis !== "none") used.set(ig.from.modelId, ig.from);
      const why = gradeReason(item, ig, input.modelTitles);
      for (const mid of perGrade[ig.grade]) {
        const m = byId.get(mid);
        if (!m) continue; // checkList refuses such a list at load
        measures.push({
          department: list.department,
          listVersion: list.version,
          item: {
            id: item.id,
            zh: item.zh,
            en: item.en,
            legalBasis: item.legal_basis,
            scenario: item.scenario,
            model: item.model,
          },
          measure: { id: m.id, zh: m.zh, en: m.en, kind: m.kind },
          grade: ig.grade,
          modelId: ig.basis === "none" ? null : (ig.from?.modelId ?? null),
          score: ig.basis === "none" ? null : (ig.from?.score ?? null),
          basis: ig.basis,
          reason: { zh: `${why.zh}→ ${m.zh}`, en: `${capitalise(why.en)} → ${m.en}` },
        });
      }
    }
  }
  return { lists: applied, grades: [...used.values()], measures };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
