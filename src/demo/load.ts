/**
 * Loads a demo city into a store: subjects through the bulk path, records through `ingest` — the one path
 * by which records enter — in large all-or-nothing batches, so memory stays bounded at any city size.
 */
import type { Catalog } from "../core/catalog/types.ts";
import { formatProblem } from "../core/problem.ts";
import { catalog as defaultCatalog } from "../policy/load.ts";
import { chinaToday, ingest, type SourceRow } from "../services/collect/ingest.ts";
import { insertSubjects } from "../services/subjects/bulk.ts";
import type { Store } from "../store/db.ts";
import { generateSubjects, RecordGenerator } from "./generate.ts";

export interface DemoProgress {
  phase: "subjects" | "records";
  /** Subjects generated so far. */
  subjects: number;
  /** Records read by ingest so far (all batches). */
  records: number;
  /** Subjects the city will have. */
  total: number;
}

export interface LoadDemoOptions {
  subjects: number;
  seed: string;
  /** The city's today (ISO date): decision dates never fall after it. Default: today in China. */
  today?: string;
  onProgress?: (p: DemoProgress) => void;
  /**
   * Subjects whose records go into one ingest (one transaction; default 100,000, about a million records).
   * Memory stays bounded at any size: subjects are regenerated, not kept, and records are made as ingest reads.
   */
  batchSubjects?: number;
  /** Where a rejects report would go (only a generator bug produces one); default ingest's. */
  rejectsDir?: string;
  catalog?: Catalog;
}

export interface LoadDemoResult {
  /** Subjects written (codes already stored are skipped). */
  subjects: number;
  /** Records written (resubmissions of stored records are no-ops). */
  records: number;
  seconds: number;
}

const CHUNK = 10_000;
/** Subjects per ingest: about a million records, one transaction. */
const BATCH = 100_000;

/** Registers the catalog's departments that the `departments` table does not have yet. */
export async function registerDepartments(store: Store, catalog: Catalog, now = new Date().toISOString()) {
  if (catalog.departments.length === 0) return;
  await store.db
    .insertInto("departments")
    .values(catalog.departments.map((d) => ({ code: d.code, name_zh: d.zh, name_en: d.en, created_at: now })))
    .onConflict((oc) => oc.column("code").doNothing())
    .execute();
}

export async function loadDemo(store: Store, opts: LoadDemoOptions): Promise<LoadDemoResult> {
  const started = performance.now();
  const catalog = opts.catalog ?? defaultCatalog();
  const today = opts.today ?? chinaToday();
  const batchSize = Math.max(1, opts.batchSubjects ?? BATCH);
  await registerDepartments(store, catalog);

  const records = new RecordGenerator(opts.seed, today, catalog);
  const chunkSize = Math.min(CHUNK, batchSize);
  const now = new Date().toISOString();
  let insertedSubjects = 0;
  let insertedRecords = 0;
  let read = 0;

  for (let from = 0; from < opts.subjects; from += batchSize) {
    const to = Math.min(opts.subjects, from + batchSize);
    const stretch = () => generateSubjects(to, opts.seed, { today, chunkSize, from });
    for (const chunk of stretch()) {
      insertedSubjects += (await insertSubjects(store, chunk, now)).inserted;
      const done = chunk[chunk.length - 1]!.index + 1;
      opts.onProgress?.({ phase: "subjects", subjects: done, records: read, total: opts.subjects });
    }
    // The stretch is generated again rather than kept: a subject costs less to regenerate than to hold, and
    // SQLite cannot take the subjects while the ingest transaction holds the write lock.
    let row = 0;
    const readBefore = read;
    const source = function* (): Generator<SourceRow[]> {
      for (const chunk of stretch()) yield records.records(chunk).map((raw) => ({ row: ++row, raw }));
    };
    const result = await ingest(store, catalog, source(), {
      channel: "demo",
      submitter: "demo",
      acceptValid: false,
      today,
      ...(opts.rejectsDir ? { rejectsDir: opts.rejectsDir } : {}),
      keepProblems: 20,
      onProgress: (n) =>
        opts.onProgress?.({ phase: "records", subjects: to, records: readBefore + n, total: opts.subjects }),
    });
    if (result.status !== "committed") {
      const first = result.problems
        .slice(0, 5)
        .map((p) => formatProblem(p, "en"))
        .join("\n  ");
      throw new Error(
        `demo generator bug: ingest rejected ${result.rejected} of its records (batch ${result.batchId}` +
          `${result.rejectsFile ? `, report ${result.rejectsFile}` : ""}):\n  ${first}`,
      );
    }
    read += row;
    insertedRecords += result.accepted;
  }

  return {
    subjects: insertedSubjects,
    records: insertedRecords,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}
