import type { MarketRating } from "../../contract/ratings.ts";
import type { MarketRating as MarketRatingRow } from "../../store/schema-models-ratings.ts";

/** A market rating as the agency gave it, with its normalised score and the mapping used. */
export function presentMarketRating(row: MarketRatingRow): MarketRating {
  return {
    id: Number(row.id),
    agencyCode: row.agency_code,
    subjectCode: row.subject_code,
    rating: row.rating,
    scale: row.scale,
    score: Number(row.score),
    rule: row.rule,
    ratingDate: row.rating_date,
    validUntil: row.valid_until,
    batchId: row.batch_id,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
  };
}
