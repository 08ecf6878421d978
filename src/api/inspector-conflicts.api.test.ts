import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "./testing.ts";

/**
 * 回避 (conflicts of interest) steer the draw's assignment: an inspector declares and withdraws only on their
 * own record; a colleague's record is not theirs to touch (it would steer or block who inspects whom).
 */
let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  for (const [id, username] of [
    ["SCJG-101", "t-insp"],
    ["SCJG-102", undefined],
  ] as const) {
    const r = await call("POST", "/inspectors", "t-dadmin", {
      id,
      name: id,
      certificateNo: id,
      qualifications: [],
      ...(username ? { username } : {}),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
});
afterAll(async () => t.close());

async function call(method: "GET" | "POST", url: string, user: string, payload?: object) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie: t.cookies[user]! },
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() };
}
const conflict = { subjectCode: "91350100M000100Y43", reason: "近亲属在该企业任职" };

describe("conflicts of interest", () => {
  it("an inspector declares on their own record only", async () => {
    expect((await call("POST", "/inspectors/SCJG-101/conflicts", "t-insp", conflict)).status).toBe(201);
    const colleague = await call("POST", "/inspectors/SCJG-102/conflicts", "t-insp", conflict);
    expect(colleague.status).toBe(404);
    const rows = await t.store.db
      .selectFrom("inspector_conflicts")
      .select("inspector_id")
      .where("status", "=", "active")
      .execute();
    expect(rows.map((r) => r.inspector_id)).toEqual(["SCJG-101"]);
  });

  it("withdrawing is the department administrator's: an inspector cannot withdraw a colleague's", async () => {
    const declared = await call("POST", "/inspectors/SCJG-102/conflicts", "t-dadmin", conflict);
    expect(declared.status).toBe(201);
    const id = declared.body.id;
    expect((await call("POST", `/inspector-conflicts/${id}/withdraw`, "t-insp")).status).toBe(403);
    expect((await call("POST", `/inspector-conflicts/${id}/withdraw`, "t-zj")).status).toBe(403);
    expect((await call("POST", `/inspector-conflicts/${id}/withdraw`, "t-dadmin")).status).toBe(200);
  });
});
