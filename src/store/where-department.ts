import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { DepartmentScope } from "../policies/scope.ts";

/** The scope as a SQL condition on a department column: `q.where(whereDepartment(scope, "t.department"))`. */
export function whereDepartment(scope: DepartmentScope, column: string): RawBuilder<SqlBool> {
  if (scope.kind === "all") return sql<SqlBool>`1 = 1`;
  if (scope.kind === "none") return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${sql.ref(column)} = ${scope.department}`;
}
