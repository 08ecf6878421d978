import type { InspectionObject } from "../../contract/inspections.ts";

/** A directory row as the query selects it: the subject's columns and its current public grade, if any. */
export interface InspectionObjectRow {
  code: string;
  name: string;
  type: string;
  region: string | null;
  industry_section: string | null;
  industry_division: string | null;
  grade: string | null;
  score: number | null;
}

export function presentInspectionObject(row: InspectionObjectRow): InspectionObject {
  return {
    code: row.code,
    name: row.name,
    type: row.type,
    region: row.region,
    industrySection: row.industry_section,
    industryDivision: row.industry_division,
    // A subject not graded (no current public evaluation) is NR, as the directory has always shown it.
    grade: (row.grade ?? "NR") as InspectionObject["grade"],
    score: row.score === null ? null : Number(row.score),
  };
}
