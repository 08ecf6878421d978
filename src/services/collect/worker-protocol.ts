/**
 * The messages between threaded.ts (the reading side) and file-worker.ts (the worker). A module of its own so
 * the worker loads only what it needs: not the policy loader threaded.ts uses (a third of a second to load).
 */
import type { Catalog } from "../../core/catalog/types.ts";
import { InputError, type Problem } from "../../core/problem.ts";
import type { ResolvedTableOptions, TableReader, TableRow } from "../../io/table.ts";
import type { PreparedChunk, PrepareSettings } from "./prepare.ts";

export interface JobBase {
  file: string;
  /** The name the user gave the file (for messages). */
  fileName?: string;
  /** Reader options with the policy's defaults filled in (the worker reads no policy of its own). */
  table: ResolvedTableOptions;
  /** Rows per chunk posted. */
  chunkRows: number;
  /** Chunks the worker may post before the reader has taken them. */
  maxInFlight: number;
  /** [0]: chunks the reader has taken so far (shared, so taking one costs no message). */
  taken: Int32Array;
  /** The worker's temp directory (the reading side removes it when the job ends, however it ends). */
  tmpDir: string;
}

export type WorkerJob = (JobBase & { kind: "records"; catalog: Catalog }) | (JobBase & { kind: "table" });

/** A job before its temp directory is made (threaded.ts adds it). */
export type JobSpec = WorkerJob extends infer J ? (J extends unknown ? Omit<J, "tmpDir"> : never) : never;

export type ToWorker = { type: "job"; job: WorkerJob } | { type: "start"; settings: PrepareSettings };

export type SerializedError =
  | { kind: "input"; problems: Problem[]; status: number }
  | { kind: "error"; message: string; stack?: string };

export type FromWorker =
  | { type: "idle" }
  | { type: "ready"; header: string[]; format: TableReader["format"]; encoding?: string }
  | { type: "chunk"; chunk: PreparedChunk }
  | { type: "rows"; rows: TableRow[] }
  | { type: "end" }
  | { type: "error"; error: SerializedError };

export function serializeError(e: unknown): SerializedError {
  if (e instanceof InputError) return { kind: "input", problems: e.problems, status: e.status };
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: "error", message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
}

export function reviveError(s: SerializedError): Error {
  if (s.kind === "input") return new InputError(s.problems, s.status);
  const e = new Error(s.message);
  if (s.stack) e.stack = s.stack;
  return e;
}
