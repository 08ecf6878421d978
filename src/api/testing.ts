import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import type { Role } from "../core/auth/roles.ts";
import { catalog } from "../policy/load.ts";
import { createUser } from "../services/auth/accounts.ts";
import { prepareStore } from "../services/bootstrap.ts";
import { openTestStore, type TestStore } from "../store/testing.ts";
import { buildApp } from "./app.ts";

export const TEST_PASSWORD = "Test@2026pw";

/** One account per role: departments SCJG (and ZJ for a second department), an enterprise bound to a subject. */
export const TEST_USERS: { username: string; role: Role; department: string | null; subjectCode?: string }[] =
  [
    { username: "t-city", role: "city_admin", department: "XYB" },
    { username: "t-dadmin", role: "dept_admin", department: "SCJG" },
    { username: "t-staff", role: "dept_staff", department: "SCJG" },
    { username: "t-zj", role: "dept_staff", department: "ZJ" },
    { username: "t-insp", role: "inspector", department: "SCJG" },
    { username: "t-ent", role: "enterprise", department: null, subjectCode: "91350100M000100Y43" },
    { username: "t-agency", role: "agency", department: null },
    { username: "t-audit", role: "auditor", department: null },
    { username: "t-sec", role: "security_admin", department: null },
  ];

/** Registers a subject in operation (存续): a manufacturing enterprise of Jinjiang unless told otherwise. */
export async function insertTestSubject(
  store: TestStore,
  code: string,
  name: string,
  extra: Partial<{
    type: string;
    status: string;
    industry_section: string;
    industry_division: string;
    registered_on: string;
  }> = {},
): Promise<void> {
  await store.db
    .insertInto("subjects")
    .values({
      code,
      code_status: "valid",
      name,
      type: "enterprise",
      industry_section: "C",
      industry_division: "19",
      region: "350582",
      registered_on: "2010-05-01",
      status: "存续",
      registered_capital: 500,
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
      ...extra,
    })
    .execute();
}

/** A one-file multipart/form-data body (field `file`), as the web app's upload sends it. */
export function multipartFile(fileName: string, content: Buffer) {
  const boundary = "----credit-test-boundary";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  return {
    payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

export interface TestApp {
  app: FastifyInstance;
  store: TestStore;
  dataDir: string;
  /** Session cookie header per test username. */
  cookies: Record<string, string>;
  /**
   * Creates an account (password TEST_PASSWORD, display name = username) and signs it in: its session cookie
   * header, which `call` then also uses for it.
   */
  addUser(user: Omit<Parameters<typeof createUser>[1], "password" | "displayName">): Promise<string>;
  /** A request by a test user (signed in by cookie) to `path` under /api/v1, with a JSON body when given. */
  call(
    method: NonNullable<InjectOptions["method"]>,
    path: string,
    user: string,
    payload?: InjectOptions["payload"],
  ): Promise<LightMyRequestResponse>;
  /** A multipart upload (as multipartFile makes it) by a test user, POSTed to `path` under /api/v1. */
  upload(
    path: string,
    user: string,
    body: { payload: Buffer; headers: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function openTestApp(): Promise<TestApp> {
  const store = await openTestStore();
  await prepareStore(store, catalog());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-app-"));
  const app = await buildApp({ store, catalog: catalog(), dataDir });
  const cookies: Record<string, string> = {};
  const addUser: TestApp["addUser"] = async (u) => {
    await createUser(store, { ...u, displayName: u.username, password: TEST_PASSWORD });
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username: u.username, password: TEST_PASSWORD },
    });
    const set = res.headers["set-cookie"];
    const first = Array.isArray(set) ? set[0] : set;
    if (res.statusCode !== 200 || !first)
      throw new Error(`login ${u.username}: ${res.statusCode} ${res.body}`);
    cookies[u.username] = first.split(";")[0]!;
    return cookies[u.username]!;
  };
  for (const u of TEST_USERS) await addUser(u);
  return {
    app,
    store,
    dataDir,
    cookies,
    addUser,
    call: (method, url, user, payload) =>
      app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { cookie: cookies[user]! },
        ...(payload === undefined ? {} : { payload }),
      }),
    upload: (url, user, body) =>
      app.inject({
        method: "POST",
        url: `/api/v1${url}`,
        payload: body.payload,
        headers: { ...body.headers, cookie: cookies[user]! },
      }),
    async close() {
      await app.close();
      await store.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
