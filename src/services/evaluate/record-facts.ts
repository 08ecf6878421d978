/** Current credit records as the engine's facts, grouped by subject: what the evaluation and the what-if read. */

/** The columns of a `credit_records` row the engine looks at. */
export interface RecordRow {
  id: number | string | bigint;
  department: string;
  category: string;
  severity: string;
  status: string;
  decision_date: string;
}

/** A record row as the engine's fact, with its fields in the form the caller needs. */
export function recordFact<F>(r: RecordRow, fields: F) {
  return {
    id: Number(r.id),
    department: r.department,
    category: r.category,
    severity: r.severity,
    status: r.status,
    decision_date: r.decision_date,
    fields,
  };
}
