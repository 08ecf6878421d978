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

  it("every route declares its success answer", async () => {
    const doc = (await t.app.inject({ url: "/api/openapi.json" })).json();
    const missing: string[] = [];
    for (const [p, methods] of Object.entries(doc.paths as Record<string, Record<string, Operation>>))
      for (const [m, op] of Object.entries(methods)) {
        const key = `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ":$1")}`;
        const ok = Object.keys(op.responses ?? {}).some((c) => c.startsWith("2"));
        if (!ok) missing.push(key);
      }
    expect(missing, "routes without a declared success answer").toEqual([]);
  });
});
