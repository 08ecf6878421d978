import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can, PERMISSIONS, type Permission, ROLES } from "../core/auth/roles.ts";
import { openTestApp, TEST_USERS, type TestApp } from "./testing.ts";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t.close());

const sample: Record<string, string> = { id: "999999", code: "91350100M000100Y43", category: "PENALTY" };
const fill = (url: string) => url.replace(/:(\w+)/g, (_m, k: string) => sample[k] ?? "x");

describe("permission matrix: every API route × every role", () => {
  it("every API route declares a known permission", () => {
    const api = t.app.routeTable.filter((r) => r.url.startsWith("/api/v1/"));
    expect(api.length).toBeGreaterThan(20);
    for (const r of api) expect(Object.keys(PERMISSIONS), `${r.method} ${r.url}`).toContain(r.permission);
  });

  it("allows exactly the roles the policy names, and answers 401 / 403 otherwise", async () => {
    const api = t.app.routeTable.filter(
      (r) => r.url.startsWith("/api/v1/") && r.url !== "/api/v1/auth/logout",
    );
    const callers = [{ username: "public", role: "public" as const }, ...TEST_USERS];
    const failures: string[] = [];
    let checked = 0;
    for (const r of api) {
      for (const c of callers) {
        const res = await t.app.inject({
          method: r.method as "GET",
          url: fill(r.url),
          headers: c.username === "public" ? {} : { cookie: t.cookies[c.username]! },
        });
        const permission = r.permission as Permission;
        const allowed =
          permission === "public" ||
          (c.role !== "public" && (PERMISSIONS[permission] as readonly string[]).includes(c.role));
        const expected = allowed ? "allowed" : c.role === "public" ? 401 : 403;
        const got = res.statusCode === 401 || res.statusCode === 403 ? res.statusCode : "allowed";
        // A signed-in enterprise user asking for /auth/me etc. is allowed; 401 from a public-route is fine only for /auth/me.
        const ok = got === expected || (r.url === "/api/v1/auth/me" && c.role === "public" && got === 401);
        if (!ok)
          failures.push(`${r.method} ${r.url} as ${c.role}: expected ${expected}, got ${res.statusCode}`);
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  it("the declared policy matches can()", () => {
    for (const role of ROLES)
      for (const p of Object.keys(PERMISSIONS) as Permission[])
        if (p !== "public")
          expect(can({ kind: "user", id: 1, name: "x", role, department: null, subjectCode: null }, p)).toBe(
            (PERMISSIONS[p] as readonly string[]).includes(role),
          );
  });

  it("keeps separation of duties: no role administers users, audits and submits at once", () => {
    for (const role of ROLES) {
      const has = (p: Permission) => (PERMISSIONS[p] as readonly string[]).includes(role);
      expect(has("audit.read") && has("users.manage"), role).toBe(false);
      expect(has("audit.read") && has("records.submit"), role).toBe(false);
    }
  });
});
