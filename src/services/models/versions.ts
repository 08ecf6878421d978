/**
 * Published model versions. A department publishes a new version of its model (a YAML file in the format of
 * policy/models/*.yaml) after looking at its what-if diff; the version is stored in `model_versions` (the YAML
 * text, its digest, who published it and when, the version it replaced) and from then on the newest published
 * version of a model id is used instead of the shipped file of that id (`currentModelSet`).
 */

import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { MAX_MODEL_BYTES } from "../../contract/models.ts";
import type { Catalog } from "../../core/catalog/types.ts";
import { InputError, notFoundError, type Problem, problem } from "../../core/problem.ts";
import { bandSet } from "../../core/scoring/grades.ts";
import { type CompiledModel, compileModel, ModelError } from "../../core/scoring/index.ts";
import { modelFileSchema } from "../../core/scoring/schema.ts";
import type { ModelDef } from "../../core/scoring/types.ts";
import { POLICY_DIR } from "../../policy/load.ts";
import { GRADES_DIR, loadGradeTables } from "../../policy/models.ts";
import type { Store } from "../../store/db.ts";
import { type ModelSet, modelSet } from "../evaluate/models.ts";

/** A problem with a draft; `line` (1-based, of the YAML text) goes in `row`, where a file's problems name it. */
function draftProblem(code: string, zh: string, en: string, value?: string, line?: number): Problem {
  return problem(
    code,
    {
      zh,
      en,
      fixZh: "按 docs/models/README.md 的模型格式修改草案后重试（可先用 credit model diff 检查）",
      fixEn:
        "Fix the draft to the model format of docs/models/README.md and try again (credit model diff checks it)",
    },
    { ...(value === undefined ? {} : { value }), ...(line === undefined ? {} : { row: line }) },
  );
}

/**
 * The line (1-based) of a path in a YAML text: the line of its key, or of the deepest part of the path that
 * exists (a missing key: the line of the mapping that lacks it). Undefined when not even the first part is
 * there.
 */
export function yamlLineOf(text: string, at: readonly (string | number)[]): number | undefined {
  const lines = new YAML.LineCounter();
  let node: unknown;
  try {
    node = YAML.parseDocument(text, { lineCounter: lines }).contents;
  } catch {
    return undefined;
  }
  let line: number | undefined;
  for (const part of at) {
    let next: unknown;
    let start: number | undefined;
    if (YAML.isMap(node)) {
      const pair = node.items.find((p) => YAML.isScalar(p.key) && String(p.key.value) === String(part));
      if (pair) {
        next = pair.value;
        start = YAML.isNode(pair.key) ? pair.key.range?.[0] : undefined;
      }
    } else if (YAML.isSeq(node) && typeof part === "number") {
      next = node.items[part];
      start = YAML.isNode(next) ? next.range?.[0] : undefined;
    }
    if (start === undefined) break;
    line = lines.linePos(start).line;
    node = next;
  }
  return line;
}

/** The path a compile problem names (`dimensions[0] (public_credit).indicators[2] (x).points[1]: …`). */
export function problemPath(message: string): (string | number)[] {
  const head = (message.split(": ")[0] ?? "").replace(/ \([^)]*\)/g, "").split(" ")[0] ?? "";
  return head
    .split(/\.|(?=\[)/)
    .map((p) => (/^\[\d+\]$/.test(p) ? Number(p.slice(1, -1)) : p))
    .filter((p) => p !== "");
}

/**
 * Reads a model file's text and compiles it against the catalog. Any problem — not YAML, not the model shape,
 * not consistent with the catalog — throws an InputError listing every problem in Chinese and English.
 */
export function parseModel(
  text: string,
  catalog: Catalog,
  name = "draft",
  gradesDir = GRADES_DIR,
): { def: ModelDef; compiled: CompiledModel } {
  if (Buffer.byteLength(text, "utf8") > MAX_MODEL_BYTES)
    throw new InputError([
      draftProblem(
        "model.too_large",
        `模型文件超过 ${MAX_MODEL_BYTES} 字节`,
        `The model file is larger than ${MAX_MODEL_BYTES} bytes`,
      ),
    ]);
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (e) {
    const line = e instanceof YAML.YAMLError ? e.linePos?.[0]?.line : undefined;
    throw new InputError([
      draftProblem(
        "model.yaml",
        `${name} 不是合法的 YAML：${(e as Error).message}`,
        `${name} is not valid YAML: ${(e as Error).message}`,
        undefined,
        line,
      ),
    ]);
  }
  const parsed = modelFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new InputError(
      parsed.error.issues.slice(0, 50).map((i) => {
        const at = i.path.join(".") || "(整体 whole file)";
        return draftProblem(
          "model.shape",
          `${name} 的 ${at} 不符合模型格式：${i.message}`,
          `${name}: ${at} does not fit the model format: ${i.message}`,
          at,
          yamlLineOf(
            text,
            i.path.filter((p): p is string | number => typeof p !== "symbol"),
          ),
        );
      }),
    );
  const m = parsed.data;
  const def: ModelDef = { ...m, file: name, grade_bands: bandSet(loadGradeTables(gradesDir).bands, m.bands) };
  try {
    return { def, compiled: compileModel(def, catalog) };
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    throw new InputError(
      e.problems
        .slice(0, 50)
        .map((p) =>
          draftProblem(
            "model.invalid",
            `${name} 无法编译（与目录或日期规则不符）：${p}`,
            `${name} cannot be compiled: ${p}`,
            undefined,
            yamlLineOf(text, problemPath(p)),
          ),
        ),
    );
  }
}

/** A published model version as the model set needs it (plain data: it can be posted to a worker thread). */
export interface PublishedModel {
  model_id: string;
  version: string;
  yaml: string;
}

/** The newest published version of each model id. */
export async function publishedModels(store: Store): Promise<PublishedModel[]> {
  const rows = await store.db
    .selectFrom("model_versions")
    .select(["model_id", "version", "yaml"])
    .orderBy("id", "desc")
    .execute();
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.model_id) && seen.add(r.model_id));
}

const compiledCache = new Map<string, { catalog: Catalog; model: CompiledModel }>();

/**
 * The shipped models (modelSet) with each model id that has a published version replaced by it. Synchronous
 * and pure given its inputs, so a worker thread builds the same set from the same `published` list; compiled
 * versions are cached by their text. No published versions: the shipped set itself.
 */
export function modelSetWith(catalog: Catalog, published: readonly PublishedModel[]): ModelSet {
  const shipped = modelSet(catalog);
  if (published.length === 0) return shipped;
  const replaced = new Map<string, CompiledModel>();
  for (const p of published) {
    const key = `${p.model_id}\u0000${p.version}\u0000${p.yaml}`;
    let hit = compiledCache.get(key);
    if (!hit || hit.catalog !== catalog) {
      hit = {
        catalog,
        model: parseModel(p.yaml, catalog, `model_versions ${p.model_id} v${p.version}`).compiled,
      };
      compiledCache.set(key, hit);
    }
    replaced.set(p.model_id, hit.model);
  }
  const all = shipped.all.map((m) => replaced.get(m.id) ?? m);
  for (const [id, m] of replaced) if (!shipped.all.some((x) => x.id === id)) all.push(m);
  const pub = all.find((m) => m.kind === "public");
  if (!pub) throw new Error("the model set has no public model (kind: public)");
  return { public: pub, industry: all.filter((m) => m.kind === "industry"), all };
}

const cache = new WeakMap<object, { key: string; catalog: Catalog; set: ModelSet }>();

/**
 * The model set in force: modelSetWith the newest published versions. Rebuilt only when a version is
 * published (the newest `model_versions` id is the cache key), so a server sees a version another process
 * published at its next evaluation.
 */
export async function currentModelSet(store: Store, catalog: Catalog): Promise<ModelSet> {
  const top = await store.db
    .selectFrom("model_versions")
    .select((eb) => [eb.fn.max("id").as("id"), eb.fn.countAll<number>().as("n")])
    .executeTakeFirst();
  if (!top?.id) return modelSet(catalog);
  const key = `${top.id}/${top.n}`;
  const hit = cache.get(store.db);
  if (hit && hit.key === key && hit.catalog === catalog) return hit.set;
  const set = modelSetWith(catalog, await publishedModels(store));
  cache.set(store.db, { key, catalog, set });
  return set;
}

export function modelNotFound(id: string): InputError {
  return notFoundError({
    zh: `评价模型 ${id} 不存在`,
    en: `Evaluation model ${id} does not exist`,
    fixZh: "核对模型编号（GET /api/v1/models 列出现行模型）",
    fixEn: "Check the model id (GET /api/v1/models lists the models in force)",
  });
}

/**
 * Checks a draft against the model it would replace: same id (when the caller names one), same kind and
 * owning department. Returns the draft compiled and the current version.
 */
export async function draftAgainstCurrent(
  store: Store,
  catalog: Catalog,
  text: string,
  opts: { id?: string; name?: string } = {},
): Promise<{ def: ModelDef; draft: CompiledModel; current: CompiledModel; models: ModelSet }> {
  const { def, compiled } = parseModel(text, catalog, opts.name ?? "draft");
  const models = await currentModelSet(store, catalog);
  const id = opts.id ?? def.id;
  const current = models.all.find((m) => m.id === id);
  if (!current) throw modelNotFound(id);
  const problems: Problem[] = [];
  if (def.id !== id)
    problems.push(
      draftProblem(
        "model.id_mismatch",
        `草案的模型编号 ${def.id} 与 ${id} 不一致`,
        `The draft is model ${def.id}, not ${id}`,
        def.id,
      ),
    );
  if (def.kind !== current.kind)
    problems.push(
      draftProblem(
        "model.kind_changed",
        `草案的类型 ${def.kind} 与现行版本（${current.kind}）不同`,
        `The draft's kind ${def.kind} differs from the current version's (${current.kind})`,
        def.kind,
      ),
    );
  if (def.owner !== current.owner)
    problems.push(
      draftProblem(
        "model.owner_changed",
        `草案的所属部门 ${def.owner} 与现行版本（${current.owner}）不同，模型归属不能在发布时变更`,
        `The draft's owner ${def.owner} differs from the current version's (${current.owner}); ownership does not change by publishing`,
        def.owner,
      ),
    );
  if (problems.length) throw new InputError(problems);
  return { def, draft: compiled, current, models };
}

export interface PublishResult {
  id: number;
  modelId: string;
  version: string;
  digest: string;
  previousVersion: string;
  previousDigest: string;
  publishedAt: string;
  publishedBy: string;
}

/**
 * Publishes a draft as the current version of its model: compiled first (a broken draft is refused with every
 * problem listed), then checked against the current version — a new version number, same kind and owner.
 */
export async function publishModel(
  store: Store,
  catalog: Catalog,
  text: string,
  opts: { by: string; id?: string; note?: string; name?: string },
): Promise<PublishResult> {
  const { def, draft, current } = await draftAgainstCurrent(store, catalog, text, opts);
  const taken = await store.db
    .selectFrom("model_versions")
    .select("id")
    .where("model_id", "=", def.id)
    .where("version", "=", def.version)
    .executeTakeFirst();
  if (def.version === current.version || taken)
    throw new InputError(
      [
        draftProblem(
          "model.version_exists",
          `模型 ${def.id} 的版本 ${def.version} 已存在${def.version === current.version ? "（即现行版本）" : ""}，发布须使用新的版本号`,
          `Model ${def.id} version ${def.version} exists${def.version === current.version ? " (it is the current version)" : ""}; publish under a new version number`,
          def.version,
        ),
      ],
      409,
    );
  const publishedAt = new Date().toISOString();
  const inserted = await store.db
    .insertInto("model_versions")
    .values({
      model_id: def.id,
      version: def.version,
      owner: def.owner,
      yaml: text,
      digest: draft.digest,
      previous_version: current.version,
      previous_digest: current.digest,
      published_by: opts.by,
      published_at: publishedAt,
      note: opts.note ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return {
    id: Number(inserted.id),
    modelId: def.id,
    version: def.version,
    digest: draft.digest,
    previousVersion: current.version,
    previousDigest: current.digest,
    publishedAt,
    publishedBy: opts.by,
  };
}

/**
 * The text of a model's current version, to start a draft from: the newest published version's YAML, or the
 * shipped file (policy/models/<id>.yaml) when none is published. Undefined for an unknown model.
 */
export async function currentModelText(
  store: Store,
  catalog: Catalog,
  id: string,
): Promise<{ id: string; version: string; owner: string; source: string; yaml: string } | undefined> {
  const m = (await currentModelSet(store, catalog)).all.find((x) => x.id === id);
  if (!m) return undefined;
  const published = await store.db
    .selectFrom("model_versions")
    .select(["version", "yaml"])
    .where("model_id", "=", id)
    .orderBy("id", "desc")
    .executeTakeFirst();
  if (published?.version === m.version)
    return { id, version: m.version, owner: m.owner, source: "model_versions", yaml: published.yaml };
  const file = path.isAbsolute(m.def.file) ? m.def.file : path.join(POLICY_DIR, "..", m.def.file);
  return { id, version: m.version, owner: m.owner, source: m.def.file, yaml: fs.readFileSync(file, "utf8") };
}

/** Published versions of a model, newest first (the YAML text left out). */
export async function publishedVersions(store: Store, modelId: string) {
  return store.db
    .selectFrom("model_versions")
    .select([
      "id",
      "model_id",
      "version",
      "owner",
      "digest",
      "previous_version",
      "previous_digest",
      "published_by",
      "published_at",
      "note",
    ])
    .where("model_id", "=", modelId)
    .orderBy("id", "desc")
    .execute();
}
