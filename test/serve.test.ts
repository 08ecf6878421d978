import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** Starts `credit serve --demo-if-empty` as `npm start` does, waits until it listens, then stops it. */
async function startOnce(): Promise<string> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    process.execPath,
    [bin, "serve", "--demo-if-empty", "--port", String(port), "--host", "127.0.0.1"],
    {
      env: { ...process.env, ...store.env, DEMO_SUBJECTS: "300" },
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
  }
  return stderr;
}

describe("npm start (credit serve --demo-if-empty)", () => {
  it("creates the demo city graded: evaluations, inspectors and accounts exist from the first page on", async () => {
    const first = await startOnce();
    expect(first).toContain("demo city ready and graded");
    const graded = await store.db
      .selectFrom("evaluations")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("model_id", "=", "public")
      .where("is_current", "=", 1)
      .executeTakeFirstOrThrow();
    expect(Number(graded.n)).toBeGreaterThan(200);
    const inspectors = await store.db.selectFrom("inspectors").select("id").execute();
    expect(inspectors.length).toBeGreaterThan(10);
    // A second start neither rebuilds nor re-grades.
    const second = await startOnce();
    expect(second).not.toContain("demo city");
    expect(second).not.toContain("first full evaluation");
  }, 120_000);
});
