/**
 * The meaning of a measures list, checked once when the lists are loaded: every problem names the file, the
 * path in it, what is wrong and how to fix it, in Chinese and English (a broken list stops the platform at
 * start, not in the middle of a credit check).
 */
import { GRADES_OR_NR, type GradeOrNR } from "../grades.ts";
import { type Problem, problem } from "../problem.ts";
import { inForceOn } from "../scoring/dated.ts";
import { isRealDate, nextDay } from "../scoring/dates.ts";
import type { MeasureKind, MeasureListFile } from "./schema.ts";

export interface ListContext {
  /** Display path, e.g. `policy/measures/SCJG.yaml`. */
  file: string;
  /** The file's base name: the department code the list must name. */
  name: string;
  departments: ReadonlySet<string>;
  models: ReadonlySet<string>;
  scenarios: ReadonlySet<string>;
}

/** Grades a measure of each kind may not be tied to: incentives are for good grades, constraints for poor. */
export const BARRED_GRADES: Record<MeasureKind, readonly GradeOrNR[]> = {
  incentive: ["D", "E", "NR"],
  constraint: ["A", "B", "NR"],
  neutral: [],
};

/** A problem at `path` of `file`, with the file and path in both languages' text. */
export function listProblem(
  file: string,
  path: string,
  code: string,
  text: { zh: string; en: string; fixZh: string; fixEn: string },
  value?: unknown,
): Problem {
  const at = path || "(整体 whole file)";
  return problem(
    code,
    { ...text, zh: `${file} 的 ${at}：${text.zh}`, en: `${file}, ${at}: ${text.en}` },
    { field: path, value },
  );
}

export function checkList(list: MeasureListFile, ctx: ListContext): Problem[] {
  const out: Problem[] = [];
  const add: Add = (path, code, zh, en, fixZh, fixEn, v) =>
    out.push(listProblem(ctx.file, path, code, { zh, en, fixZh, fixEn }, v));

  if (list.department !== ctx.name)
    add(
      "department",
      "measures.file_name",
      `部门代码 ${list.department} 与文件名 ${ctx.name}.yaml 不一致`,
      `department ${list.department} does not match the file name ${ctx.name}.yaml`,
      "文件名应为部门代码加 .yaml",
      "Name the file after the department code (<CODE>.yaml)",
      list.department,
    );
  if (!ctx.departments.has(list.department))
    add(
      "department",
      "measures.department",
      `未知部门 ${list.department}`,
      `unknown department ${list.department}`,
      "使用 policy/departments.yaml 中的部门代码",
      "Use a department code from policy/departments.yaml",
      list.department,
    );
  const sourceKnown = (path: string, key: string) => {
    if (!(key in list.sources))
      add(
        path,
        "measures.source",
        `来源 "${key}" 不在本文件的 sources 中`,
        `source "${key}" is not one of the file's sources`,
        "在 sources 中加上该来源，或引用已有的来源",
        "Add it to `sources`, or cite one that is there",
        key,
      );
  };
  sourceKnown("source", list.source);
  const dateOk = (path: string, d: string | undefined) => {
    if (d !== undefined && !isRealDate(d))
      add(
        path,
        "measures.date",
        `${d} 不是真实存在的日期`,
        `${d} is not a real date`,
        "填写 YYYY-MM-DD 格式的真实日期",
        "Give a real date as YYYY-MM-DD",
        d,
      );
  };
  dateOk("effective_from", list.effective_from);
  dateOk("effective_to", list.effective_to);
  if (list.effective_to !== undefined && list.effective_to < list.effective_from)
    add(
      "effective_to",
      "measures.dates",
      `失效日期 ${list.effective_to} 早于生效日期 ${list.effective_from}`,
      `ends (${list.effective_to}) before it takes effect (${list.effective_from})`,
      "改正生效或失效日期",
      "Correct effective_from or effective_to",
    );

  const measures = new Map<string, MeasureListFile["measures"][number]>();
  list.measures.forEach((m, i) => {
    if (measures.has(m.id))
      add(
        `measures[${i}].id`,
        "measures.duplicate",
        `措施编号 ${m.id} 重复`,
        `measure id ${m.id} is used twice`,
        "每个措施使用唯一的编号",
        "Give every measure its own id",
        m.id,
      );
    measures.set(m.id, m);
    m.scenarios.forEach((s, j) => {
      if (!ctx.scenarios.has(s))
        add(
          `measures[${i}].scenarios[${j}]`,
          "measures.scenario",
          `未知的应用场景 ${s}`,
          `unknown scenario ${s}`,
          "使用 policy/measures/scenarios.yaml 中的场景",
          "Use a scenario from policy/measures/scenarios.yaml",
          s,
        );
    });
  });

  const items = new Set<string>();
  const life = { from: list.effective_from, to: list.effective_to };
  list.items.forEach((item, i) => {
    const at = `items[${i}]`;
    if (items.has(item.id))
      add(
        `${at}.id`,
        "measures.duplicate",
        `监管事项编号 ${item.id} 重复`,
        `item id ${item.id} is used twice`,
        "每个监管事项使用唯一的编号",
        "Give every item its own id",
        item.id,
      );
    items.add(item.id);
    if (!ctx.scenarios.has(item.scenario))
      add(
        `${at}.scenario`,
        "measures.scenario",
        `未知的应用场景 ${item.scenario}`,
        `unknown scenario ${item.scenario}`,
        "使用 policy/measures/scenarios.yaml 中的场景",
        "Use a scenario from policy/measures/scenarios.yaml",
        item.scenario,
      );
    if (!ctx.models.has(item.model))
      add(
        `${at}.model`,
        "measures.model",
        `未知的评价模型 ${item.model}`,
        `unknown evaluation model ${item.model}`,
        `使用 policy/models 中的模型编号：${[...ctx.models].join("、")}`,
        `Use a model id from policy/models: ${[...ctx.models].join(", ")}`,
        item.model,
      );
    checkDatedMeasures(item.measures, `${at}.measures`, life, add, sourceKnown);
    item.measures.forEach((v, k) => {
      for (const g of GRADES_OR_NR) {
        const seen = new Set<string>();
        v.value[g].forEach((mid, j) => {
          const path = `${at}.measures[${k}].value.${g}[${j}]`;
          const m = measures.get(mid);
          if (seen.has(mid))
            add(
              path,
              "measures.duplicate",
              `${g} 级重复列出措施 ${mid}`,
              `measure ${mid} is listed twice for grade ${g}`,
              "删除重复项",
              "Remove the repetition",
              mid,
            );
          seen.add(mid);
          if (!m) {
            add(
              path,
              "measures.unknown_measure",
              `措施 ${mid} 未在本文件的 measures 中定义`,
              `measure ${mid} is not defined in the file's measures`,
              "在 measures 中定义该措施，或改用已定义的措施编号",
              "Define it under `measures`, or use an id defined there",
              mid,
            );
            return;
          }
          if (!m.scenarios.includes(item.scenario))
            add(
              path,
              "measures.wrong_scenario",
              `措施 ${mid} 不适用于本事项的场景 ${item.scenario}`,
              `measure ${mid} is not for this item's scenario ${item.scenario}`,
              "在该措施的 scenarios 中加上此场景，或换用适用的措施",
              "Add the scenario to the measure's scenarios, or use a measure meant for it",
              mid,
            );
          if (BARRED_GRADES[m.kind].includes(g))
            add(
              path,
              "measures.kind_grade",
              m.kind === "incentive"
                ? `激励措施 ${mid} 不能用于 ${g} 级（激励措施只用于 A–C 级）`
                : `约束措施 ${mid} 不能用于 ${g} 级（约束措施只用于 C–E 级）`,
              m.kind === "incentive"
                ? `incentive ${mid} cannot apply to grade ${g} (incentives are for A–C)`
                : `constraint ${mid} cannot apply to grade ${g} (constraints are for C–E)`,
              "把该措施移到适用的等级，或改变措施的类型",
              "Move the measure to a grade it fits, or change its kind",
              mid,
            );
        });
      }
    });
  });
  return out;
}

type Add = (
  path: string,
  code: string,
  zh: string,
  en: string,
  fixZh: string,
  fixEn: string,
  v?: unknown,
) => void;

/**
 * A dated value over the list's life: real dates, ascending and contiguous (each value starts the day after the
 * one before ends), from the list's first day to its last, each citing one of the file's sources.
 */
function checkDatedMeasures(
  values: readonly { from: string; to?: string | undefined; source: string }[],
  path: string,
  life: { from: string; to?: string | undefined },
  add: Add,
  sourceKnown: (path: string, key: string) => void,
): void {
  values.forEach((v, i) => {
    const at = `${path}[${i}]`;
    for (const [k, d] of [
      ["from", v.from],
      ["to", v.to],
    ] as const)
      if (d !== undefined && !isRealDate(d))
        add(
          `${at}.${k}`,
          "measures.date",
          `${d} 不是真实存在的日期`,
          `${d} is not a real date`,
          "填写 YYYY-MM-DD 格式的真实日期",
          "Give a real date as YYYY-MM-DD",
          d,
        );
    if (v.to !== undefined && v.to < v.from)
      add(
        at,
        "measures.dates",
        `结束日期 ${v.to} 早于开始日期 ${v.from}`,
        `ends (${v.to}) before it starts (${v.from})`,
        "改正 from 或 to",
        "Correct from or to",
      );
    sourceKnown(`${at}.source`, v.source);
    const next = values[i + 1];
    if (!next) return;
    if (v.to === undefined)
      add(
        `${at}.to`,
        "measures.dates",
        "后面还有取值，本取值却没有结束日期",
        "has no end date but another value follows",
        "填写 to：下一取值开始的前一天",
        "Give `to`: the day before the next value starts",
      );
    else if (next.from !== nextDay(v.to))
      add(
        `${path}[${i + 1}].from`,
        "measures.dates",
        `${next.from} 应为 ${v.to} 的次日（取值之间不能有空档或重叠）`,
        `${next.from} must be the day after ${v.to} (no gaps or overlaps)`,
        `改为 ${nextDay(v.to)}`,
        `Make it ${nextDay(v.to)}`,
      );
  });
  const first = values[0];
  const last = values[values.length - 1];
  if (first && first.from > life.from)
    add(
      `${path}[0].from`,
      "measures.coverage",
      `从 ${first.from} 开始，晚于清单生效日 ${life.from}`,
      `starts ${first.from}, after the list takes effect (${life.from})`,
      `改为 ${life.from}`,
      `Make it ${life.from}`,
    );
  if (last?.to !== undefined && (life.to === undefined || last.to < life.to))
    add(
      `${path}[${values.length - 1}].to`,
      "measures.coverage",
      `到 ${last.to} 结束，早于清单失效日（${life.to ?? "长期有效"}）`,
      `ends ${last.to}, before the list does (${life.to ?? "open-ended"})`,
      "删除 to，或再加一个取值覆盖其后的日期",
      "Remove `to`, or add a value for the dates after it",
    );
}

/** Whether a list is in force on a date. */
export function listInForce(list: Pick<MeasureListFile, "effective_from" | "effective_to">, date: string) {
  return inForceOn({ from: list.effective_from, to: list.effective_to }, date);
}
