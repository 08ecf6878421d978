import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS } from "../../src/core/auth/roles.ts";
import { DEMO_ACCOUNTS } from "../../src/services/auth/demo.ts";
import { hasChromium, openSite, type Site, shot, signIn } from "./harness.ts";

/** Menu entries (web/src/layout/menu.tsx) and the permission each needs. */
const MENU: Record<string, keyof typeof PERMISSIONS> = {
  subjects: "subjects.read",
  self: "self.read",
  models: "models.manage",
  ratings: "ratings.read",
  agencies: "agencies.read",
  measures: "measures.read",
  "credit-checks": "credit_checks.create",
  "inspection-plans": "inspections.read",
  "inspection-tasks": "inspections.read",
  inspectors: "inspections.read",
  "inspection-objects": "inspections.read",
  import: "records.submit",
  imports: "imports.read",
  users: "users.manage",
  departments: "departments.manage",
  tokens: "tokens.manage",
  audit: "audit.read",
};

let site: Site;

describe.skipIf(!hasChromium)("web application in Chromium", () => {
  beforeAll(async () => {
    site = await openSite();
  }, 120_000);
  afterAll(async () => site?.close());

  it("signs in as every demo role and shows exactly the menu that role may use", async () => {
    for (const account of DEMO_ACCOUNTS) {
      const page = await signIn(site, account.username);
      for (const [key, permission] of Object.entries(MENU)) {
        const expected = (PERMISSIONS[permission] as readonly string[]).includes(account.role);
        expect(await page.getByTestId(`menu-${key}`).count(), `${account.username} menu-${key}`).toBe(
          expected ? 1 : 0,
        );
      }
      await shot(page, `menu-${account.role}`);
      await page.context().close();
    }
    // Nine sign-ins, each a scrypt and a page load: on a loaded 2-core CI machine 10–20 s apiece.
  }, 180_000);

  it("refuses a wrong password with an inline message", async () => {
    const context = await site.browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${site.url}/login`);
    await page.getByTestId("login-username").fill("scjg");
    await page.getByTestId("login-password").fill("wrong-password");
    await page.getByTestId("login-submit").click();
    await expectText(page.getByTestId("login-card"), "用户名或口令不正确");
    await shot(page, "login-error");
    await context.close();
  });

  it("searches a subject by name and opens its profile with the record timeline", async () => {
    const subject = await site.store.db
      .selectFrom("subjects")
      .innerJoin("credit_records", "credit_records.subject_code", "subjects.code")
      .select(["subjects.code", "subjects.name"])
      .where("subjects.type", "=", "enterprise")
      .limit(1)
      .executeTakeFirstOrThrow();
    const page = await signIn(site, "scjg");
    await page.getByTestId("menu-subjects").click();
    await page.getByTestId("subject-search-input").fill(subject.name);
    await page.getByTestId("subject-search-submit").click();
    await page.getByTestId("subject-table").getByText(subject.code).first().waitFor();
    await shot(page, "subject-search");
    await page.getByTestId("subject-link").first().click();
    await expectText(page.getByTestId("subject-profile-header"), subject.name);
    await page.getByTestId("record-timeline").waitFor();
    expect(await page.getByTestId("record-item").count()).toBeGreaterThan(0);
    await shot(page, "subject-profile");
    await page.context().close();
  });

  it("uploads a file with bad rows, shows the refusal and serves the per-row error report", async () => {
    const file = path.join(site.dataDir, "处罚-有错误.csv");
    fs.writeFileSync(
      file,
      "\uFEFF信息类别,统一社会信用代码,主体名称,决定文书号,处罚决定日期,处罚种类,处罚依据\n" +
        "行政处罚,91350100M000100Y43,泉州某某公司,晋市监罚〔2025〕901号,2025-03-05,罚款,产品质量法\n" +
        "行政处罚,91110000600037341M,泉州某某公司,晋市监罚〔2025〕902号,2025-02-30,罚款,产品质量法\n",
    );
    const page = await signIn(site, "scjg");
    await page.getByTestId("menu-import").click();
    await page.getByTestId("import-file-input").setInputFiles(file);
    await page.getByTestId("import-submit").click();
    const result = page.getByTestId("import-result");
    await result.waitFor({ timeout: 30_000 });
    await expectText(page.getByTestId("import-rejected"), "1");
    await shot(page, "import-rejected");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("import-rejects-download").click(),
    ]);
    const report = fs.readFileSync((await download.path())!, "utf8");
    expect(report).toContain("uscc.check");
    expect(report).toContain("date.impossible");
    expect(report).toContain("2,subject_code");
    await page.context().close();
  });

  it("lets the enterprise user see its own credit profile only", async () => {
    const page = await signIn(site, "enterprise");
    await page.getByTestId("menu-self").click();
    await page.getByTestId("subject-profile-header").waitFor();
    await shot(page, "enterprise-self");
    await page.context().close();
  });

  it("switches to English", async () => {
    const page = await signIn(site, "xyb");
    await page.getByTestId("lang-switch").click();
    await page.getByTestId("lang-en").click();
    await expectText(page.getByTestId("side-menu"), "Subject");
    await shot(page, "english-shell");
    await page.context().close();
  });
});

async function expectText(locator: import("playwright-core").Locator, text: string) {
  await locator.getByText(text, { exact: false }).first().waitFor({ timeout: 15_000 });
}
