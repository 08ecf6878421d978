import type { CreditRecord } from "../../contract/records.ts";
import type { RecordView } from "../../services/records/queries.ts";

/** A record version as callers see it; `subjectCode` is given by the route (masked where it must be). */
export function presentRecord(r: RecordView, subjectCode: string = r.subject_code): CreditRecord {
  return {
    id: Number(r.id),
    department: r.department,
    category: r.category,
    docNo: r.doc_no,
    version: r.version,
    isCurrent: r.is_current,
    subjectCode,
    subjectName: r.subject_name,
    decisionDate: r.decision_date,
    severity: r.severity as CreditRecord["severity"],
    status: r.status as CreditRecord["status"],
    statusReason: r.status_reason,
    subjectCorrection: r.subject_correction ?? null,
    fields: r.fields,
    digest: r.digest,
    batchId: r.batch_id,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
  };
}
