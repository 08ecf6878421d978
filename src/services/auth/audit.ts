import type { Actor } from "../../core/auth/roles.ts";
import type { Store } from "../../store/db.ts";
import { paged } from "../../store/paged.ts";

/** An audit record: who (actor, role, department), did what, to what, with what result, from where. */
export async function audit(
  store: Store,
  actor: Actor,
  action: string,
  object: string | null,
  result: "ok" | "denied" | "failed",
  ip: string | null = null,
): Promise<void> {
  await store.db
    .insertInto("audit_log")
    .values({
      at: new Date().toISOString(),
      actor: actor.name,
      role: actor.role,
      department: actor.department,
      action,
      object: object === null ? null : object.slice(0, 500),
      result,
      ip,
    })
    .execute();
}

export async function listAudit(
  store: Store,
  opts: { limit: number; offset: number; actor?: string; action?: string },
) {
  let q = store.db.selectFrom("audit_log");
  if (opts.actor) q = q.where("actor", "=", opts.actor);
  if (opts.action) q = q.where("action", "=", opts.action);
  return paged(q, opts, (q) => q.selectAll().orderBy("id", "desc"));
}
