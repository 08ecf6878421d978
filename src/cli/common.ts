/** What the CLI's commands share: output lines and a prepared store for one command. */
import { catalog } from "../policy/load.ts";
import { prepareStore } from "../services/bootstrap.ts";
import { openStore, type Store } from "../store/db.ts";

export const out = (s: string) => process.stdout.write(`${s}\n`);
export const err = (s: string) => process.stderr.write(`${s}\n`);

/** Runs `fn` on the configured store, migrated and seeded, and closes it afterwards. */
export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore();
  try {
    await prepareStore(store, catalog());
    return await fn(store);
  } finally {
    await store.close();
  }
}
