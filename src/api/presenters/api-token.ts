import type { Selectable } from "kysely";
import type { ApiToken } from "../../contract/admin.ts";
import type { ApiTokenTable } from "../../store/schema.ts";

/** An API token as its issuers see it: never the secret's hash (the secret itself is shown once, at issue). */
export function presentApiToken(row: Selectable<ApiTokenTable>): ApiToken {
  return {
    id: Number(row.id),
    name: row.name,
    department: row.department,
    scopes: JSON.parse(row.scopes) as string[],
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}
