/**
 * Worker thread of a file read (started by threaded.ts through file-worker.mjs; messages: worker-protocol.ts). It loads its modules, says
 * it is idle, and runs the one job it is then given:
 *   - records: reads the file, checks its rows and posts them in chunks;
 *   - table: reads the file and posts its rows as read;
 * never more than `maxInFlight` chunks ahead of the reader. The thread is stopped after the job.
 */
import { parentPort } from "node:worker_threads";
import { openTable, type TableRow } from "../../io/table.ts";
import {
  emptyChunk,
  openRecordTable,
  type PreparedChunk,
  Preparer,
  type PrepareSettings,
  tableRows,
} from "./prepare.ts";
import { type FromWorker, serializeError, type ToWorker, type WorkerJob } from "./worker-protocol.ts";

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

let busy = false;
let settings: PrepareSettings | undefined;
let started: (() => void) | undefined;
port.on("message", (m: ToWorker) => {
  if (m.type === "job" && !busy) {
    busy = true;
    void run(m.job);
  } else if (m.type === "start") {
    settings = m.settings;
    started?.();
  }
});
post({ type: "idle" });
// A spare worker loads the XLSX reader (exceljs, most of a second) while it waits; a worker started for a job
// at once does not delay a CSV file with it.
setTimeout(() => {
  if (!busy) import("../../io/xlsx.ts").catch(() => {});
}, 100).unref();

// Atomics.waitAsync (Node 16+) is newer than the TypeScript lib this project targets.
const { waitAsync } = Atomics as unknown as {
  waitAsync(
    a: Int32Array,
    index: number,
    value: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
};

async function run(job: WorkerJob): Promise<void> {
  // A worker's environment is its own copy: temp files (the XLSX reader's) go where the reading side cleans up.
  process.env.TMPDIR = job.tmpDir;
  /** Posts a chunk once the reader has taken all but `maxInFlight - 1` of those posted before. */
  let sent = 0;
  const send = async (m: FromWorker): Promise<void> => {
    for (;;) {
      const taken = Atomics.load(job.taken, 0);
      if (sent - taken < job.maxInFlight) break;
      const wait = waitAsync(job.taken, 0, taken);
      if (wait.async) await wait.value;
    }
    sent++;
    post(m);
  };
  const tableOpts = { ...job.table, ...(job.fileName ? { fileName: job.fileName } : {}) };

  try {
    if (job.kind === "records") {
      const { table, columns } = await openRecordTable(job.file, job.catalog, tableOpts);
      post({ type: "ready", header: table.header, format: table.format });
      if (!settings)
        await new Promise<void>((resolve) => {
          started = resolve;
        });
      const preparer = new Preparer(job.catalog, settings!);
      let out: PreparedChunk = emptyChunk();
      for await (const rows of tableRows(table, columns)) {
        preparer.add(rows, out);
        if (out.rows >= job.chunkRows) {
          await send({ type: "chunk", chunk: out });
          out = emptyChunk();
        }
      }
      if (out.rows > 0) await send({ type: "chunk", chunk: out });
    } else {
      const table = await openTable(
        { path: job.file, ...(job.fileName ? { fileName: job.fileName } : {}) },
        job.table,
      );
      post({
        type: "ready",
        header: table.header,
        format: table.format,
        ...(table.encoding ? { encoding: table.encoding } : {}),
      });
      let out: TableRow[] = [];
      for await (const rows of table.rows) {
        for (const r of rows) out.push(r);
        if (out.length >= job.chunkRows) {
          await send({ type: "rows", rows: out });
          out = [];
        }
      }
      if (out.length > 0) await send({ type: "rows", rows: out });
    }
    post({ type: "end" });
  } catch (e) {
    post({ type: "error", error: serializeError(e) });
  }
}
