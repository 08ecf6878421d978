import type { Store } from "../../store/db.ts";
import { chinaToday } from "../collect/ingest.ts";
import { type CurrentRating, currentRatingsOf } from "./market.ts";
import { currentGradesOf, type StoredGrade } from "./other-grades.ts";

export interface ExternalGrades {
  /** What the evaluation takes as EvalInput.marketRating: the rating as the agency gave it and its score. */
  marketRating: CurrentRating | null;
  /** One per source: the original grade beside the unified one (NR ones are shown but say nothing). */
  otherGrades: StoredGrade[];
}

/** A subject's market rating and other systems' grades in force on `asOf`, originals kept. */
export async function externalGradesOf(
  store: Store,
  code: string,
  asOf = chinaToday(),
): Promise<ExternalGrades> {
  const [ratings, grades] = await Promise.all([
    currentRatingsOf(store, [code], asOf),
    currentGradesOf(store, [code], asOf),
  ]);
  return { marketRating: ratings.get(code) ?? null, otherGrades: grades.get(code) ?? [] };
}
