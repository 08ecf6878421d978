import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStore, type TestStore } from "../src/store/testing.ts";

const run = promisify(execFile);
const bin = path.resolve("bin/credit.js");
let store: TestStore;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-cli-"));

beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function credit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, ...store.env },
      cwd: dir,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe("credit command", () => {
  it("uscc: one JSON line per code, with the three outcomes", async () => {
    const r = await credit([
      "uscc",
      "91350100M000100Y43",
      "９１１１００００６０００３７３４１ｍ",
      "91350211M0000XUF46",
    ]);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.normalized, l.status])).toEqual([
      ["91350100M000100Y43", "valid"],
      ["91110000600037341M", "invalid"],
      ["91350211M0000XUF46", "invalid"],
    ]);
    expect(lines[1].reason.code).toBe("uscc.check");
    await credit(["allowlist", "91350211M0000XUF46", "--note", "泉州市市场监管局证明"]);
    const legacy = JSON.parse((await credit(["uscc", "91350211M0000XUF46"])).stdout);
    expect(legacy.status).toBe("legacy");
  });

  it("catalog --json lists the categories in force with their required fields", async () => {
    const r = JSON.parse((await credit(["catalog", "--json"])).stdout);
    const codes = r.categories.map((c: { code: string }) => c.code);
    for (const c of [
      "INSPECTION",
      "PENALTY",
      "COERCION",
      "COMPLAINT",
      "SAFETY_ACCIDENT",
      "QUALITY_ACCIDENT",
      "LICENCE",
    ])
      expect(codes).toContain(c);
    for (const c of [
      "HONOUR",
      "COMMITMENT",
      "JUDGMENT",
      "TAX_ARREARS",
      "WAGE_ARREARS",
      "ABNORMAL_OPERATION",
      "SERIOUS_VIOLATOR",
    ])
      expect(codes).toContain(c);
    const penalty = r.categories.find((c: { code: string }) => c.code === "PENALTY");
    expect(penalty.requiredFields).toEqual(
      expect.arrayContaining(["subject_code", "doc_no", "decision_date", "penalty_type", "legal_basis"]),
    );
  });

  it("import: prints the batch summary, exits 1 when an all-or-nothing import rejects anything", async () => {
    const file = path.join(dir, "inspections.csv");
    fs.writeFileSync(
      file,
      "Category,Subject code,Document number,Decision date,Inspection result\n" +
        "INSPECTION,91350100M000100Y43,K-1,2025-01-02,pass\nINSPECTION,91350100M000100Y43,K-2,2025-13-02,pass\n",
    );
    const bad = await credit(["import", file, "--department", "SCJG", "--json"]);
    expect(bad.code).toBe(1);
    const summary = JSON.parse(bad.stdout);
    expect(summary).toMatchObject({ accepted: 0, rejected: 1, duplicates: 0, versions: 0 });
    expect(Object.keys(summary).sort()).toEqual([
      "accepted",
      "batchId",
      "duplicates",
      "rejected",
      "rejectsFile",
      "versions",
    ]);
    expect(fs.readFileSync(summary.rejectsFile, "utf8")).toContain("date.impossible");
    const ok = await credit(["import", file, "--department", "SCJG", "--json", "--accept-valid"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ accepted: 1, rejected: 1 });
    const again = await credit(["import", file, "--department", "SCJG", "--json", "--accept-valid"]);
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it("template: writes a header template a department can fill in", async () => {
    const out = path.join(dir, "t.csv");
    await credit(["template", "PENALTY", "--lang", "en", "-o", out]);
    const head = fs
      .readFileSync(out, "utf8")
      .replace(/^\uFEFF/, "")
      .split(/\r?\n/)[0]!;
    expect(head).toContain("Subject code*");
  });
});
