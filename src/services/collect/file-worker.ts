/**
 * Worker thread of a file import (started by threaded.ts through file-worker.mjs): reads the file, checks
 * its rows and posts them in chunks, never more than `maxInFlight` chunks ahead of the writer.
 */
import { parentPort, workerData } from "node:worker_threads";
import {
  emptyChunk,
  openRecordTable,
  type PreparedChunk,
  Preparer,
  type PrepareSettings,
  tableRows,
} from "./prepare.ts";
import { type FileWorkerData, type FromWorker, serializeError, type ToWorker } from "./threaded.ts";

const port = parentPort!;
const data = workerData as FileWorkerData;
const post = (m: FromWorker) => port.postMessage(m);

let settings: PrepareSettings | undefined;
let started: (() => void) | undefined;
port.on("message", (m: ToWorker) => {
  if (m.type === "start") {
    settings = m.settings;
    started?.();
  }
});

// Atomics.waitAsync (Node 16+) is newer than the TypeScript lib this project targets.
const { waitAsync } = Atomics as unknown as {
  waitAsync(
    a: Int32Array,
    index: number,
    value: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
};

/** Posts a chunk once the writer has taken all but `maxInFlight - 1` of those posted before. */
let sent = 0;
async function send(chunk: PreparedChunk): Promise<void> {
  for (;;) {
    const taken = Atomics.load(data.taken, 0);
    if (sent - taken < data.maxInFlight) break;
    const wait = waitAsync(data.taken, 0, taken);
    if (wait.async) await wait.value;
  }
  sent++;
  post({ type: "chunk", chunk });
}

try {
  const { table, columns } = await openRecordTable(data.file, data.catalog);
  post({ type: "ready" });
  if (!settings)
    await new Promise<void>((resolve) => {
      started = resolve;
    });
  const preparer = new Preparer(data.catalog, settings!);
  let out = emptyChunk();
  for await (const rows of tableRows(table, columns)) {
    preparer.add(rows, out);
    if (out.rows >= data.chunkRows) {
      await send(out);
      out = emptyChunk();
    }
  }
  if (out.rows > 0) await send(out);
  post({ type: "end" });
} catch (e) {
  post({ type: "error", error: serializeError(e) });
}
