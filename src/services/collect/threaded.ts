/**
 * A file's rows checked in a worker thread (file-worker.ts): the worker reads, parses, validates and digests;
 * the importing thread only writes. Chunks travel as flat arrays (see PreparedChunk) and the worker may run
 * at most `maxInFlight` chunks ahead of the writer, so memory stays bounded whatever the file's size.
 *
 * The worker holds no connection and no transaction: killed with the process, it leaves nothing behind.
 */
import { Worker } from "node:worker_threads";
import type { Catalog } from "../../core/catalog/types.ts";
import { InputError, type Problem } from "../../core/problem.ts";
import type { PreparedChunk, PrepareSettings } from "./prepare.ts";

/** A source whose rows arrive already checked (see ingest). */
export interface PreparedSource {
  /** Starts checking with these settings; iterate once. */
  start(settings: PrepareSettings): AsyncIterable<PreparedChunk>;
  /** Stops the worker (safe to call more than once). */
  close(): Promise<void>;
}

export function isPreparedSource(source: unknown): source is PreparedSource {
  return typeof (source as PreparedSource | undefined)?.start === "function";
}

export interface FileWorkerData {
  file: string;
  catalog: Catalog;
  /** Rows per chunk posted. */
  chunkRows: number;
  /** Chunks the worker may post before the writer has taken them. */
  maxInFlight: number;
  /** [0]: chunks the writer has taken so far (shared, so taking one costs no message). */
  taken: Int32Array;
}

export type ToWorker = { type: "start"; settings: PrepareSettings };

export type SerializedError =
  | { kind: "input"; problems: Problem[]; status: number }
  | { kind: "error"; message: string; stack?: string };

export type FromWorker =
  | { type: "ready" }
  | { type: "chunk"; chunk: PreparedChunk }
  | { type: "end" }
  | { type: "error"; error: SerializedError };

export function serializeError(e: unknown): SerializedError {
  if (e instanceof InputError) return { kind: "input", problems: e.problems, status: e.status };
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: "error", message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
}

function reviveError(s: SerializedError): Error {
  if (s.kind === "input") return new InputError(s.problems, s.status);
  const e = new Error(s.message);
  if (s.stack) e.stack = s.stack;
  return e;
}

/**
 * Starts a worker on `file`. Resolves once the worker has read the header; a problem with the file as a
 * whole (unreadable, unknown columns) rejects with the InputError the worker found, as importFile would.
 */
export async function startFileWorker(
  file: string,
  catalog: Catalog,
  opts: { chunkRows?: number; maxInFlight?: number } = {},
): Promise<PreparedSource> {
  const workerData: FileWorkerData = {
    file,
    catalog,
    chunkRows: opts.chunkRows ?? 2048,
    maxInFlight: opts.maxInFlight ?? 4,
    taken: new Int32Array(new SharedArrayBuffer(4)),
  };
  const taken = workerData.taken;
  // The bootstrap registers tsx in the worker: threads do not inherit the loader the process runs under.
  const worker = new Worker(new URL("./file-worker.mjs", import.meta.url), { workerData });
  const queue: FromWorker[] = [];
  let failure: Error | undefined;
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  worker.on("message", (m: FromWorker) => {
    queue.push(m);
    notify();
  });
  worker.on("error", (e) => {
    failure ??= e;
    notify();
  });
  worker.on("exit", (code) => {
    if (!closed) failure ??= new Error(`the import worker stopped (exit code ${code})`);
    notify();
  });
  const next = async (): Promise<FromWorker> => {
    for (;;) {
      const m = queue.shift();
      if (m) return m;
      if (failure) throw failure;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    await worker.terminate();
  };

  try {
    const first = await next();
    if (first.type === "error") throw reviveError(first.error);
    if (first.type !== "ready") throw new Error(`import worker: unexpected ${first.type}`);
  } catch (e) {
    await close();
    throw e;
  }

  async function* chunks(): AsyncIterable<PreparedChunk> {
    for (;;) {
      const m = await next();
      if (m.type === "chunk") {
        Atomics.add(taken, 0, 1);
        Atomics.notify(taken, 0);
        yield m.chunk;
      } else if (m.type === "end") return;
      else if (m.type === "error") throw reviveError(m.error);
      else throw new Error(`import worker: unexpected ${m.type}`);
    }
  }

  return {
    start(settings) {
      // Posted now, not when iteration begins: the worker checks rows while the writer gets ready.
      worker.postMessage({ type: "start", settings } satisfies ToWorker);
      return chunks();
    },
    close,
  };
}
