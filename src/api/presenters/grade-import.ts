import type { Selectable } from "kysely";
import type { GradeImport } from "../../contract/ratings.ts";
import type { GradeImportTable } from "../../store/schema-models-ratings.ts";

/**
 * An import batch of ratings or grades. Where its rejects report lies on the server is not the caller's
 * business: only whether there is one (it downloads it by the batch id).
 */
export function presentGradeImport(row: Selectable<GradeImportTable>): GradeImport {
  return {
    id: row.id,
    kind: row.kind as GradeImport["kind"],
    source: row.source,
    department: row.department,
    submitter: row.submitter,
    channel: row.channel,
    fileName: row.file_name,
    status: row.status,
    accepted: Number(row.accepted),
    rejected: Number(row.rejected),
    hasRejects: row.rejects_file !== null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
