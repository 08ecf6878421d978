import type { Selectable } from "kysely";
import type { Department } from "../../contract/admin.ts";
import type { DepartmentTable } from "../../store/schema.ts";

export function presentDepartment(row: Selectable<DepartmentTable>): Department {
  return { code: row.code, nameZh: row.name_zh, nameEn: row.name_en, createdAt: row.created_at };
}
