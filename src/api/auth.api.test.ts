import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog, security } from "../policy/load.ts";
import { createUser, ensureAdministrator, login as loginUser } from "../services/auth/accounts.ts";
import { sha256 } from "../services/auth/password.ts";
import { prepareStore } from "../services/bootstrap.ts";
import { openTestStore } from "../store/testing.ts";
import { buildApp } from "./app.ts";
import { openTestApp, TEST_PASSWORD, type TestApp } from "./testing.ts";

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => t.close());

const login = (username: string, password: string, remoteAddress = "127.0.0.1") =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { username, password }, remoteAddress });
const cookieOf = (res: Awaited<ReturnType<typeof login>>) => {
  const set = res.headers["set-cookie"];
  return (Array.isArray(set) ? set[0] : set)!.split(";")[0]!;
};

describe("sign-in and sessions", () => {
  it("sets an HttpOnly, SameSite=Lax session cookie and answers /auth/me", async () => {
    const res = await login("t-staff", TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const set = String(res.headers["set-cookie"]);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).not.toMatch(/Secure/); // plain HTTP here; Secure is set when served over TLS
    const me = await t.app.inject({ url: "/api/v1/auth/me", headers: { cookie: cookieOf(res) } });
    expect(me.json()).toMatchObject({
      user: { username: "t-staff", role: "dept_staff", department: "SCJG" },
    });
    expect(me.json().permissions).toContain("records.submit");
    const stored = await t.store.db.selectFrom("sessions").select("id_hash").execute();
    const raw = cookieOf(res).split("=")[1]!;
    expect(stored.map((s) => s.id_hash)).toContain(sha256(raw));
    expect(stored.map((s) => s.id_hash)).not.toContain(raw);
  });

  it("ends a session after the idle timeout, and on sign-out", async () => {
    const c = cookieOf(await login("t-insp", TEST_PASSWORD));
    const idle = security().session.idle_minutes;
    await t.store.db
      .updateTable("sessions")
      .set({ last_seen_at: new Date(Date.now() - (idle + 1) * 60_000).toISOString() })
      .where("id_hash", "=", sha256(c.split("=")[1]!))
      .execute();
    expect((await t.app.inject({ url: "/api/v1/auth/me", headers: { cookie: c } })).statusCode).toBe(401);
    const c2 = cookieOf(await login("t-insp", TEST_PASSWORD));
    await t.app.inject({ method: "POST", url: "/api/v1/auth/logout", headers: { cookie: c2 } });
    expect((await t.app.inject({ url: "/api/v1/auth/me", headers: { cookie: c2 } })).statusCode).toBe(401);
  });

  it("closes an account to an address after repeated failures, answering exactly like a wrong password", async () => {
    const max = security().login.max_failures;
    const from = "198.51.100.1";
    const unknown = await login("nobody", "x", from);
    expect(unknown.statusCode).toBe(401);
    for (let i = 0; i < max; i++) expect((await login("t-agency", "wrong", from)).statusCode).toBe(401);
    const closed = await login("t-agency", TEST_PASSWORD, from);
    // Same status and body as a wrong password and as an unknown name: a stranger cannot tell which names exist.
    expect(closed.statusCode).toBe(401);
    expect(closed.json()).toEqual(unknown.json());
    for (let i = 0; i < max + 1; i++)
      expect((await login("nobody", "x", from)).json()).toEqual(closed.json());
    // The real user, elsewhere, is not locked out by the stranger.
    expect((await login("t-agency", TEST_PASSWORD, "198.51.100.2")).statusCode).toBe(200);
  });

  it("counts parallel wrong passwords one by one: never more than the limit of checked guesses", async () => {
    const max = security().login.max_failures;
    const from = "198.51.100.3";
    const wrong = await Promise.all(Array.from({ length: max * 3 }, () => login("t-dadmin", "wrong", from)));
    expect(wrong.every((r) => r.statusCode === 401)).toBe(true);
    const outcomes = async () =>
      (
        await t.store.db
          .selectFrom("login_attempts")
          .select(["outcome"])
          .where("username", "=", "t-dadmin")
          .where("ip", "=", from)
          .execute()
      ).map((r) => r.outcome);
    const after = await outcomes();
    expect(after.length).toBe(max * 3); // every attempt written, none lost to a race
    const checked = after.filter((o) => o === "failed").length;
    expect(checked).toBeLessThanOrEqual(max); // read-verify-write-back let all of them be checked
    for (let i = checked; i < max; i++) await login("t-dadmin", "wrong", from);
    expect((await login("t-dadmin", TEST_PASSWORD, from)).statusCode).toBe(401);
    expect((await outcomes()).filter((o) => o === "failed").length).toBe(max);
  });

  it("closes the account to everyone when failures come from many addresses", async () => {
    const { max_failures: perAddress, account_max_failures: all } = security().login;
    const addresses = Math.ceil((all + 1) / perAddress);
    for (let a = 0; a < addresses; a++)
      for (let i = 0; i < perAddress; i++) await login("t-zj", "wrong", `203.0.113.${a + 1}`);
    expect((await login("t-zj", TEST_PASSWORD, "203.0.113.200")).statusCode).toBe(401);
  });

  it("makes an address that fails on many names wait (429), without closing those accounts elsewhere", async () => {
    const max = security().login.address_max_failures;
    const from = "198.51.100.4";
    for (let i = 0; i < max; i++) expect((await login(`spray${i}`, "x", from)).statusCode).toBe(401);
    const paused = await login("t-staff", TEST_PASSWORD, from);
    expect(paused.statusCode).toBe(429);
    expect(paused.json().problems[0].code).toBe("auth.address_limited");
    expect((await login("t-staff", TEST_PASSWORD, "198.51.100.5")).statusCode).toBe(200);
  });

  it("bounds the password checks an anonymous flood can queue, and keeps serving", async () => {
    const { concurrent_checks, queued_checks } = security().login;
    const n = (concurrent_checks + queued_checks) * 2;
    const flood = await Promise.all(
      Array.from({ length: n }, (_, i) => login(`flood${i}`, "x", `192.0.2.${(i % 250) + 1}`)),
    );
    const busy = flood.filter((r) => r.statusCode === 503);
    expect(busy.length).toBeGreaterThanOrEqual(n - concurrent_checks - queued_checks);
    expect(busy[0]!.json().problems[0].code).toBe("auth.busy");
    expect(flood.every((r) => r.statusCode === 503 || r.statusCode === 401)).toBe(true);
    expect((await t.app.inject({ url: "/api/v1/health" })).statusCode).toBe(200);
    expect((await login("t-ent", TEST_PASSWORD, "192.0.2.251")).statusCode).toBe(200);
  });

  it("ends the account's other sessions when its password changes", async () => {
    // Accounts of its own: the other tests' sessions stay open.
    await createUser(t.store, {
      username: "t-pw-admin",
      displayName: "x",
      role: "city_admin",
      department: "XYB",
      password: TEST_PASSWORD,
    });
    await createUser(t.store, {
      username: "t-pw-staff",
      displayName: "x",
      role: "dept_staff",
      department: "SCJG",
      password: TEST_PASSWORD,
    });
    const here = cookieOf(await login("t-pw-admin", TEST_PASSWORD));
    const elsewhere = cookieOf(await login("t-pw-admin", TEST_PASSWORD, "198.51.100.9"));
    const changed = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/password",
      headers: { cookie: here },
      payload: { current: TEST_PASSWORD, next: "City#2026changed" },
    });
    expect(changed.statusCode).toBe(204);
    expect((await t.app.inject({ url: "/api/v1/auth/me", headers: { cookie: here } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: "/api/v1/auth/me", headers: { cookie: elsewhere } })).statusCode).toBe(
      401,
    );
    // An administrator's reset ends every session of the account and starts its failure count again.
    const target = await t.store.db
      .selectFrom("users")
      .select("id")
      .where("username", "=", "t-insp")
      .executeTakeFirstOrThrow();
    const insp = cookieOf(await login("t-insp", TEST_PASSWORD, "198.51.100.10"));
    const reset = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${target.id}`,
      headers: { cookie: here },
      payload: { password: "Reset#2026insp" },
    });
    expect(reset.statusCode).toBe(200);
    expect((await t.app.inject({ url: "/api/v1/auth/me", headers: { cookie: insp } })).statusCode).toBe(401);
  });

  it("changes a password only with the current one and a strong new one", async () => {
    const c = cookieOf(await login("t-sec", TEST_PASSWORD));
    const post = (payload: object) =>
      t.app.inject({ method: "POST", url: "/api/v1/auth/password", headers: { cookie: c }, payload });
    expect((await post({ current: "bad", next: "Another#2026x" })).json().problems[0].field).toBe("current");
    expect((await post({ current: TEST_PASSWORD, next: "short" })).json().problems[0].code).toBe(
      "password.weak",
    );
    expect((await post({ current: TEST_PASSWORD, next: "Another#2026x" })).statusCode).toBe(204);
    expect((await login("t-sec", "Another#2026x")).statusCode).toBe(200);
  });

  it("creates the first administrator once, with a one-time password that must be changed", async () => {
    const fresh = await openTestStore();
    try {
      await prepareStore(fresh, catalog());
      const admin = await ensureAdministrator(fresh);
      expect(admin?.username).toBe("admin");
      expect(admin!.password.length).toBeGreaterThanOrEqual(16);
      expect(await ensureAdministrator(fresh)).toBeUndefined();
      const { user } = await loginUser(fresh, "admin", admin!.password, null);
      expect(user).toMatchObject({ role: "city_admin", must_change_password: 1 });
      const app = await buildApp({ store: fresh, catalog: catalog(), dataDir: t.dataDir });
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { username: "admin", password: admin!.password },
      });
      const cookie = String(res.headers["set-cookie"]).split(";")[0]!;
      const blocked = await app.inject({ url: "/api/v1/subjects", headers: { cookie } });
      expect(blocked.json().problems[0].code).toBe("auth.must_change_password");
      const changed = await app.inject({
        method: "POST",
        url: "/api/v1/auth/password",
        headers: { cookie },
        payload: { current: admin!.password, next: "Admin#2026new" },
      });
      expect(changed.statusCode).toBe(204);
      expect((await app.inject({ url: "/api/v1/subjects", headers: { cookie } })).statusCode).toBe(200);
      await app.close();
    } finally {
      await fresh.dispose();
    }
    expect(await ensureAdministrator(t.store)).toBeUndefined();
  });
});

describe("API tokens", () => {
  it("are issued once, hashed, scoped to the department, and stop working when revoked", async () => {
    const admin = t.cookies["t-dadmin"]!;
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      headers: { cookie: admin },
      payload: { name: "市监业务系统", scopes: ["records.submit", "subjects.read"], expiresInDays: 30 },
    });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    const row = await t.store.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const secret = token.slice(token.indexOf("_", 3) + 1); // ct_<id>_<secret>; the secret may itself hold "_"
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(row.secret_hash).not.toContain(secret);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.department).toBe("SCJG");
    const bearer = { authorization: `Bearer ${token}` };
    const submit = await t.app.inject({
      method: "POST",
      url: "/api/v1/records",
      headers: bearer,
      payload: {
        category: "INSPECTION",
        subject_code: "91350100M000100Y43",
        doc_no: "TOKEN-1",
        decision_date: "2025-05-05",
        result: "pass",
      },
    });
    expect(submit.statusCode).toBe(200);
    const rec = await t.store.db
      .selectFrom("credit_records")
      .selectAll()
      .where("doc_no", "=", "TOKEN-1")
      .executeTakeFirstOrThrow();
    expect(rec).toMatchObject({ department: "SCJG", submitted_by: "token:市监业务系统" });
    // Not in its scopes:
    expect((await t.app.inject({ url: "/api/v1/imports", headers: bearer })).statusCode).toBe(403);
    const revoke = await t.app.inject({
      method: "POST",
      url: `/api/v1/tokens/${id}/revoke`,
      headers: { cookie: admin },
    });
    expect(revoke.statusCode).toBe(204);
    expect((await t.app.inject({ url: "/api/v1/subjects", headers: bearer })).statusCode).toBe(401);
  });

  it("refuses scopes a token may not carry and expiries past the policy", async () => {
    const r = await t.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      headers: { cookie: t.cookies["t-city"]! },
      payload: { name: "x", scopes: ["users.manage"], expiresInDays: 30 },
    });
    expect(r.statusCode).toBe(400);
    const long = await t.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      headers: { cookie: t.cookies["t-city"]! },
      payload: { name: "x", scopes: ["subjects.read"], expiresInDays: 10_000 },
    });
    expect(long.json().problems[0].code).toBe("token.expiry");
  });
});

describe("user administration", () => {
  it("lets a department administrator create staff in its own department only, and never an auditor", async () => {
    const c = t.cookies["t-dadmin"]!;
    const ok = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: { cookie: c },
      payload: {
        username: "new-staff",
        displayName: "新同事",
        role: "dept_staff",
        department: "ZJ",
        password: "Welcome#2026",
      },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ department: "SCJG", mustChangePassword: true });
    const auditor = await t.app.inject({
      method: "POST",
      url: "/api/v1/users",
      headers: { cookie: c },
      payload: { username: "x-aud", displayName: "x", role: "auditor", password: "Welcome#2026" },
    });
    expect(auditor.statusCode).toBe(403);
    const list = await t.app.inject({ url: "/api/v1/users", headers: { cookie: c } });
    expect(list.json().items.every((u: { department: string }) => u.department === "SCJG")).toBe(true);
  });

  it("disables instead of deleting, and a disabled user's sessions end", async () => {
    const target = await t.store.db
      .selectFrom("users")
      .select("id")
      .where("username", "=", "new-staff")
      .executeTakeFirstOrThrow();
    const userCookie = cookieOf(await login("new-staff", "Welcome#2026"));
    const r = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/users/${target.id}`,
      headers: { cookie: t.cookies["t-dadmin"]! },
      payload: { status: "disabled" },
    });
    expect(r.json()).toMatchObject({ status: "disabled" });
    expect((await t.app.inject({ url: "/api/v1/auth/me", headers: { cookie: userCookie } })).statusCode).toBe(
      401,
    );
    expect((await login("new-staff", "Welcome#2026")).statusCode).toBe(401);
  });

  it("writes who did what to the audit log, readable by the auditor only", async () => {
    const r = await t.app.inject({
      url: "/api/v1/audit?action=user.create",
      headers: { cookie: t.cookies["t-audit"]! },
    });
    expect(r.json().items[0]).toMatchObject({ actor: "t-dadmin", action: "user.create", result: "ok" });
    expect(
      (await t.app.inject({ url: "/api/v1/audit", headers: { cookie: t.cookies["t-city"]! } })).statusCode,
    ).toBe(403);
  });
});
