import type { Kysely } from "kysely";

/**
 * The seed commitment of an inspection plan (docs/draw-algorithm.md §0, decision 12): published at the freeze,
 * before anyone can try seeds against the pool — JSON `{kind: "sha256", digest}` or
 * `{kind: "public-value", description, availableOn}`. Null for plans frozen before this migration: a plan
 * still frozen must record a public-value commitment before it can be drawn; a drawn one shows "no commitment".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("inspection_plans").addColumn("seed_commitment", "text").execute();
  // When the commitment was recorded: at the freeze, or later for a plan frozen before commitments existed.
  await db.schema.alterTable("inspection_plans").addColumn("committed_at", "text").execute();
}
