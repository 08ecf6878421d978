/**
 * Reads the measures lists (policy/measures/<DEPT>.yaml), the scenarios (policy/measures/scenarios.yaml) and
 * the lists' test cases (<DEPT>.cases.yaml). A list that does not fit is refused with every problem named:
 * file, path, what is wrong, how to fix it, in Chinese and English.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import type { z } from "zod";
import { checkList, listProblem } from "../core/measures/check.ts";
import {
  type MeasureCases,
  type MeasureList,
  measureCasesSchema,
  measureListSchema,
  type Scenario,
  scenariosFileSchema,
} from "../core/measures/schema.ts";
import { formatProblem, type Problem } from "../core/problem.ts";
import { loadModels } from "../policy/models.ts";
import { loadCatalog, POLICY_DIR } from "./load.ts";

export const MEASURES_DIR = path.join(POLICY_DIR, "measures");

/** A policy file that does not fit: its problems, each in both languages. */
export class PolicyError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.map((p) => `${formatProblem(p, "zh")}\n  ${formatProblem(p, "en")}`).join("\n"));
    this.name = "PolicyError";
    this.problems = problems;
  }
}

export interface MeasuresPolicy {
  scenarios: Scenario[];
  /** Sorted by file name. */
  lists: MeasureList[];
}

/** A policy path as people know it (`policy/measures/SCJG.yaml`); another folder's files in full. */
function display(file: string): string {
  const rel = path.relative(path.join(POLICY_DIR, ".."), file);
  return rel.startsWith("..") ? file : rel;
}

/** A zod issue's path as people read it: `items[0].measures[0].value.D`. */
function pathOf(p: readonly PropertyKey[]): string {
  return p
    .map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`))
    .join("")
    .replace(/^\./, "");
}

/** Parses a YAML file against a schema; every shape problem is reported with its path. */
function readFile<T>(file: string, schema: z.ZodType<T>, what: { zh: string; en: string }): T {
  const shown = display(file);
  const text = fs.readFileSync(file, "utf8");
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (e) {
    throw new PolicyError([
      listProblem(shown, "", "measures.yaml", {
        zh: `不是合法的 YAML：${(e as Error).message}`,
        en: `not valid YAML: ${(e as Error).message}`,
        fixZh: "按报错位置修正 YAML 语法（缩进、冒号、引号）",
        fixEn: "Fix the YAML syntax where the message points (indentation, colons, quotes)",
      }),
    ]);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new PolicyError(
    parsed.error.issues.map((i) =>
      listProblem(shown, pathOf(i.path), "measures.shape", {
        zh: `不符合${what.zh}的格式：${i.message}`,
        en: `does not fit the ${what.en} format: ${i.message}`,
        fixZh: "按 policy/measures/XYB.yaml 开头说明的格式修改",
        fixEn: "Follow the format described at the top of policy/measures/XYB.yaml",
      }),
    ),
  );
}

/**
 * Loads and checks the scenarios and every list in `dir`. `departments` and `models` are the codes and model
 * ids lists may name (by default the policy folder's departments and models).
 */
export function loadMeasures(
  dir = MEASURES_DIR,
  known: { departments?: Iterable<string>; models?: Iterable<string> } = {},
): MeasuresPolicy {
  const departments = new Set(known.departments ?? loadCatalog().departments.map((d) => d.code));
  const models = new Set(known.models ?? loadModels().map((m) => m.id));
  const scenarios = readFile(path.join(dir, "scenarios.yaml"), scenariosFileSchema, {
    zh: "应用场景文件",
    en: "scenarios file",
  }).scenarios;
  const scenarioIds = new Set(scenarios.map((s) => s.id));
  const lists: MeasureList[] = [];
  const problems: Problem[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (name === "scenarios.yaml" || name.endsWith(".cases.yaml")) continue;
    const file = path.join(dir, name);
    const shown = display(file);
    const m = /^([A-Z]+)\.yaml$/.exec(name);
    if (!m) {
      problems.push(
        listProblem(shown, "", "measures.file_name", {
          zh: "清单文件名应为部门代码加 .yaml（如 SCJG.yaml）",
          en: "a list's file name is its department code and .yaml (e.g. SCJG.yaml)",
          fixZh: "改名，或把不是清单的文件移出 policy/measures/",
          fixEn: "Rename it, or move a file that is not a list out of policy/measures/",
        }),
      );
      continue;
    }
    try {
      const list = readFile(file, measureListSchema, { zh: "监管措施清单", en: "measures list" });
      problems.push(
        ...checkList(list, { file: shown, name: m[1]!, departments, models, scenarios: scenarioIds }),
      );
      const digest = crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
      lists.push({ ...list, file: shown, digest });
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      problems.push(...e.problems);
    }
  }
  if (problems.length) throw new PolicyError(problems);
  return { scenarios, lists };
}

/** The test cases beside a list (`<DEPT>.cases.yaml`), or null when there are none. */
export function loadMeasureCases(department: string, dir = MEASURES_DIR): MeasureCases | null {
  const file = path.join(dir, `${department}.cases.yaml`);
  if (!fs.existsSync(file)) return null;
  return readFile(file, measureCasesSchema, { zh: "清单测试用例", en: "list cases" });
}

let cached: MeasuresPolicy | undefined;

/** The shipped lists, loaded and checked once per process. */
export function measuresPolicy(): MeasuresPolicy {
  cached ??= loadMeasures();
  return cached;
}
