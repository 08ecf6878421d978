import type { OtherGrade } from "../../contract/ratings.ts";
import type { OtherGrade as OtherGradeRow } from "../../store/schema-models-ratings.ts";

/** A grade from another system: the original beside the unified one. */
export function presentOtherGrade(row: OtherGradeRow): OtherGrade {
  return {
    id: Number(row.id),
    subjectCode: row.subject_code,
    source: row.source,
    original: row.original,
    grade: row.grade,
    rule: row.rule,
    department: row.department,
    gradeDate: row.grade_date,
    validUntil: row.valid_until,
    batchId: row.batch_id,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
  };
}
