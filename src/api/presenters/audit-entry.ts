import type { Selectable } from "kysely";
import type { AuditEntry } from "../../contract/admin.ts";
import type { AuditLogTable } from "../../store/schema.ts";

export function presentAuditEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    role: row.role,
    department: row.department,
    action: row.action,
    object: row.object,
    result: row.result as AuditEntry["result"],
    ip: row.ip,
  };
}
