/** Publishing a model version, with its audit entry in the same transaction: the API and the command line call it. */
import type { Catalog } from "../../core/catalog/types.ts";
import type { Store } from "../../store/db.ts";
import { audited, type Caller } from "../command.ts";
import { type PublishResult, publishModel } from "./versions.ts";

export const publishModelVersion = (
  store: Store,
  caller: Caller,
  catalog: Catalog,
  text: string,
  opts: { id?: string; note?: string; name?: string },
): Promise<PublishResult> =>
  audited(
    store,
    caller,
    "model.publish",
    (tx) => publishModel(tx, catalog, text, { ...opts, by: caller.actor.name }),
    (r) => `${r.modelId} ${r.previousVersion}→${r.version} ${r.digest.slice(0, 12)}`,
  );
