/**
 * Files read in worker threads (file-worker.ts). Two kinds of job:
 *   - records: the worker reads, parses, validates and digests a file of credit records; the importing thread
 *     only writes. Chunks travel as flat arrays (see PreparedChunk);
 *   - table: the worker only reads a table (CSV/XLSX) and posts its rows (rating and other-grade imports).
 * Either way the worker may run at most `maxInFlight` chunks ahead of the reader, so memory stays bounded
 * whatever the file's size.
 *
 * Why threads for uploads: a file is untrusted. Read in a worker with a heap of its own
 * (policy/uploads.yaml `worker.max_heap_mb`), a file that defeats the readers' limits and exhausts memory
 * stops its worker — the import fails with a 422 — instead of the server (which once died of a 1.5 KB
 * workbook, taking every user's session with it). The request thread never parses a file.
 *
 * A worker runs one job and is then stopped: nothing of one user's file is left in the next one's thread, and
 * a worker that misbehaved is gone. Starting a worker (loading TypeScript, exceljs) costs about a second, so
 * the server keeps one started worker spare (`keepWorkerWarm`) and starts the next spare as it hands it out.
 *
 * The worker holds no connection and no transaction: killed with the process, it leaves nothing behind.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Catalog } from "../../core/catalog/types.ts";
import { InputError, problem } from "../../core/problem.ts";
import {
  type OpenTableOptions,
  resolveTableOptions,
  type TableReader,
  type TableRow,
} from "../../io/table.ts";
import { uploadsPolicy } from "../../policy/uploads.ts";
import type { PreparedChunk, PrepareSettings } from "./prepare.ts";
import {
  type FromWorker,
  type JobBase,
  type JobSpec,
  reviveError,
  type ToWorker,
  type WorkerJob,
} from "./worker-protocol.ts";

export type { FromWorker, SerializedError, ToWorker, WorkerJob } from "./worker-protocol.ts";

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

/** What a worker's own failure means to the user: out of memory is the file's doing (422), the rest is ours. */
function workerFailure(e: Error, heapMb: number): Error {
  if ((e as { code?: unknown }).code !== "ERR_WORKER_OUT_OF_MEMORY") return e;
  const mb = heapMb.toLocaleString("en-US");
  const err = new InputError(
    [
      problem("file.memory_limit", {
        zh: `读取该文件需要的内存超过平台为一个文件设定的上限（${mb} MB），导入未进行`,
        en: `Reading the file needs more memory than the platform allows one file (${mb} MB); nothing was imported`,
        fixZh: "请把数据拆分成几个较小的文件，或另存为 CSV UTF-8 格式后上传",
        fixEn: "Split the data into smaller files, or save it as CSV UTF-8, and upload again",
      }),
    ],
    422,
  );
  (err as Error & { cause?: unknown }).cause = e;
  return err;
}

// ---------------------------------------------------------------------------------------------------------
// Workers: one job each, one spare kept started

interface Booting {
  worker: Worker;
  heapMb: number;
  /** Resolves when the worker has loaded its modules and waits for a job. */
  booted: Promise<void>;
}

let spare: Booting | undefined;
let keepSpare = false;

/**
 * Keeps one started worker spare from the next job on, so an upload does not wait for a worker to start (the
 * server turns it on; the command line, which reads one file, does not).
 */
export function keepWorkerWarm(on = true): void {
  keepSpare = on;
  if (!on && spare) {
    const s = spare;
    spare = undefined;
    void s.worker.terminate();
  }
}

function boot(heapMb = uploadsPolicy().worker.max_heap_mb): Booting {
  // The bootstrap registers tsx in the worker: threads do not inherit the loader the process runs under.
  const worker = new Worker(new URL("./file-worker.mjs", import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
  });
  const booted = new Promise<void>((resolve, reject) => {
    const done = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const onMessage = (m: FromWorker) => {
      if (m.type !== "idle") return;
      done();
      resolve();
    };
    const onError = (e: Error) => {
      done();
      reject(workerFailure(e, heapMb));
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`the import worker stopped while starting (exit code ${code})`));
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
  booted.catch(() => {}); // a spare that failed is noticed (and replaced) when it is taken
  return { worker, heapMb, booted };
}

/**
 * A started worker for one job: the spare if there is one, else a new one; then the next spare starts. A heap
 * other than the policy's (tests) gets a worker of its own.
 */
async function takeWorker(heapMb?: number): Promise<Booting> {
  if (heapMb !== undefined) {
    const own = boot(heapMb);
    await own.booted.catch(async (e) => {
      await own.worker.terminate();
      throw e;
    });
    return own;
  }
  const taken = spare;
  spare = undefined;
  let worker: Booting | undefined;
  if (taken) {
    taken.worker.ref();
    try {
      await taken.booted;
      worker = taken;
    } catch {
      void taken.worker.terminate(); // a spare that died waiting: start a fresh one
    }
  }
  if (!worker) {
    const fresh = boot();
    try {
      await fresh.booted;
    } catch (e) {
      void fresh.worker.terminate();
      throw e;
    }
    worker = fresh;
  }
  // Started only now, so that it does not compete with this job's worker for the CPU while that one starts.
  if (keepSpare && !spare) {
    spare = boot();
    spare.worker.unref(); // a spare never keeps the process alive
  }
  return worker;
}

interface Channel {
  next(): Promise<FromWorker>;
  /** Tells the worker one more chunk was taken. */
  took(): void;
  post(m: ToWorker): void;
  close(): Promise<void>;
}

/**
 * Starts `job` on a worker; messages arrive in order through `next`, the worker's failure as a rejection.
 * The job's temp files go to a directory of its own, removed on close: a worker stopped mid-read (the reader
 * gave up, or it ran out of heap) runs no cleanup of its own.
 */
async function startJob(job: JobSpec, heapMb?: number): Promise<Channel> {
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), "credit-read-"));
  let booted: Booting;
  try {
    booted = await takeWorker(heapMb);
  } catch (e) {
    await rm(tmpDir, { recursive: true, force: true });
    throw e;
  }
  const { worker, heapMb: heap } = booted;
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
    failure ??= workerFailure(e, heap);
    notify();
  });
  worker.on("exit", (code) => {
    if (!closed) failure ??= new Error(`the import worker stopped (exit code ${code})`);
    notify();
  });
  worker.postMessage({ type: "job", job: { ...job, tmpDir } as WorkerJob } satisfies ToWorker);
  return {
    async next() {
      for (;;) {
        const m = queue.shift();
        if (m) return m;
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    took() {
      Atomics.add(job.taken, 0, 1);
      Atomics.notify(job.taken, 0);
    },
    post: (m) => worker.postMessage(m),
    async close() {
      if (closed) return;
      closed = true;
      await worker.terminate();
      await rm(tmpDir, { recursive: true, force: true });
    },
  };
}

/** Waits for the worker to have opened the file (header read), or throws what it found wrong. */
async function ready(ch: Channel): Promise<Extract<FromWorker, { type: "ready" }>> {
  try {
    const first = await ch.next();
    if (first.type === "error") throw reviveError(first.error);
    if (first.type !== "ready") throw new Error(`import worker: unexpected ${first.type}`);
    return first;
  } catch (e) {
    await ch.close();
    throw e;
  }
}

async function jobBase(file: string, opts: WorkerOptions): Promise<Omit<JobBase, "tmpDir">> {
  return {
    file,
    ...(opts.fileName ? { fileName: opts.fileName } : {}),
    table: await resolveTableOptions(opts.table),
    chunkRows: opts.chunkRows ?? 2048,
    maxInFlight: opts.maxInFlight ?? 4,
    taken: new Int32Array(new SharedArrayBuffer(4)),
  };
}

export interface WorkerOptions {
  /** The name the user gave the file, for messages (default: the file's own name). */
  fileName?: string;
  /** Reader options (default: policy/uploads.yaml). */
  table?: OpenTableOptions;
  chunkRows?: number;
  maxInFlight?: number;
  /** A heap limit other than policy/uploads.yaml's `worker.max_heap_mb` (tests). */
  heapMb?: number;
}

/**
 * Starts a worker on a file of credit records. Resolves once the worker has read the header; a problem with
 * the file as a whole (unreadable, beyond a limit, unknown columns) rejects with the InputError the worker
 * found, as importFile would.
 */
export async function startFileWorker(
  file: string,
  catalog: Catalog,
  opts: WorkerOptions = {},
): Promise<PreparedSource> {
  const ch = await startJob({ ...(await jobBase(file, opts)), kind: "records", catalog }, opts.heapMb);
  await ready(ch);

  async function* chunks(): AsyncIterable<PreparedChunk> {
    for (;;) {
      const m = await ch.next();
      if (m.type === "chunk") {
        ch.took();
        yield m.chunk;
      } else if (m.type === "end") return;
      else if (m.type === "error") throw reviveError(m.error);
      else throw new Error(`import worker: unexpected ${m.type}`);
    }
  }

  return {
    start(settings) {
      // Posted now, not when iteration begins: the worker checks rows while the writer gets ready.
      ch.post({ type: "start", settings });
      return chunks();
    },
    close: () => ch.close(),
  };
}

/**
 * openTable in a worker: the header, format and encoding once the worker has opened the file, then the rows.
 * Iterating the rows to the end, or breaking out, or `close`, stops the worker.
 */
export async function openTableInWorker(file: string, opts: WorkerOptions = {}): Promise<TableReader> {
  const ch = await startJob({ ...(await jobBase(file, opts)), kind: "table" }, opts.heapMb);
  const head = await ready(ch);

  async function* rows(): AsyncGenerator<TableRow[]> {
    try {
      for (;;) {
        const m = await ch.next();
        if (m.type === "rows") {
          ch.took();
          yield m.rows;
        } else if (m.type === "end") return;
        else if (m.type === "error") throw reviveError(m.error);
        else throw new Error(`import worker: unexpected ${m.type}`);
      }
    } finally {
      await ch.close();
    }
  }

  return {
    header: head.header,
    rows: rows(),
    format: head.format,
    ...(head.encoding ? { encoding: head.encoding } : {}),
    close: () => void ch.close(),
  };
}
