import type { Catalog } from "../../core/catalog/types.ts";
import { valueAt } from "../../core/scoring/dated.ts";
import { type Explanation, explain, type RecordFact } from "../../core/scoring/index.ts";
import type { Store } from "../../store/db.ts";
import type { Subject } from "../../store/schema.ts";
import { chinaToday } from "../collect/ingest.ts";
import { currentModelSet } from "../models/versions.ts";
import { evalExtrasOf } from "./extras.ts";
import { evaluateSubject } from "./run.ts";

export interface ModelExplanation extends Explanation {
  title: { zh: string; en: string };
  kind: "public" | "industry";
  owner: string;
  dimensions: { id: string; zh: string; en: string; points: number; max: number }[];
}

export interface SubjectExplanation {
  subject: Subject;
  asOf: string;
  models: ModelExplanation[];
  /** Stored grade history (every change), newest first. */
  history: {
    model_id: string;
    model_version: string;
    as_of: string;
    score: number;
    grade: string;
    first_evaluated_at: string;
  }[];
}

/**
 * Explains a subject's grades live from its current records: points per indicator, the records behind each
 * deduction, the distance to the next grade and the repairs that would lift it (PIPL art. 24: an automated
 * decision must be explainable).
 */
export async function explainSubject(
  store: Store,
  catalog: Catalog,
  code: string,
  asOf = chinaToday(),
): Promise<SubjectExplanation | undefined> {
  const subject = await store.db
    .selectFrom("subjects")
    .selectAll()
    .where("code", "=", code)
    .executeTakeFirst();
  if (!subject) return undefined;
  const rows = await store.db
    .selectFrom("credit_records")
    .select(["id", "department", "category", "severity", "status", "decision_date", "fields"])
    .where("subject_code", "=", code)
    .where("is_current", "=", 1)
    .execute();
  const records: RecordFact[] = rows.map((r) => ({
    ...r,
    id: Number(r.id),
    fields: JSON.parse(r.fields) as Record<string, string | number>,
  }));
  const models = await currentModelSet(store, catalog);
  const extras = (await evalExtrasOf(store, [code], asOf)).get(code);
  const out: ModelExplanation[] = [];
  for (const { model, input, result } of evaluateSubject(models, subject, records, asOf, { extras })) {
    const e = explain(model, input, asOf);
    out.push({
      ...e,
      title: model.title,
      kind: model.kind,
      owner: model.owner,
      dimensions: model.def.dimensions.map((d) => ({
        id: d.id,
        zh: d.zh,
        en: d.en,
        points: result.dimensions[d.id] ?? 0,
        max: valueAt(d.max, asOf),
      })),
    });
  }
  const history = await store.db
    .selectFrom("evaluations")
    .select(["model_id", "model_version", "as_of", "score", "grade", "first_evaluated_at"])
    .where("subject_code", "=", code)
    .orderBy("id", "desc")
    .limit(100)
    .execute();
  return { subject, asOf, models: out, history };
}
