import type { Catalog } from "../../core/catalog/types.ts";
import type { Store } from "../../store/db.ts";
import type { IngestResult } from "../collect/ingest.ts";
import { subjectCorrectionsOfBatch } from "../records/queries.ts";
import { evaluate, type RunSummary } from "./run.ts";

/**
 * Every change to records re-evaluates the subjects it touches: after a committed batch, the registered
 * subjects with records in it get new results (incremental evaluation).
 */
export async function reevaluateBatch(
  store: Store,
  catalog: Catalog,
  result: Pick<IngestResult, "batchId" | "status" | "accepted">,
): Promise<RunSummary | undefined> {
  if (result.status !== "committed" || result.accepted === 0) return undefined;
  const rows = await store.db
    .selectFrom("credit_records")
    .select("subject_code")
    .distinct()
    .where("batch_id", "=", result.batchId)
    .execute();
  // A version that corrected its subject took the record away from the subject of the version before it.
  const previous = (await subjectCorrectionsOfBatch(store, result.batchId)).map((c) => ({
    subject_code: c.from,
  }));
  const codes = [...new Set([...rows, ...previous].map((r) => r.subject_code))];
  if (codes.length === 0) return undefined;
  return evaluate(store, catalog, { codes, kind: "incremental" });
}
