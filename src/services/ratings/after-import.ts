import type { Catalog } from "../../core/catalog/types.ts";
import type { Store } from "../../store/db.ts";
import { evaluate, type RunSummary } from "../evaluate/run.ts";
import { currentModelSet } from "../models/versions.ts";
import type { ImportResult } from "./table-import.ts";

/**
 * A committed rating or grade import re-evaluates the registered subjects it touches (decision §6), with the
 * model set in force (published versions included).
 */
export async function reevaluateImport(
  store: Store,
  catalog: Catalog,
  r: Pick<ImportResult, "status" | "subjects">,
): Promise<RunSummary | undefined> {
  if (r.status !== "committed" || r.subjects.length === 0) return undefined;
  return evaluate(store, catalog, {
    codes: r.subjects,
    kind: "incremental",
    models: await currentModelSet(store, catalog),
  });
}
