import type { Catalog } from "../core/catalog/types.ts";
import type { Store } from "../store/db.ts";

/** What every route needs; built once at start. */
export interface AppContext {
  store: Store;
  catalog: Catalog;
  /** Folder for uploads in flight and rejects reports. */
  dataDir: string;
}
