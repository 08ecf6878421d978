import type { BatchStatus, ImportBatch, IngestResult } from "../../contract/records.ts";
import type { IngestResult as Ingested } from "../../services/collect/ingest.ts";
import type { ImportBatch as BatchRow } from "../../store/schema.ts";

/** Where a batch's rejects report is downloaded, under the API (what the web app links to). */
export function rejectsUrl(batchId: string): string {
  return `/api/v1/imports/${encodeURIComponent(batchId)}/rejects`;
}

/**
 * A batch row as callers see it: whether it has a rejects report and where to download it, instead of the
 * report's path on the server; not the host name and process id of the server that ran it (kept for
 * recovering interrupted batches, see ingest.ts).
 */
export function presentBatch(b: BatchRow): ImportBatch {
  return {
    id: b.id,
    department: b.department,
    submitter: b.submitter,
    channel: b.channel,
    fileName: b.file_name,
    fileDigest: b.file_digest,
    status: b.status as BatchStatus,
    acceptValid: Number(b.accept_valid) === 1,
    accepted: Number(b.accepted),
    rejected: Number(b.rejected),
    duplicates: Number(b.duplicates),
    versions: Number(b.versions),
    hasRejects: b.rejects_file !== null,
    ...(b.rejects_file !== null ? { rejectsUrl: rejectsUrl(b.id) } : {}),
    startedAt: b.started_at,
    finishedAt: b.finished_at,
  };
}

/**
 * An ingest result as callers see it: the rejects report as a download URL — never the server's path to the
 * file (which names its directories).
 */
export function presentIngestResult(r: Ingested): IngestResult {
  const { rejectsFile, ...rest } = r;
  return rejectsFile ? { ...rest, rejectsUrl: rejectsUrl(r.batchId) } : rest;
}
