import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiTokenSchema, AuditEntrySchema, DepartmentSchema, UserSchema } from "../contract/admin.ts";
import { openTestApp, type TestApp } from "./testing.ts";

/**
 * Administration answers follow the contract (src/contract/admin.ts): camelCase fields exactly as declared,
 * requests in camelCase too, and nothing secret (password hashes, token hashes) in any answer.
 */
let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t.close());

const _as = (user: string) => ({ cookie: t.cookies[user]! });

/** The answer's keys are exactly the schema's: no snake_case copy, no undeclared field. */
function expectShape(answer: object, schema: { shape: object }) {
  expect(Object.keys(answer).sort()).toEqual(Object.keys(schema.shape).sort());
}

describe("departments", () => {
  it("are created, listed and renamed with camelCase names", async () => {
    const created = await t.call("POST", "/departments", "t-city", {
      code: "WLJ",
      nameZh: "文化广电和旅游局",
      nameEn: "Culture and Tourism Bureau",
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ code: "WLJ", nameZh: "文化广电和旅游局" });
    expectShape(created.json(), DepartmentSchema);

    const list = await t.call("GET", "/departments", "t-staff");
    expect(list.statusCode).toBe(200);
    const wlj = list.json().find((d: { code: string }) => d.code === "WLJ");
    expect(wlj).toMatchObject({ nameZh: "文化广电和旅游局", nameEn: "Culture and Tourism Bureau" });
    for (const d of list.json()) expectShape(d, DepartmentSchema);

    const renamed = await t.call("PATCH", "/departments/WLJ", "t-city", {
      nameEn: "Bureau of Culture, Radio, Television and Tourism",
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({
      nameZh: "文化广电和旅游局",
      nameEn: "Bureau of Culture, Radio, Television and Tourism",
    });
  });

  it("refuses the old snake_case names, saying which field is missing", async () => {
    const r = await t.call("POST", "/departments", "t-city", {
      code: "OLD",
      name_zh: "旧字段",
      name_en: "Old fields",
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().problems.map((p: { field: string }) => p.field)).toEqual(
      expect.arrayContaining(["nameZh", "nameEn"]),
    );
    const empty = await t.call("PATCH", "/departments/SCJG", "t-city", { name_zh: "旧字段" });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().problems[0]).toMatchObject({ code: "request.empty" });
    expect(empty.json().problems[0].fixEn).toMatch(/nameZh/);
  });
});

describe("users, tokens and the audit log", () => {
  it("answer users without any password field", async () => {
    const list = await t.call("GET", "/users?limit=200", "t-city");
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBeGreaterThan(0);
    for (const u of list.json().items) expectShape(u, UserSchema);
    expect(list.body).not.toMatch(/password_hash|passwordHash|scrypt\$/);
  });

  it("list tokens without their hash, and show the secret only when issued", async () => {
    const issued = await t.call("POST", "/tokens", "t-dadmin", {
      name: "合同测试",
      scopes: ["subjects.read"],
      expiresInDays: 7,
    });
    expect(issued.statusCode).toBe(201);
    expect(Object.keys(issued.json()).sort()).toEqual(["id", "token"]);
    const list = await t.call("GET", "/tokens", "t-dadmin");
    const mine = list.json().find((x: { id: number }) => x.id === issued.json().id);
    expect(mine).toMatchObject({ name: "合同测试", department: "SCJG", scopes: ["subjects.read"] });
    for (const tk of list.json()) expectShape(tk, ApiTokenSchema);
    const secret = issued.json().token.slice(issued.json().token.indexOf("_", 3) + 1);
    expect(list.body).not.toContain(secret);
    expect(list.body).not.toMatch(/secret_hash|secretHash/);
  });

  it("pages the audit log with numeric ids", async () => {
    const r = await t.call("GET", "/audit?limit=5", "t-audit");
    expect(r.statusCode).toBe(200);
    expect(r.json().items.length).toBeGreaterThan(0);
    for (const e of r.json().items) {
      expectShape(e, AuditEntrySchema);
      expect(typeof e.id).toBe("number");
    }
  });
});
