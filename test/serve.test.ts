import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../src/store/db.ts";
import { openTestStore, type TestStore } from "../src/store/testing.ts";

const bin = path.resolve("bin/credit.js");
let store: TestStore;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-serve-"));

beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts `credit serve` with the given flags, waits until it listens, then stops it. `ownDatabase` runs it as
 * `npm start` does for a newcomer: no DATABASE_URL, the default embedded database under the working folder.
 */
async function startOnce(
  flags: string[],
  opts: { ownDatabase?: boolean; store?: TestStore } = {},
): Promise<string> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const env: NodeJS.ProcessEnv = { ...process.env, ...(opts.store ?? store).env, DEMO_SUBJECTS: "300" };
  if (opts.ownDatabase) {
    delete env.DATABASE_URL;
    delete env.CREDIT_PG_SCHEMA;
  }
  const child = spawn(
    process.execPath,
    [bin, "serve", ...flags, "--port", String(port), "--host", "127.0.0.1"],
    {
      env,
      cwd: dir,
    },
  );
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (stderr.includes("serving on")) {
          clearInterval(t);
          resolve();
        }
      }, 100);
      child.on("exit", (code) => {
        clearInterval(t);
        reject(new Error(`serve exited ${code}: ${stderr}`));
      });
    });
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  return stderr;
}

const count = async (s: Store, table: "evaluations" | "users" | "inspectors" | "subjects") =>
  Number(
    (
      await s.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("npm start (credit serve --demo-if-empty)", () => {
  it("on the default embedded database: creates the demo city graded, once", async () => {
    const first = await startOnce(["--demo-if-empty"], { ownDatabase: true });
    expect(first).toContain("demo city ready and graded");
    const own = openStore({ url: path.join(dir, "data", "credit.db") });
    try {
      const graded = await own.db
        .selectFrom("evaluations")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("model_id", "=", "public")
        .where("is_current", "=", 1)
        .executeTakeFirstOrThrow();
      expect(Number(graded.n)).toBeGreaterThan(200);
      expect(await count(own, "inspectors")).toBeGreaterThan(10);
    } finally {
      await own.close();
    }
    // A second start neither rebuilds nor re-grades.
    const second = await startOnce(["--demo-if-empty"], { ownDatabase: true });
    expect(second).not.toContain("demo city");
    expect(second).not.toContain("first full evaluation");
  }, 120_000);

  it("on a database named by DATABASE_URL: no demo city and no demo accounts, and it says so", async () => {
    const out = await startOnce(["--demo-if-empty"]);
    expect(out).toContain("no demo city or demo accounts created");
    expect(await count(store, "subjects")).toBe(0);
    expect((await store.db.selectFrom("users").select("username").execute()).map((u) => u.username)).toEqual([
      "admin",
    ]);
  }, 120_000);

  it("creates the demo in such a database only when asked (--demo), saying so", async () => {
    const asked = await openTestStore();
    try {
      const out = await startOnce(["--demo"], { store: asked });
      expect(out).toContain("demo city ready and graded");
      expect(out).toContain("demo accounts");
      expect(await count(asked, "users")).toBeGreaterThan(5);
    } finally {
      await asked.dispose();
    }
  }, 120_000);
});
