/**
 * Commands: every write the platform accepts from a person or a system goes through a named command in
 * `services/<area>/commands.ts`, which keeps the write and its audit entry in one transaction — both are kept,
 * or neither. Routes parse, ask src/policies/, run a command and present its result; the CLI runs the same
 * commands as a named account or as the operating-system user.
 */
import os from "node:os";
import type { Actor } from "../core/auth/roles.ts";
import type { Store } from "../store/db.ts";
import { inTransaction } from "../store/transaction.ts";
import { audit } from "./auth/audit.ts";

/** Who asks for a write and from where: what its audit entry records. */
export interface Caller {
  readonly actor: Actor;
  /** The client's address; null from the command line. */
  readonly ip: string | null;
}

/** Runs `write` and records `action` on the object it names, in one transaction. */
export function audited<T>(
  store: Store,
  caller: Caller,
  action: string,
  write: (tx: Store) => Promise<T>,
  object: (result: T) => string | null,
): Promise<T> {
  return inTransaction(store, async (tx) => {
    const result = await write(tx);
    await audit(tx, caller.actor, action, object(result), "ok", caller.ip);
    return result;
  });
}

/**
 * The caller of a command-line write: the account `--by` names (it must exist and be active), or else the
 * operating-system user (`os:<name>`), so the audit log never says only "cli".
 */
export async function commandLineCaller(store: Store, by: string | undefined): Promise<Caller> {
  if (!by) {
    const name = `os:${os.userInfo().username}`;
    return {
      actor: { kind: "user", id: null, name, role: "operator", department: null, subjectCode: null },
      ip: null,
    };
  }
  const user = await store.db
    .selectFrom("users")
    .select(["id", "username", "role", "department", "subject_code", "status"])
    .where("username", "=", by)
    .executeTakeFirst();
  if (user?.status !== "active")
    throw new Error(
      `--by ${by}: 没有这个启用的账号 / no active account of that name (leave --by out to act as the operating-system user)`,
    );
  return {
    actor: {
      kind: "user",
      id: Number(user.id),
      name: user.username,
      role: user.role as Actor["role"],
      department: user.department,
      subjectCode: user.subject_code,
    },
    ip: null,
  };
}
