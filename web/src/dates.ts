/** Today in China (UTC+8) as YYYY-MM-DD: the date the server gives records, ratings and inspections. */
export function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}
