import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Catalog } from "../../core/catalog/types.ts";
import type { Store } from "../../store/db.ts";
import { type IngestOptions, type IngestResult, ingest } from "./ingest.ts";
import { openRecordTable, tableRows } from "./prepare.ts";
import { startFileWorker } from "./threaded.ts";

export async function fileDigest(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Files at least this large are checked in a worker thread while this thread writes (a worker costs a few
 * hundred milliseconds to start, which a small file does not repay).
 */
export const WORKER_MIN_BYTES = 4 * 2 ** 20;

/**
 * Imports a CSV (UTF-8 or GB18030) or XLSX file of credit records. Headers may be Chinese or English.
 * A problem with the file as a whole (unreadable, beyond a limit of policy/uploads.yaml, unknown columns)
 * rejects it before any row is read, or — found later in the file — fails the import.
 *
 * An uploaded file must be read with `worker: true` (threaded.ts says why); the command line reads a small
 * file of its own in this thread.
 */
export async function importFile(
  store: Store,
  catalog: Catalog,
  file: string,
  opts: Omit<IngestOptions, "channel" | "fileName" | "fileDigest"> & {
    channel?: IngestOptions["channel"];
    fileName?: string;
    /**
     * Read and check the rows in a worker thread; default: when the file has WORKER_MIN_BYTES or more. Always
     * for an untrusted (uploaded) file.
     */
    worker?: boolean;
  },
): Promise<IngestResult> {
  const { worker = fs.statSync(file).size >= WORKER_MIN_BYTES, ...rest } = opts;
  const ingestOpts = (digest: string): IngestOptions => ({
    ...rest,
    channel: opts.channel ?? "file",
    fileName: opts.fileName ?? path.basename(file),
    fileDigest: digest,
  });
  if (!worker) {
    const digest = await fileDigest(file);
    const { table, columns } = await openRecordTable(file, catalog, { fileName: opts.fileName });
    return ingest(store, catalog, tableRows(table, columns), ingestOpts(digest));
  }
  // The worker starts (and reads the header) while this thread hashes the file.
  const [started, digest] = await Promise.allSettled([
    startFileWorker(file, catalog, { fileName: opts.fileName }),
    fileDigest(file),
  ]);
  if (started.status === "rejected") throw started.reason;
  const source = started.value;
  try {
    if (digest.status === "rejected") throw digest.reason;
    return await ingest(store, catalog, source, ingestOpts(digest.value));
  } finally {
    await source.close();
  }
}
