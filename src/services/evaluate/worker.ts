/**
 * A batch-evaluation worker thread: reads a range of subject codes through its own read-only connection,
 * evaluates them chunk by chunk and posts each chunk's changes to the thread that writes (run.ts). It may run
 * at most `maxInFlight` chunks ahead of the writer, so memory stays bounded.
 */
import { parentPort, workerData } from "node:worker_threads";
import SQLite from "better-sqlite3";
import type { Catalog } from "../../core/catalog/types.ts";
import { openStore, type Store } from "../../store/db.ts";
import { modelSetWith, type PublishedModel } from "../models/versions.ts";
import { ChunkEvaluator, type ChunkOut, type SubjectIn } from "./chunk.ts";
import { evalExtrasOf } from "./extras.ts";
import { FieldProjector, fieldsRead } from "./fields.ts";
import { evaluateRange, SqliteReader } from "./sqlite-read.ts";

export interface EvalWorkerData {
  file: string;
  catalog: Catalog;
  /** Published model versions in force (the worker builds the same model set as the writing thread). */
  published: PublishedModel[];
  asOf: string;
  /** Codes in (after, upTo]. */
  after: string;
  upTo: string;
  chunk: number;
  maxInFlight: number;
  /** Whether market ratings or other grades exist (then they are read per chunk). */
  extras: boolean;
}

export type FromEvalWorker =
  | { type: "chunk"; out: ChunkOut }
  | { type: "end" }
  | { type: "error"; message: string; stack?: string | undefined };

const port = parentPort!;
const data = workerData as EvalWorkerData;
let inFlight = 0;
let wake: (() => void) | undefined;
port.on("message", (m: { type: "ack" }) => {
  if (m.type === "ack") {
    inFlight--;
    wake?.();
  }
});

const db = new SQLite(data.file, { readonly: true, fileMustExist: true });
let extrasStore: Store | undefined;
try {
  db.pragma("busy_timeout = 5000");
  const models = modelSetWith(data.catalog, data.published);
  const reader = new SqliteReader(db, new FieldProjector(fieldsRead(models.all)));
  const evaluator = new ChunkEvaluator(models, data.asOf);
  if (data.extras) extrasStore = openStore({ url: data.file });
  const prepare = extrasStore
    ? async (subjects: SubjectIn[]) => {
        const extras = await evalExtrasOf(
          extrasStore!,
          subjects.map((s) => s.subject.code),
          data.asOf,
        );
        for (const s of subjects) s.extras = extras.get(s.subject.code);
      }
    : undefined;
  for (let after = data.after; ; ) {
    const c = await evaluateRange(reader, evaluator, after, data.upTo, data.chunk, prepare);
    if (c === null) break;
    inFlight++;
    port.postMessage({ type: "chunk", out: c.out } satisfies FromEvalWorker);
    while (inFlight >= data.maxInFlight) await new Promise<void>((r) => (wake = r));
    after = c.last;
  }
  port.postMessage({ type: "end" } satisfies FromEvalWorker);
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  port.postMessage({ type: "error", message: err.message, stack: err.stack } satisfies FromEvalWorker);
} finally {
  db.close();
  await extrasStore?.close();
  // The ack listener must not keep the thread alive once everything is posted.
  port.unref();
}
