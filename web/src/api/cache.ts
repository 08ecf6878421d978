/** Answers shared by every page for the session (reference data), keyed by name. */
const cache = new Map<string, Promise<unknown>>();
const listeners = new Map<string, Set<() => void>>();

/** The cached answer for `key`, loading it on first use; a failed load is forgotten so it can be retried. */
export function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Called when `key` is invalidated; returns the unsubscribe function. */
export function subscribe(key: string, fn: () => void): () => void {
  let set = listeners.get(key);
  if (!set) {
    set = new Set();
    listeners.set(key, set);
  }
  set.add(fn);
  return () => {
    set.delete(fn);
  };
}

/** Forget one answer (after an edit) and tell its users to load it again. */
export function invalidate(key: string): void {
  cache.delete(key);
  for (const fn of listeners.get(key) ?? []) fn();
}

/** Forget everything (signing in or out: what a user may read differs). */
export function clearReferenceCache(): void {
  cache.clear();
}
