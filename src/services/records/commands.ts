import type { Catalog } from "../../core/catalog/types.ts";
import { InputError, problem } from "../../core/problem.ts";
import type { RawRecord } from "../../core/records/validate.ts";
import type { Store } from "../../store/db.ts";
import { type IngestResult, ingest } from "../collect/ingest.ts";

/**
 * Revokes (撤销) a record, e.g. a penalty annulled by a court: a new version with status `revoked`
 * and the reason. The earlier versions stay; nothing is deleted.
 */
export async function revokeRecord(
  store: Store,
  catalog: Catalog,
  id: number,
  reason: string,
  submitter: string,
  opts: { rejectsDir?: string } = {},
): Promise<IngestResult | undefined> {
  const current = await store.db
    .selectFrom("credit_records")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!current) return undefined;
  if (!current.is_current)
    throw new InputError(
      [
        problem("record.not_current", {
          zh: `记录 ${id} 不是最新版本，不能撤销`,
          en: `Record ${id} is not the current version and cannot be revoked`,
          fixZh: "撤销该记录的最新版本",
          fixEn: "Revoke the record's current version",
        }),
      ],
      409,
    );
  const raw: RawRecord = {
    ...(JSON.parse(current.fields) as RawRecord),
    category: current.category,
    department: current.department,
    doc_no: current.doc_no,
    subject_code: current.subject_code,
    subject_name: current.subject_name,
    decision_date: current.decision_date,
    severity: current.severity,
    status: "revoked",
    status_reason: reason,
  };
  return ingest(store, catalog, [[{ row: 1, raw }]], { submitter, channel: "rest", ...opts });
}
