import type { FastifySchema } from "fastify";
import type { Permission } from "../core/auth/roles.ts";

/**
 * A route's options in one call: the permission it needs (src/core/auth/roles.ts; the permission hook decides on
 * it) and its OpenAPI description under the file's tags. `const adminOp = operations(["admin"])`, then
 * `app.get("/users", adminOp("users.manage", "用户列表 Users", { querystring, response }), handler)`.
 */
export function operations(tags: readonly string[]) {
  return <const S extends FastifySchema = Record<never, never>>(
    permission: Permission,
    summary: string,
    schema?: S,
    options: { bodyLimit?: number } = {},
  ) => ({
    ...options,
    config: { permission },
    schema: { tags: [...tags], summary, ...(schema as S) },
  });
}
