import { type Actor, type Permission, TOKEN_SCOPES } from "../../core/auth/roles.ts";
import { InputError, problem } from "../../core/problem.ts";
import type { DepartmentScope } from "../../policies/scope.ts";
import { security } from "../../policy/load.ts";
import type { Store } from "../../store/db.ts";
import { whereDepartment } from "../../store/where-department.ts";
import { randomSecret, sha256 } from "./password.ts";

/** Token text: `ct_<id>_<secret>`; only the secret's SHA-256 is stored. */
export const TOKEN_PREFIX = "ct_";

export async function createToken(
  store: Store,
  by: Actor,
  t: { name: string; department: string; scopes: Permission[]; expiresInDays: number },
): Promise<{ id: number; token: string }> {
  const max = security().tokens.max_days;
  const problems = [];
  const bad = t.scopes.filter((s) => !TOKEN_SCOPES.includes(s));
  if (bad.length)
    problems.push(
      problem(
        "token.scope",
        {
          zh: `令牌不能授予这些权限：${bad.join("、")}`,
          en: `A token cannot carry: ${bad.join(", ")}`,
          fixZh: `可选：${TOKEN_SCOPES.join("、")}`,
          fixEn: `Choose from: ${TOKEN_SCOPES.join(", ")}`,
        },
        { field: "scopes" },
      ),
    );
  if (t.expiresInDays > max)
    problems.push(
      problem(
        "token.expiry",
        {
          zh: `有效期不能超过 ${max} 天`,
          en: `A token may be valid for at most ${max} days`,
          fixZh: `填写 1～${max}`,
          fixEn: `Give 1 to ${max}`,
        },
        { field: "expiresInDays" },
      ),
    );
  if (problems.length) throw new InputError(problems);
  const secret = randomSecret();
  const now = new Date();
  const row = await store.db
    .insertInto("api_tokens")
    .values({
      name: t.name,
      secret_hash: sha256(secret),
      department: t.department,
      scopes: JSON.stringify(t.scopes),
      created_by: by.name,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + t.expiresInDays * 86_400_000).toISOString(),
      revoked_at: null,
      last_used_at: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), token: `${TOKEN_PREFIX}${row.id}_${secret}` };
}

/** The actor behind a bearer token, if it is known, matches, is not revoked and has not expired. */
export async function actorOfToken(store: Store, token: string): Promise<Actor | undefined> {
  const m = /^ct_(\d+)_([A-Za-z0-9_-]{20,})$/.exec(token);
  if (!m) return undefined;
  const row = await store.db
    .selectFrom("api_tokens")
    .selectAll()
    .where("id", "=", Number(m[1]))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.expires_at < new Date().toISOString()) return undefined;
  if (row.secret_hash !== sha256(m[2]!)) return undefined;
  await store.db
    .updateTable("api_tokens")
    .set({ last_used_at: new Date().toISOString() })
    .where("id", "=", row.id)
    .execute();
  return {
    kind: "token",
    id: Number(row.id),
    name: `token:${row.name}`,
    role: "token",
    department: row.department,
    subjectCode: null,
    scopes: JSON.parse(row.scopes) as Permission[],
  };
}

/** Tokens newest first, of the departments in scope; the route presents them without their hash. */
export async function listTokens(store: Store, departments: DepartmentScope) {
  return store.db
    .selectFrom("api_tokens")
    .selectAll()
    .where(whereDepartment(departments, "department"))
    .orderBy("id", "desc")
    .execute();
}

export async function getToken(store: Store, id: number) {
  return store.db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function revokeToken(store: Store, id: number): Promise<void> {
  await store.db
    .updateTable("api_tokens")
    .set({ revoked_at: new Date().toISOString() })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .execute();
}
