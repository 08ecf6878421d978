import type { Catalog } from "../core/catalog/types.ts";
import type { Store } from "../store/db.ts";
import { migrate } from "../store/migrations/index.ts";
import { recoverInterruptedBatches } from "./collect/ingest.ts";

/** Brings a store up to date: schema, the departments named by policy, and batches a crash left running. */
export async function prepareStore(store: Store, catalog: Catalog): Promise<void> {
  await migrate(store);
  const now = new Date().toISOString();
  for (const d of catalog.departments) {
    await store.db
      .insertInto("departments")
      .values({ code: d.code, name_zh: d.zh, name_en: d.en, created_at: now })
      .onConflict((oc) => oc.column("code").doNothing())
      .execute();
  }
  await recoverInterruptedBatches(store);
}
