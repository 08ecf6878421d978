/**
 * Imports running in this process, for progress bars. The batch row in the database is the record of
 * truth; this only adds how far a running import has read.
 */
const running = new Map<string, { rowsRead: number }>();

export function trackImport(batchId: string): (rowsRead: number) => void {
  const state = { rowsRead: 0 };
  running.set(batchId, state);
  return (n) => {
    state.rowsRead = n;
  };
}

export function untrackImport(batchId: string): void {
  running.delete(batchId);
}

export function importProgress(batchId: string): { rowsRead: number } | undefined {
  return running.get(batchId);
}
