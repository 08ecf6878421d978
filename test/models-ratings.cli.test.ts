import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usccCheckChar } from "../src/core/uscc/uscc.ts";
import { loadDemo } from "../src/demo/load.ts";
import { catalog } from "../src/policy/load.ts";
import { MODELS_DIR } from "../src/policy/models.ts";
import { prepareStore } from "../src/services/bootstrap.ts";
import { modelSet } from "../src/services/evaluate/models.ts";
import { openTestStore, type TestStore } from "../src/store/testing.ts";

const run = promisify(execFile);
const bin = path.resolve("bin/credit.js");
const TODAY = "2026-11-29";
let store: TestStore;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-cli-mr-"));
const uscc = (n: number) => {
  const first = `91350582MA2Y${String(n).padStart(5, "0")}`;
  return first + usccCheckChar(first);
};

beforeAll(async () => {
  store = await openTestStore();
  await prepareStore(store, catalog());
  await loadDemo(store, { subjects: 300, seed: "cli-models", today: TODAY });
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

describe("credit agencies / ratings / grades", () => {
  it("registers an agency and imports its ratings, all-or-nothing unless --accept-valid", async () => {
    const add = await credit([
      "agencies",
      "add",
      "XYPJ01",
      "--name",
      "某信用评级有限公司",
      "--qualification",
      "征信机构备案 闽0001",
      "--scale",
      "AAA-C",
    ]);
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ code: "XYPJ01", scale: "aaa-c" });
    const file = path.join(dir, "ratings.csv");
    fs.writeFileSync(
      file,
      `Unified social credit code,Rating,Rating date,Valid until\n${uscc(1)},A+,2026-01-05,2026-12-31\n${uscc(2)},A+,2026-13-05,2026-12-31\n`,
    );
    const bad = await credit(["ratings", "import", file, "--agency", "xypj01"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("NOT committed");
    expect(bad.stderr).toContain("评级日期");
    expect(bad.stdout).toMatch(/rejects report: .*\.csv/);
    const ok = await credit(["ratings", "import", file, "--agency", "XYPJ01", "--accept-valid", "--json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: "committed", accepted: 1, rejected: 1 });
  });

  it("imports tax grades with the source's department", async () => {
    const file = path.join(dir, "tax.csv");
    fs.writeFileSync(
      file,
      `纳税人识别号,纳税信用级别,评价日期\n${uscc(1)},M,2026-04-15\n${uscc(2)},C,2026-04-15\n`,
    );
    const r = await credit(["grades", "import", file, "--source", "tax", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "committed", accepted: 2 });
    const rows = await store.db
      .selectFrom("other_grades")
      .select(["original", "grade", "department"])
      .execute();
    expect(rows.map((g) => [g.original, g.grade, g.department]).sort()).toEqual([
      ["C", "D", "SW"],
      ["M", "NR", "SW"],
    ]);
    const unknown = await credit(["grades", "import", file, "--source", "stars"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Unknown grading system");
  });
});

describe("credit model diff / publish", () => {
  const draft = path.join(dir, "public-v2.yaml");
  beforeAll(() => {
    const text = fs.readFileSync(`${MODELS_DIR}/public.yaml`, "utf8");
    fs.writeFileSync(
      draft,
      text
        .replace(
          "{ minor: 10, general: 80, serious: 200 }, source: ndrc-2026",
          "{ minor: 10, general: 200, serious: 300 }, source: ndrc-2026",
        )
        .replace(/^version: "1"$/m, 'version: "2"'),
    );
  });

  it("prints the transition matrix and PSI (--json too)", async () => {
    const text = await credit(["model", "diff", "--draft", draft, "--as-of", TODAY]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("现行 current v1 → 草案 draft v2");
    expect(text.stdout).toMatch(/PSI \d\.\d{4}/);
    const json = await credit(["model", "diff", "--draft", draft, "--as-of", TODAY, "--json"]);
    const d = JSON.parse(json.stdout);
    // The population: the subjects in the public model's scope (natural persons and deregistered are not).
    const pub = modelSet(catalog()).public;
    const inScope = (await store.db.selectFrom("subjects").selectAll().execute()).filter((s) => pub.scope(s));
    expect(inScope.length).toBeLessThan(300);
    expect(d.subjects).toBe(inScope.length);
    expect(d.moves.up).toBe(0);
    expect(d.psi).toBeGreaterThanOrEqual(0);
  });

  it("refuses a broken draft with a bilingual message and exit 1", async () => {
    const broken = path.join(dir, "broken.yaml");
    fs.writeFileSync(broken, fs.readFileSync(draft, "utf8").replace("max_score: 1000", "max_score: 999"));
    const r = await credit(["model", "publish", "--draft", broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("无法编译");
    expect(r.stderr).toContain("cannot be compiled");
  });

  it("publishes the draft and evaluates with it", async () => {
    // --by must name a real account; without it the operating-system user is on record.
    const unknown = await credit(["model", "publish", "--draft", draft, "--by", "xyb", "--json"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("--by xyb");
    const r = await credit(["model", "publish", "--draft", draft, "--evaluate", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      modelId: "public",
      version: "2",
      previousVersion: "1",
      evaluated: 300,
    });
    const v = await store.db
      .selectFrom("evaluations")
      .select("model_version")
      .distinct()
      .where("model_id", "=", "public")
      .where("is_current", "=", 1)
      .execute();
    expect(v).toEqual([{ model_version: "2" }]);
    const operator = `os:${os.userInfo().username}`;
    const logged = await store.db
      .selectFrom("audit_log")
      .select(["actor", "role", "action"])
      .where("action", "=", "model.publish")
      .execute();
    expect(logged).toEqual([{ actor: operator, role: "operator", action: "model.publish" }]);
  });
});
