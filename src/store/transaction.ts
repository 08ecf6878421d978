import type { Store } from "./db.ts";

/**
 * Runs `fn` in a transaction: a new one, or the caller's when `store` is already inside one (Kysely does not
 * nest transactions), so a command can hold a service's writes and its audit entry in one.
 */
export async function inTransaction<T>(store: Store, fn: (tx: Store) => Promise<T>): Promise<T> {
  if (store.db.isTransaction) return fn(store);
  return store.db.transaction().execute((trx) => fn({ ...store, db: trx }));
}
