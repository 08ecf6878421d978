import type { DepartmentScope } from "../../policies/scope.ts";
import type { Store } from "../../store/db.ts";
import { paged } from "../../store/paged.ts";
import type { CreditRecord } from "../../store/schema.ts";
import { whereDepartment } from "../../store/where-department.ts";

export interface RecordView extends Omit<CreditRecord, "fields" | "is_current"> {
  is_current: boolean;
  fields: Record<string, string | number>;
}

export function recordView(r: CreditRecord): RecordView {
  return {
    ...r,
    is_current: r.is_current === 1,
    fields: JSON.parse(r.fields) as Record<string, string | number>,
  };
}

/** Current versions of a subject's records, newest decision first. */
export async function recordsOfSubject(
  store: Store,
  subjectCode: string,
  limit = 500,
): Promise<RecordView[]> {
  const rows = await store.db
    .selectFrom("credit_records")
    .selectAll()
    .where("subject_code", "=", subjectCode)
    .orderBy("decision_date", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map(recordView);
}

/** Every version of the record that `id` belongs to, oldest first. */
export async function recordHistory(store: Store, id: number): Promise<RecordView[] | undefined> {
  const one = await store.db.selectFrom("credit_records").selectAll().where("id", "=", id).executeTakeFirst();
  if (!one) return undefined;
  const rows = await store.db
    .selectFrom("credit_records")
    .selectAll()
    .where("department", "=", one.department)
    .where("category", "=", one.category)
    .where("doc_no", "=", one.doc_no)
    .orderBy("version")
    .execute();
  return rows.map(recordView);
}

/**
 * The versions a batch wrote as corrections of their subject, with the subject of the version before each
 * (the subject the record was taken from): both subjects are re-evaluated, and the batch shows them.
 */
export async function subjectCorrectionsOfBatch(store: Store, batchId: string) {
  return store.db
    .selectFrom("credit_records as cur")
    .innerJoin("credit_records as prev", (j) =>
      j
        .onRef("prev.department", "=", "cur.department")
        .onRef("prev.category", "=", "cur.category")
        .onRef("prev.doc_no", "=", "cur.doc_no")
        .on("prev.version", "=", (e) => e("cur.version", "-", 1)),
    )
    .select([
      "cur.id as id",
      "cur.doc_no as docNo",
      "cur.category as category",
      "prev.subject_code as from",
      "cur.subject_code as to",
      "cur.subject_correction as reason",
    ])
    .where("cur.batch_id", "=", batchId)
    .where("cur.subject_correction", "is not", null)
    .orderBy("cur.id")
    .execute();
}

export async function listBatches(
  store: Store,
  opts: { limit: number; offset: number; departments: DepartmentScope },
) {
  const q = store.db.selectFrom("import_batches").where(whereDepartment(opts.departments, "department"));
  return paged(q, opts, (q) => q.selectAll().orderBy("started_at", "desc"));
}

export async function getBatch(store: Store, id: string) {
  return store.db.selectFrom("import_batches").selectAll().where("id", "=", id).executeTakeFirst();
}
