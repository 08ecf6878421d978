import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_SCOPES } from "../core/auth/roles.ts";
import { createToken } from "../services/auth/tokens.ts";
import { openTestApp, TEST_USERS, type TestApp } from "./testing.ts";

/**
 * The same address spelled the ways a client (or an attacker) can spell it, sent over a real socket exactly as
 * written — no client library normalises them on the way. Every spelling must get what the plain one gets.
 * This checks from the outside: the expectation is the plain request's answer, not the permission table.
 */
let t: TestApp;
let port = 0;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const callers: { name: string; headers: Record<string, string> }[] = [];

beforeAll(async () => {
  t = await openTestApp();
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  port = (t.app.server.address() as AddressInfo).port;
  callers.push({ name: "anonymous", headers: {} });
  for (const u of TEST_USERS)
    callers.push({ name: `${u.role}:${u.username}`, headers: { cookie: t.cookies[u.username]! } });
  // A department system with every scope a token may carry.
  const city = {
    kind: "user" as const,
    id: 1,
    name: "t-city",
    role: "city_admin" as const,
    department: "XYB",
    subjectCode: null,
  };
  const { token } = await createToken(t.store, city, {
    name: "spelling-test",
    department: "SCJG",
    scopes: [...TOKEN_SCOPES],
    expiresInDays: 30,
  });
  callers.push({ name: "token", headers: { authorization: `Bearer ${token}` } });
  // An account whose password an administrator set: it may only change it, whatever the spelling.
  const mustChange = await t.addUser({
    username: "t-mustchange",
    role: "city_admin",
    department: "XYB",
    mustChangePassword: true,
  });
  callers.push({ name: "must-change", headers: { cookie: mustChange } });
}, 60_000);
afterAll(async () => {
  agent.destroy();
  await t.close();
});

/** Sends the request line exactly as given. */
function send(method: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

const sample: Record<string, string> = { id: "999999", code: "91350100M000100Y43", category: "PENALTY" };
const fill = (url: string) => url.replace(/:(\w+)/g, (_m, k: string) => sample[k] ?? "x");
const flipCase = (s: string) => s.replace(/[a-z]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c));

/** Other spellings of a route's address: only the route's fixed parts change, never the parameters. */
function spellings(route: string): Record<string, string> {
  const plain = fill(route);
  const segments = route.split("/").slice(1);
  const fixed = (f: (seg: string) => string) =>
    `/${segments.map((s) => (s.startsWith(":") ? fill(s) : f(s))).join("/")}`;
  return {
    "percent-encoded letters": fixed((s) => s.replace(/[a-z]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)),
    "percent-encoded capitals": `/%41%50%49${plain.slice(4)}`,
    "absolute form": `http://127.0.0.1:${port}${plain}`,
    "doubled slashes": plain.replace(/\//g, "//"),
    "trailing slash": `${plain}/`,
    "dot segment": plain.replace("/v1/", "/./v1/./"),
    "dot-dot segment": plain.replace("/v1/", "/zz/../v1/"),
    "encoded dot-dot": plain.replace("/v1/", "/zz/%2e%2e/v1/"),
    "mixed case": fixed(flipCase),
    "upper case prefix": plain.replace("/api/v1/", "/API/V1/"),
  };
}

describe("route × caller × spelling: another spelling never gets more than the plain address", () => {
  it("every spelling of every API route answers every caller exactly as the plain spelling does", async () => {
    const routes = t.app.routeTable.filter(
      (r) =>
        r.url.startsWith("/api/v1/") && r.url !== "/api/v1/auth/logout" && r.url !== "/api/v1/auth/login",
    );
    expect(routes.length).toBeGreaterThan(60);
    const failures: string[] = [];
    let checked = 0;
    for (const r of routes)
      for (const c of callers) {
        const want = await send(r.method, fill(r.url), c.headers);
        for (const [kind, path] of Object.entries(spellings(r.url))) {
          const got = await send(r.method, path, c.headers);
          checked++;
          if (got !== want)
            failures.push(`${r.method} ${path} (${kind}) as ${c.name}: plain ${want}, got ${got}`);
        }
      }
    expect(failures.slice(0, 40)).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
  }, 300_000);

  it("the anonymous caller never gets a 2xx from a closed route, whatever the spelling", async () => {
    const closed = t.app.routeTable.filter((r) => r.url.startsWith("/api/v1/") && r.permission !== "public");
    for (const r of closed)
      for (const path of Object.values(spellings(r.url))) {
        const got = await send(r.method, path, {});
        expect(got, `${r.method} ${path}`).toBe(401);
      }
  }, 120_000);

  it("an unknown address under /api answers a JSON 404 in any spelling, never the web app's page", async () => {
    for (const path of ["/api/v1/nothing-here", "/API/v1/nothing-here", "/%61pi/v1/nothing-here"]) {
      const got = await t.app.inject({ method: "GET", url: path });
      expect(got.statusCode, path).toBe(404);
      expect(got.headers["content-type"], path).toMatch(/json/);
    }
  });
});
