import type { ModelInfo } from "../../contract/models.ts";
import type { CompiledModel } from "../../core/scoring/index.ts";

/**
 * A model in force, its triggers and ceilings named, so a screen can say why a grade is held down without
 * keeping its own copy of the models.
 */
export function presentModel(m: CompiledModel): ModelInfo {
  return {
    id: m.id,
    version: m.version,
    kind: m.kind,
    owner: m.owner,
    title: m.title,
    digest: m.digest,
    maxScore: m.maxScore,
    dimensions: m.def.dimensions.map((d) => ({ id: d.id, zh: d.zh, en: d.en })),
    triggers: m.def.triggers.map((t) => ({ id: t.id, zh: t.zh, en: t.en, grade: t.grade })),
    ceilings: m.def.ceilings.map((c) => ({ id: c.id, zh: c.zh, en: c.en, maxGrade: c.max_grade })),
  };
}
