/**
 * The scoring policy's files, read and shape-checked with zod (the core itself reads no file): models
 * (policy/models/<id>.yaml, cases beside them: <id>.cases.yaml) and grades (policy/grades/*.yaml).
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { bandSet } from "../core/scoring/grades.ts";
import {
  bandsFileSchema,
  type CasesFile,
  casesFileSchema,
  type GradeMapFile,
  gradeMapFileSchema,
  modelFileSchema,
  type ScaleMapFile,
  scaleMapFileSchema,
} from "../core/scoring/schema.ts";
import type { GradeTables, ModelDef } from "../core/scoring/types.ts";
import { POLICY_DIR } from "./load.ts";

export const MODELS_DIR = path.join(POLICY_DIR, "models");
export const GRADES_DIR = path.join(POLICY_DIR, "grades");

function readYaml<T>(file: string, schema: z.ZodType<T>): T {
  const text = fs.readFileSync(file, "utf8");
  const parsed = schema.safeParse(YAML.parse(text));
  if (!parsed.success) throw new Error(`${display(file)} is not valid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** A policy path as people know it (`policy/models/public.yaml`). */
function display(file: string): string {
  const rel = path.relative(path.join(POLICY_DIR, ".."), file);
  return rel.startsWith("..") ? file : rel;
}

/** Reads policy/grades/: the band sets (bands.yaml) and every mapping table beside it. */
export function loadGradeTables(dir = GRADES_DIR): GradeTables {
  const bands = readYaml(path.join(dir, "bands.yaml"), bandsFileSchema);
  const maps = new Map<string, GradeMapFile>();
  const scales = new Map<string, ScaleMapFile>();
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith(".yaml") || name === "bands.yaml") continue;
    const file = path.join(dir, name);
    const raw = YAML.parse(fs.readFileSync(file, "utf8")) as { kind?: string; id?: string };
    const schema: z.ZodType<GradeMapFile | ScaleMapFile> =
      raw?.kind === "scale" ? scaleMapFileSchema : gradeMapFileSchema;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new Error(`${display(file)} is not valid:\n${z.prettifyError(parsed.error)}`);
    const t = parsed.data;
    if (maps.has(t.id) || scales.has(t.id))
      throw new Error(`${display(file)}: table id "${t.id}" is used twice`);
    if (t.kind === "scale") scales.set(t.id, t);
    else maps.set(t.id, t);
  }
  for (const set of bands.sets)
    for (const v of set.cutoffs)
      if (!(v.source in bands.sources))
        throw new Error(`policy/grades/bands.yaml: set ${set.id} cites unknown source "${v.source}"`);
  return { bands, maps, scales };
}

/**
 * Reads every model definition in `dir` (`<id>.yaml`; `*.cases.yaml` are their test cases), sorted by file
 * name, with its grade bands resolved from `gradesDir`. Shape only: compileModel checks the meaning.
 */
export function loadModels(dir = MODELS_DIR, gradesDir = path.join(dir, "..", "grades")): ModelDef[] {
  const { bands } = loadGradeTables(gradesDir);
  const defs: ModelDef[] = [];
  const seen = new Set<string>();
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith(".yaml") || name.endsWith(".cases.yaml")) continue;
    const file = path.join(dir, name);
    const m = readYaml(file, modelFileSchema);
    const key = `${m.id}@${m.version}`;
    if (seen.has(key))
      throw new Error(`${display(file)}: model ${m.id} version ${m.version} is defined twice`);
    seen.add(key);
    defs.push({ ...m, file: display(file), grade_bands: bandSet(bands, m.bands) });
  }
  return defs;
}

/** The test cases beside a model (`<id>.cases.yaml`), or null when there are none. */
export function loadCases(id: string, dir = MODELS_DIR): CasesFile | null {
  const file = path.join(dir, `${id}.cases.yaml`);
  if (!fs.existsSync(file)) return null;
  return readYaml(file, casesFileSchema);
}
