import type { Catalog } from "../../core/catalog/types.ts";
import { type CompiledModel, compileModel, type SubjectFacts } from "../../core/scoring/index.ts";
import { loadModels } from "../../policy/models.ts";

export interface ModelSet {
  /** The public credit comprehensive evaluation (公共信用综合评价); industry models build on its score. */
  public: CompiledModel;
  industry: CompiledModel[];
  all: CompiledModel[];
}

let cached: ModelSet | undefined;

/** The models under policy/models/, validated and compiled once per process. */
export function modelSet(catalog: Catalog): ModelSet {
  if (cached) return cached;
  const all = loadModels().map((def) => compileModel(def, catalog));
  const pub = all.find((m) => m.kind === "public");
  if (!pub) throw new Error("policy/models has no public model (kind: public)");
  cached = { public: pub, industry: all.filter((m) => m.kind === "industry"), all };
  return cached;
}

/**
 * Whether a model grades a subject on a date: in force, and the subject in its scope. The public model's scope
 * leaves out natural persons and deregistered subjects; an industry model then sees no public score.
 * (ChunkEvaluator.run applies the same rule with the in-force models picked once per run.)
 */
export function modelApplies(model: CompiledModel, subject: SubjectFacts, asOf: string): boolean {
  return model.inForce(asOf) && model.scope(subject);
}
