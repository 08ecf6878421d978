/** One page of a list and the number of all its rows: the list endpoints' `{ items, total }`. */
import type { SelectQueryBuilder, Simplify } from "kysely";

export interface PageQuery {
  limit: number;
  offset: number;
}

/**
 * The page `limit`/`offset` of a filtered query and the count of every row it matches, in parallel. `q` holds
 * the FROM, the joins and the WHERE; `rows` adds the columns (and joins that only add columns) and the order (give the order a unique last key,
 * such as the id, so that pages do not overlap).
 */
export async function paged<DB, TB extends keyof DB, O, RowTB extends keyof DB, Row>(
  q: SelectQueryBuilder<DB, TB, O>,
  page: PageQuery,
  rows: (q: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, RowTB, Row>,
): Promise<{ items: Simplify<Row>[]; total: number }> {
  const [items, total] = await Promise.all([
    rows(q).limit(page.limit).offset(page.offset).execute(),
    // The count is a bigint in PostgreSQL, which arrives as a string.
    q
      .select((eb) => eb.fn.countAll().as("n"))
      .$castTo<{ n: number | string | bigint }>()
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
