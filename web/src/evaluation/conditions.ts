import { useModels } from "../reference.ts";

/**
 * A model's direct-to-grade triggers and grade ceilings in words, from GET /models (which names them from
 * policy/models/*.yaml): the explanation gives only their ids. An id the model does not name is shown as is.
 */
export interface ConditionInfo {
  kind: "trigger" | "ceiling";
  /** The grade a trigger sets, or the best grade a ceiling allows. */
  grade: string;
  zh: string;
  en: string;
}

export function useConditionInfo(): (modelId: string, id: string) => ConditionInfo | undefined {
  const models = useModels();
  return (modelId, id) => {
    const m = models.model(modelId);
    const t = m?.triggers?.find((x) => x.id === id);
    if (t) return { kind: "trigger", grade: t.grade, zh: t.zh, en: t.en };
    const c = m?.ceilings?.find((x) => x.id === id);
    if (c) return { kind: "ceiling", grade: c.maxGrade, zh: c.zh, en: c.en };
    return undefined;
  };
}
