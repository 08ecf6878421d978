import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS } from "../core/auth/roles.ts";
import { openTestApp, type TestApp } from "./testing.ts";

/**
 * The API contract: every operation of the OpenAPI document names its permission and how to authenticate, and
 * declares its answers — success and errors — so a department's developer can generate a client from it.
 */
let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t.close());

/**
 * Routes whose success answer is not declared yet. This list only shrinks: a route declaring its answer must
 * leave it (the test says so), and a new route cannot join it.
 */
const PENDING = new Set([
  "GET /api/v1/inspection-plans",
  "POST /api/v1/inspection-plans",
  "POST /api/v1/inspection-plans/preview",
  "GET /api/v1/inspection-plans/:id",
  "POST /api/v1/inspection-plans/:id/close",
  "POST /api/v1/inspection-plans/:id/commitment",
  "POST /api/v1/inspection-plans/:id/draw",
  "POST /api/v1/inspection-plans/:id/freeze",
  "GET /api/v1/inspection-plans/:id/preview",
  "GET /api/v1/inspection-plans/:id/stats",
  "GET /api/v1/inspection-stats",
  "GET /api/v1/inspection-tasks",
  "POST /api/v1/inspection-tasks/:id/result",
  "GET /api/v1/public/inspection-plans",
  "GET /api/v1/public/inspection-plans/:id",
  "GET /api/v1/public/inspection-plans/:id/draw.txt",
  "GET /api/v1/public/inspection-plans/:id/drawn",
  "GET /api/v1/public/inspection-plans/:id/pool.csv",
]);

type Operation = { responses?: Record<string, unknown>; security?: unknown[]; "x-permission"?: string };

describe("API contract (OpenAPI document)", () => {
  it("every operation names a known permission, its authentication and its error answers", async () => {
    const doc = (await t.app.inject({ url: "/api/openapi.json" })).json();
    const ops = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(
      ([p, methods]) => Object.entries(methods).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, op })),
    );
    expect(ops.length).toBeGreaterThan(80);
    for (const { key, op } of ops) {
      expect(Object.keys(PERMISSIONS), key).toContain(op["x-permission"]);
      expect(Array.isArray(op.security), key).toBe(true);
      expect(Object.keys(op.responses ?? {}), key).toEqual(expect.arrayContaining(["4XX", "5XX"]));
    }
  });

  it("every route declares its success answer (the pending list only shrinks)", async () => {
    const doc = (await t.app.inject({ url: "/api/openapi.json" })).json();
    const missing: string[] = [];
    const declared: string[] = [];
    for (const [p, methods] of Object.entries(doc.paths as Record<string, Record<string, Operation>>))
      for (const [m, op] of Object.entries(methods)) {
        const key = `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ":$1")}`;
        const ok = Object.keys(op.responses ?? {}).some((c) => c.startsWith("2"));
        if (!ok && !PENDING.has(key)) missing.push(key);
        if (ok && PENDING.has(key)) declared.push(key);
      }
    expect(missing, "routes without a declared success answer").toEqual([]);
    expect(declared, "declared now: remove these from PENDING").toEqual([]);
  });
});
