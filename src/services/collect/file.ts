import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Catalog } from "../../core/catalog/types.ts";
import { InputError } from "../../core/problem.ts";
import { resolveHeaders } from "../../io/headers.ts";
import { openTable } from "../../io/table.ts";
import type { Store } from "../../store/db.ts";
import { type IngestOptions, type IngestResult, ingest, type SourceRow } from "./ingest.ts";

export async function fileDigest(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Imports a CSV (UTF-8 or GB18030) or XLSX file of credit records. Headers may be Chinese or English.
 * A problem with the file as a whole (unreadable, unknown columns) rejects it before any row is read.
 */
export async function importFile(
  store: Store,
  catalog: Catalog,
  file: string,
  opts: Omit<IngestOptions, "channel" | "fileName" | "fileDigest"> & {
    channel?: IngestOptions["channel"];
    fileName?: string;
  },
): Promise<IngestResult> {
  const digest = await fileDigest(file);
  const table = await openTable({ path: file });
  const dictionary = [...catalog.envelope, ...catalog.fields];
  const { columns, problems } = resolveHeaders(table.header, dictionary);
  if (problems.length > 0) throw new InputError(problems);
  async function* rows(): AsyncIterable<SourceRow[]> {
    for await (const chunk of table.rows) {
      const out: SourceRow[] = new Array(chunk.length);
      for (let i = 0; i < chunk.length; i++) {
        const r = chunk[i]!;
        const raw: Record<string, string> = {};
        for (let c = 0; c < columns.length; c++) {
          const key = columns[c];
          const v = r.cells[c];
          if (key && v !== undefined && v !== "") raw[key] = v;
        }
        out[i] = r.problems?.length ? { row: r.row, raw, problems: r.problems } : { row: r.row, raw };
      }
      yield out;
    }
  }
  return ingest(store, catalog, rows(), {
    ...opts,
    channel: opts.channel ?? "file",
    fileName: opts.fileName ?? path.basename(file),
    fileDigest: digest,
  });
}
