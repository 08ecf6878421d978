import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recoverInterruptedBatches } from "../src/services/collect/ingest.ts";
import { openTestStore, type TestStore } from "../src/store/testing.ts";

let store: TestStore;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-kill-"));
const bin = path.resolve("bin/credit.js");

beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeCsv(file: string, n: number) {
  const lines = ["信息类别,统一社会信用代码,主体名称,文书号,决定日期,检查结果"];
  for (let i = 0; i < n; i++) lines.push(`INSPECTION,91350100M000100Y43,泉州某某公司,K-${i},2025-01-02,pass`);
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
}

function runImport(
  file: string,
  killAfterRows?: number,
): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [bin, "import", file, "--department", "SCJG", "--json", "--progress"],
      {
        env: { ...process.env, ...store.env },
      },
    );
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => {
      const m = /progress (\d+)/.exec(d.toString());
      if (killAfterRows !== undefined && m && Number(m[1]) >= killAfterRows) child.kill("SIGKILL");
    });
    child.on("exit", (code, signal) => resolve({ code, signal, stdout }));
  });
}

const count = async () =>
  Number(
    (
      await store.db
        .selectFrom("credit_records")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("a file import killed with SIGKILL", () => {
  it("leaves none of the batch, and the next import commits all of it", async () => {
    const file = path.join(dir, "big.csv");
    writeCsv(file, 300_000);
    const killed = await runImport(file, 50_000);
    expect(killed.signal).toBe("SIGKILL");
    expect(await count()).toBe(0);
    expect(await recoverInterruptedBatches(store)).toBe(1);

    const done = await runImport(file);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ accepted: 300_000, rejected: 0, duplicates: 0 });
    expect(await count()).toBe(300_000);
  });
});
