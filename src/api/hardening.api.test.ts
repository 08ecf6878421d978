import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../services/auth/accounts.ts";
import { insertTestSubject, openTestApp, TEST_PASSWORD, type TestApp } from "./testing.ts";

/** Small holes found by trying the API as an outsider would: each answer is a clear 4xx, never a 500. */
let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  for (const [code, name] of [
    ["91350100M000100Y43", "泉州百分之百鞋业有限公司"],
    ["91110000600037341L", "泉州100%鞋业有限公司"],
    ["92310115MA1LAG5R9M", "泉州A_B贸易商行"],
  ] as const)
    await insertTestSubject(t.store, code, name);
  await createUser(t.store, {
    username: "pct_user%",
    displayName: "带百分号的账号",
    role: "dept_staff",
    department: "SCJG",
    password: TEST_PASSWORD,
  });
});
afterAll(async () => t.close());

const as = (user: string) => ({ cookie: t.cookies[user]! });

describe("hardening", () => {
  it("every PATCH route answers an empty JSON object with a 4xx or a success, never a 500", async () => {
    const patches = t.app.routeTable.filter((r) => r.method === "PATCH" && r.url.startsWith("/api/v1/"));
    expect(patches.length).toBeGreaterThan(2);
    for (const r of patches) {
      const url = r.url.replace(/:(\w+)/g, (_m, k: string) => (k === "code" ? "SCJG" : "1"));
      const res = await t.app.inject({ method: "PATCH", url, headers: as("t-city"), payload: {} });
      expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(500);
    }
    const dept = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/departments/SCJG",
      headers: { ...as("t-city"), "accept-language": "en" },
      payload: {},
    });
    expect(dept.statusCode).toBe(400);
    expect(dept.json().message).toMatch(/Nothing to change/);
    expect(dept.json().problems[0].zh).toBe("没有要修改的内容");
  });

  it("searches % and _ literally (a LIKE wildcard in the search text is not a wildcard)", async () => {
    const names = async (q: string) =>
      (await t.call("GET", `/subjects?q=${encodeURIComponent(q)}`, "t-staff"))
        .json()
        .items.map((s: { name: string }) => s.name);
    expect(await names("%")).toEqual(["泉州100%鞋业有限公司"]);
    expect(await names("A_B")).toEqual(["泉州A_B贸易商行"]);
    expect(await names("_")).toEqual(["泉州A_B贸易商行"]);
    const users = await t.call("GET", "/users?q=%25", "t-city");
    expect(users.json().items.map((u: { username: string }) => u.username)).toEqual(["pct_user%"]);
  });
});
