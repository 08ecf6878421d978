import { type RawBuilder, sql } from "kysely";

/** A LIKE pattern's own characters escaped, so a user's `%` or `_` is searched for, not a wildcard. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `column LIKE '%text%'` with the text taken literally, on both engines (SQLite has no default escape). */
export function containsText(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} LIKE ${`%${escapeLike(text)}%`} ESCAPE '\\'`;
}
