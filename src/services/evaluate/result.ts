/**
 * The result key: a compact text of everything a stored result says — the model (first 16 hex digits of its
 * digest), score, grade, ceiling, triggers and every indicator's points in the model's order. Dimension points
 * follow from the indicators under one model, so they are left out. Two results are the same when their keys
 * are: a run compares keys instead of reading stored rows (docs/decisions.md, decisions 6 and 9).
 */
import type { CompiledModel, EvalResult } from "../../core/scoring/index.ts";

export function resultKey(model: CompiledModel, r: EvalResult): string {
  const ids = model.indicators;
  let points = "";
  for (let i = 0; i < ids.length; i++) {
    if (i > 0) points += ",";
    points += r.indicators[ids[i]!.id];
  }
  return `${model.digest.slice(0, 16)}|${r.score}|${r.grade}|${r.ceiling ?? ""}|${r.triggers.join(",")}|${points}`;
}

/** The key of a result stored before keys were (migration 004), from its columns. */
export function storedResultKey(row: {
  model_digest: string;
  score: number;
  grade: string;
  ceiling: string | null;
  triggers: string;
  indicators: string;
}): string {
  const triggers = JSON.parse(row.triggers) as string[];
  const points = Object.values(JSON.parse(row.indicators) as Record<string, number>);
  return `${row.model_digest.slice(0, 16)}|${Number(row.score)}|${row.grade}|${row.ceiling ?? ""}|${triggers.join(",")}|${points.join(",")}`;
}
