import type { Selectable } from "kysely";
import type { User } from "../../contract/admin.ts";
import type { UserTable } from "../../store/schema.ts";

/** A user account as administrators see it: never the password hash, failure count or lock. */
export function presentUser(row: Selectable<UserTable>): User {
  return {
    id: Number(row.id),
    username: row.username,
    displayName: row.display_name,
    role: row.role as User["role"],
    department: row.department,
    subjectCode: row.subject_code,
    status: row.status as User["status"],
    mustChangePassword: row.must_change_password === 1,
    lastLoginAt: row.last_login_at,
  };
}
