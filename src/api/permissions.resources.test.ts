/**
 * Data scope from the outside: one department's batch, plan, inspector, token, account and credit check, asked
 * for by another department's user, its administrator, its API token (every scope a token may carry), an
 * enterprise and an agency. The expectations are written here as the answers a caller must get (404: the item
 * does not exist for them; absent from lists), not derived from src/policies/ — and the owning department's
 * own users get the item, so each check can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKEN_SCOPES } from "../core/auth/roles.ts";
import { createUser } from "../services/auth/accounts.ts";
import { insertTestSubject, openTestApp, TEST_PASSWORD, type TestApp } from "./testing.ts";

let t: TestApp;
const SUBJECT = "91350100M000100Y43";
/** What SCJG (the owning department) holds. */
const own = { batch: "", plan: "", inspector: "SCJG-SCOPE-1", token: 0, userId: 0, checkId: 0 };
/** Callers from outside SCJG: header sets by name. */
const outsiders: Record<string, Record<string, string>> = {};

async function call(method: "GET" | "POST" | "PATCH", url: string, headers: object, payload?: object) {
  const res = await t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: headers as Record<string, string>,
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() };
}
const as = (user: string) => ({ cookie: t.cookies[user]! });

async function signIn(username: string): Promise<Record<string, string>> {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { username, password: TEST_PASSWORD },
  });
  expect(res.statusCode, res.body).toBe(200);
  const set = res.headers["set-cookie"];
  return { cookie: String(Array.isArray(set) ? set[0] : set).split(";")[0]! };
}

beforeAll(async () => {
  t = await openTestApp();
  await insertTestSubject(t.store, SUBJECT, "泉州某某鞋业有限公司");

  const record = await call("POST", "/records", as("t-staff"), {
    category: "行政处罚",
    subject_code: SUBJECT,
    subject_name: "泉州某某鞋业有限公司",
    doc_no: "晋市监处罚〔2025〕77号",
    decision_date: "2025-03-05",
    penalty_type: "罚款",
    legal_basis: "产品质量法第四十九条",
    amount: "3",
  });
  expect(record.status, JSON.stringify(record.body)).toBe(200);
  own.batch = record.body.batchId;

  const plan = await call("POST", "/inspection-plans", as("t-staff"), {
    title: "市监局范围测试",
    items: ["登记事项"],
  });
  expect(plan.status, JSON.stringify(plan.body)).toBe(201);
  own.plan = plan.body.id;

  const inspector = await call("POST", "/inspectors", as("t-dadmin"), {
    id: own.inspector,
    name: "范围测试",
    certificateNo: "SCOPE-0001",
  });
  expect(inspector.status, JSON.stringify(inspector.body)).toBe(201);

  const token = await call("POST", "/tokens", as("t-dadmin"), {
    name: "市监局业务系统",
    scopes: ["imports.read"],
    expiresInDays: 30,
  });
  expect(token.status, JSON.stringify(token.body)).toBe(201);
  own.token = token.body.id;

  const check = await call("POST", "/credit-checks", as("t-staff"), {
    subject: SUBJECT,
    scenario: "supervision",
    purpose: "范围测试前核查",
  });
  expect(check.status, JSON.stringify(check.body)).toBe(201);
  own.checkId = check.body.id;

  own.userId = Number(
    (
      await t.store.db
        .selectFrom("users")
        .select("id")
        .where("username", "=", "t-staff")
        .executeTakeFirstOrThrow()
    ).id,
  );

  // Another department's administrator, and another department's system with every scope a token may carry.
  await createUser(t.store, {
    username: "t-zjadmin",
    displayName: "质检管理员",
    role: "dept_admin",
    department: "ZJ",
    subjectCode: null,
    password: TEST_PASSWORD,
  });
  const zjToken = await call("POST", "/tokens", as("t-city"), {
    name: "质检业务系统",
    department: "ZJ",
    scopes: [...TOKEN_SCOPES],
    expiresInDays: 30,
  });
  expect(zjToken.status, JSON.stringify(zjToken.body)).toBe(201);
  outsiders["ZJ staff"] = as("t-zj");
  outsiders["ZJ administrator"] = await signIn("t-zjadmin");
  outsiders["ZJ API token"] = { authorization: `Bearer ${zjToken.body.token}` };
  outsiders.enterprise = as("t-ent");
  outsiders.agency = as("t-agency");
}, 60_000);
afterAll(async () => t.close());

/** Every outsider gets one of `statuses` (404: it does not exist for them; 403: not their kind of data). */
async function expectHidden(method: "GET" | "POST" | "PATCH", url: string, payload?: object) {
  const got: Record<string, number> = {};
  for (const [name, headers] of Object.entries(outsiders))
    got[name] = (await call(method, url, headers, payload)).status;
  for (const [name, status] of Object.entries(got))
    expect([403, 404], `${method} ${url} as ${name}`).toContain(status);
  return got;
}

describe("one department's data, asked for by everyone else", () => {
  it("an import batch: 404 to another department and its token, present in its own department's list only", async () => {
    expect((await call("GET", `/imports/${own.batch}`, as("t-staff"))).status).toBe(200);
    const got = await expectHidden("GET", `/imports/${own.batch}`);
    expect(got["ZJ staff"]).toBe(404);
    expect(got["ZJ API token"]).toBe(404);
    const ids = async (headers: object, query = "") =>
      (await call("GET", `/imports${query}`, headers)).body.items.map((b: { id: string }) => b.id);
    expect(await ids(as("t-staff"))).toContain(own.batch);
    expect(await ids(as("t-city"), "?department=SCJG")).toContain(own.batch);
    for (const who of ["ZJ staff", "ZJ API token"]) {
      expect(await ids(outsiders[who]!)).not.toContain(own.batch);
      expect(await ids(outsiders[who]!, "?department=SCJG"), `${who} asking for SCJG`).not.toContain(
        own.batch,
      );
      expect(await ids(outsiders[who]!, "?department=scjg"), `${who} asking for scjg`).not.toContain(
        own.batch,
      );
    }
  });

  it("an inspection plan: every read and every act answers 404 to another department", async () => {
    expect((await call("GET", `/inspection-plans/${own.plan}`, as("t-staff"))).status).toBe(200);
    for (const path of ["", "/preview", "/stats"]) {
      const got = await expectHidden("GET", `/inspection-plans/${own.plan}${path}`);
      expect(got["ZJ staff"], path).toBe(404);
    }
    for (const path of ["/close", "/freeze"]) {
      const got = await expectHidden("POST", `/inspection-plans/${own.plan}${path}`, {});
      expect(got["ZJ staff"], path).toBe(404);
      expect(got["ZJ administrator"], path).toBe(404);
    }
    const draw = await expectHidden("POST", `/inspection-plans/${own.plan}/draw`, { seed: "1 2 3" });
    expect(draw["ZJ administrator"]).toBe(404);
    // Still a draft: nothing the outsiders tried changed it.
    expect((await call("GET", `/inspection-plans/${own.plan}`, as("t-staff"))).body.status).toBe("draft");
    const listed = (await call("GET", "/inspection-plans?department=SCJG", as("t-zj"))).body.items;
    expect(listed.map((p: { id: string }) => p.id)).not.toContain(own.plan);
    expect((await call("GET", "/inspection-stats?department=SCJG", as("t-zj"))).body.department).toBe("ZJ");
  });

  it("an inspector: another department's administrator can neither see, change nor declare for them", async () => {
    const listed = async (headers: object) =>
      (await call("GET", "/inspectors?department=SCJG", headers)).body.items?.map(
        (i: { id: string }) => i.id,
      );
    expect(await listed(as("t-staff"))).toContain(own.inspector);
    expect(await listed(outsiders["ZJ administrator"]!)).not.toContain(own.inspector);
    const patch = await expectHidden("PATCH", `/inspectors/${own.inspector}`, { status: "inactive" });
    expect(patch["ZJ administrator"]).toBe(404);
    const conflict = await expectHidden("POST", `/inspectors/${own.inspector}/conflicts`, {
      subjectCode: SUBJECT,
      reason: "亲属关系",
    });
    expect(conflict["ZJ administrator"]).toBe(404);
    const row = await t.store.db
      .selectFrom("inspectors")
      .select("status")
      .where("id", "=", own.inspector)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("active");
  });

  it("an API token: another department's administrator neither lists nor revokes it", async () => {
    const ids = async (headers: object) =>
      ((await call("GET", "/tokens", headers)).body as { id: number }[]).map((x) => x.id);
    expect(await ids(as("t-dadmin"))).toContain(own.token);
    expect(await ids(outsiders["ZJ administrator"]!)).not.toContain(own.token);
    const revoke = await expectHidden("POST", `/tokens/${own.token}/revoke`);
    expect(revoke["ZJ administrator"]).toBe(404);
    expect(await ids(as("t-dadmin"))).toContain(own.token);
    const row = await t.store.db
      .selectFrom("api_tokens")
      .select("revoked_at")
      .where("id", "=", own.token)
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeNull();
  });

  it("an account: another department's administrator cannot change it", async () => {
    const got = await expectHidden("PATCH", `/users/${own.userId}`, { status: "disabled" });
    expect(got["ZJ administrator"]).toBe(404);
    const users = (await call("GET", "/users?limit=200", outsiders["ZJ administrator"]!)).body.items;
    expect(users.map((u: { username: string }) => u.username)).not.toContain("t-staff");
  });

  it("a credit check: logged for its own department and the city office, not for another department", async () => {
    const ids = async (headers: object) =>
      (await call("GET", "/credit-checks", headers)).body.items.map((c: { id: number }) => c.id);
    expect(await ids(as("t-staff"))).toContain(own.checkId);
    expect(await ids(as("t-city"))).toContain(own.checkId);
    expect(await ids(as("t-zj"))).not.toContain(own.checkId);
  });

  it("records: another department's token cannot submit in the owner's name", async () => {
    const r = await call("POST", "/records", outsiders["ZJ API token"]!, {
      category: "行政处罚",
      department: "SCJG",
      subject_code: SUBJECT,
      subject_name: "泉州某某鞋业有限公司",
      doc_no: "晋市监处罚〔2025〕78号",
      decision_date: "2025-03-05",
      penalty_type: "罚款",
      legal_basis: "产品质量法第四十九条",
      amount: "3",
    });
    expect(r.status).toBe(403);
  });
});
