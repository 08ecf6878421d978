/**
 * The evaluation inputs that do not come from credit records: the latest valid market rating of each subject
 * (EvalInput.marketRating) and its grades from other systems mapped to A–E (EvalInput.otherGrades). One call
 * per chunk of subjects; a subject with neither is absent from the map.
 */
import type { EvalInput } from "../../core/scoring/index.ts";
import type { Store } from "../../store/db.ts";
import { marketRatingOf } from "../ratings/market.ts";
import { otherGradesInputOf } from "../ratings/other-grades.ts";

export type EvalExtras = Pick<EvalInput, "marketRating" | "otherGrades">;

export async function evalExtrasOf(
  store: Store,
  codes: readonly string[],
  asOf: string,
): Promise<Map<string, EvalExtras>> {
  const [ratings, grades] = await Promise.all([
    marketRatingOf(store, codes, asOf),
    otherGradesInputOf(store, codes, asOf),
  ]);
  const out = new Map<string, EvalExtras>();
  for (const [code, marketRating] of ratings) out.set(code, { marketRating });
  for (const [code, otherGrades] of grades) out.set(code, { ...out.get(code), otherGrades });
  return out;
}
