import fs from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../../src/policy/load.ts";
import { MODELS_DIR } from "../../src/policy/models.ts";
import { chinaToday } from "../../src/services/collect/ingest.ts";
import { diffDraft } from "../../src/services/models/diff.ts";
import { choose, hasChromium, openSite, SHOTS, type Site, settled, shot, signIn } from "./harness.ts";

let site: Site;
/** The subject the agency rates (test 2), graded by SCJG's risk class (test 3). */
let rated = "";

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}

/** A full-page screenshot from the top (the sticky header stays where it belongs). */
async function shotTop(page: Page, name: string): Promise<void> {
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    for (const el of document.querySelectorAll(".ant-table-content, .ant-table-body")) el.scrollLeft = 0;
  });
  await page
    .locator(".ant-modal-wrap")
    .first()
    .waitFor({ state: "hidden" })
    .catch(() => undefined);
  await shot(page, name);
}

const shiftDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const FOOD = fs.readFileSync(path.join(MODELS_DIR, "samr-food.yaml"), "utf8");
const INSPECTION_BASE = '    base: [{ from: "2021-06-01", value: 220, source: platform }]';

describe.skipIf(!hasChromium)("market ratings, agencies and model versions in the web application", () => {
  beforeAll(async () => {
    site = await openSite();
  }, 180_000);
  afterAll(async () => site?.close());

  it("the city credit office registers an agency and binds the agency user", async () => {
    const page = await signIn(site, "xyb");
    await page.getByTestId("menu-agencies").click();
    await page.getByTestId("page-agencies").waitFor();
    await page.getByTestId("agency-create").click();
    // The form is reset when its drawer opens: type only once it has opened.
    await settled(page);
    await page.getByTestId("agency-code").fill("XYPJ01");
    await page.getByTestId("agency-name").fill("泉州某信用评级有限公司");
    await page.getByTestId("agency-qualification").fill("征信机构备案 闽0001");
    await choose(page, page.getByTestId("agency-scale"), "AAA");
    await page.getByTestId("agency-save").click();
    await page.getByTestId("agency-form").waitFor({ state: "hidden", timeout: 30_000 });
    const table = page.getByTestId("agency-table");
    await expectText(table.locator("tr"), "泉州某信用评级有限公司");
    expect(await table.getByTestId("agency-status").first().getAttribute("data-status")).toBe("active");

    await page.getByTestId("agency-bind").first().click();
    await choose(page, page.getByTestId("agency-bind-user"), "agency");
    await page.getByTestId("agency-bind-submit").click();
    await expectText(table.getByTestId("agency-member"), "agency");
    const bound = await site.store.db
      .selectFrom("agency_members")
      .innerJoin("users", "users.id", "agency_members.user_id")
      .select(["users.username", "agency_members.agency_code"])
      .execute();
    expect(bound).toEqual([{ username: "agency", agency_code: "XYPJ01" }]);
    await shotTop(page, "agencies");
    await page.context().close();
  });

  it("the agency user uploads a ratings file with one bad row and reads the refusal", async () => {
    const subjects = await site.store.db
      .selectFrom("subjects")
      .select("code")
      .where("type", "=", "enterprise")
      .orderBy("id")
      .limit(2)
      .execute();
    const today = chinaToday();
    rated = subjects[0]!.code;
    const file = path.join(site.dataDir, "评级-有错误.csv");
    fs.writeFileSync(
      file,
      "\uFEFF统一社会信用代码,主体名称,信用等级,评级日期,有效期至\n" +
        `${subjects[0]!.code},泉州某某公司,AA+,${shiftDays(today, -30)},${shiftDays(today, 335)}\n` +
        `${subjects[1]!.code},泉州某某公司,Z,${shiftDays(today, -30)},${shiftDays(today, 335)}\n`,
    );
    const page = await signIn(site, "agency");
    await page.getByTestId("menu-ratings").click();
    await expectText(page.getByTestId("rating-agency"), "泉州某信用评级有限公司");
    await page.getByTestId("ratings-import-file").setInputFiles(file);
    await page.getByTestId("ratings-import-submit").click();
    const result = page.getByTestId("ratings-import-result");
    await result.waitFor({ timeout: 30_000 });
    await expectText(page.getByTestId("ratings-import-rejected"), "1");
    await expectText(page.getByTestId("ratings-import-accepted"), "0");
    await expectText(result, "已拒绝");
    // The problem, in Chinese, with its row and the value.
    const problems = page.getByTestId("ratings-import-problems");
    await expectText(problems.locator("tr"), "Z");
    expect(await problems.locator("tbody tr.ant-table-row").count()).toBe(1);
    expect(await problems.locator("tbody tr.ant-table-row").first().textContent()).toMatch(/^2/);
    // The import is listed with its counts.
    await expectText(page.getByTestId("ratings-imports").locator("tbody tr"), "评级-有错误.csv");
    await shotTop(page, "ratings-rejected");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("ratings-import-rejects-download").click(),
    ]);
    const report = fs.readFileSync((await download.path())!, "utf8");
    expect(report).toContain("rating.unknown");
    expect(report).toMatch(/^\uFEFF行号 row,/);
    expect(report.split("\n")[1]).toMatch(/^2,/);
    expect(await site.store.db.selectFrom("market_ratings").selectAll().execute()).toEqual([]);

    // Again with the valid rows only: the good row is stored and listed.
    await page.getByTestId("ratings-import-again").click();
    await page.getByTestId("ratings-import-file").setInputFiles(file);
    await page.getByTestId("ratings-import-accept-valid").check();
    await page.getByTestId("ratings-import-submit").click();
    await expectText(page.getByTestId("ratings-import-accepted"), "1");
    await expectText(page.getByTestId("ratings-table").locator("tbody tr"), subjects[0]!.code);
    await expectText(page.getByTestId("ratings-table").getByTestId("rating-value"), "AA+");
    // The dates come through under the contract's names (ratingDate, validUntil).
    await expectText(page.getByTestId("ratings-table").locator("tbody tr"), shiftDays(today, -30));
    await expectText(page.getByTestId("ratings-table").locator("tbody tr"), shiftDays(today, 335));
    await shotTop(page, "ratings-accepted");
    await page.context().close();
  });

  it("SCJG staff import their risk classes; the profile shows the rating and the grade, original beside unified", async () => {
    expect(rated).not.toBe("");
    const file = path.join(site.dataDir, "风险分类.csv");
    fs.writeFileSync(
      file,
      `\uFEFF统一社会信用代码,企业名称,风险分类,分类日期\n${rated},泉州某某公司,A,${shiftDays(chinaToday(), -10)}\n`,
    );
    const page = await signIn(site, "scjg");
    await page.getByTestId("menu-import").click();
    await page.getByTestId("import-tab-grades").click();
    await choose(page, page.getByTestId("grades-import-source"), "企业信用风险分类");
    await page.getByTestId("grades-import-file").setInputFiles(file);
    await page.getByTestId("grades-import-submit").click();
    await expectText(page.getByTestId("grades-import-accepted"), "1");
    await expectText(page.getByTestId("grades-import-result"), "已入库");
    const row = page.getByTestId("grades-table").locator("tbody tr.ant-table-row").first();
    await expectText(row, rated);
    expect(await row.getByTestId("grades-original").textContent()).toBe("A");
    expect(await row.locator("[data-grade]").getAttribute("data-grade")).toBe("B");
    await expectText(row, shiftDays(chinaToday(), -10));
    await expectText(page.getByTestId("grades-imports").locator("tbody tr"), "风险分类.csv");
    await shotTop(page, "grades-import");

    await page.goto(`${site.url}/subjects/${rated}`);
    const external = page.getByTestId("external-grades");
    await external.waitFor({ timeout: 30_000 });
    await expectText(page.getByTestId("external-rating-value"), "AA+");
    await expectText(page.getByTestId("external-rating"), "泉州某信用评级有限公司");
    await expectText(page.getByTestId("external-rating"), "950");
    await expectText(page.getByTestId("external-rating"), shiftDays(chinaToday(), -30));
    const grade = page.getByTestId("external-grades-table").locator("tbody tr.ant-table-row").first();
    await expectText(grade, "企业信用风险分类");
    expect(await grade.getByTestId("external-original").textContent()).toBe("A");
    expect(await grade.locator("[data-grade]").getAttribute("data-grade")).toBe("B");
    await expectText(grade, shiftDays(chinaToday(), -10));
    await external.scrollIntoViewIfNeeded();
    await external.screenshot({ path: path.join(SHOTS, "subject-external-grades.png") });
    await page.context().close();
  });

  it("the SCJG administrator tries out a draft of the food model, sees the matrix and PSI, and publishes it", async () => {
    expect(FOOD).toContain(INSPECTION_BASE);
    const draft = FOOD.replace(INSPECTION_BASE, INSPECTION_BASE.replace("220", "150")).replace(
      /^version: "1"$/m,
      'version: "2"',
    );
    const expected = await diffDraft(site.store, catalog(), draft, { id: "samr-food" });
    expect(expected.subjects).toBeGreaterThan(0);
    expect(expected.moves.down).toBeGreaterThan(0);

    const page = await signIn(site, "scjg-admin");
    await page.getByTestId("menu-models").click();
    await expectText(page.getByTestId("models-card"), "食品经营");
    await expectText(page.getByTestId("models-current-version"), "第 1 版");

    // A broken draft: its problems are shown with the line they are on.
    await page.getByTestId("whatif-load-current").click();
    await expect.poll(() => page.getByTestId("whatif-yaml").inputValue()).toBe(FOOD);
    const broken = FOOD.replace("categories: [INSPECTION]", "categories: [NO_SUCH]");
    await page.getByTestId("whatif-yaml").fill(broken);
    await page.getByTestId("whatif-run").click();
    const problem = page.getByTestId("whatif-problem").first();
    await problem.waitFor({ timeout: 30_000 });
    const line = broken.split("\n").findIndex((l) => l.includes("NO_SUCH")) + 1;
    expect(await problem.getAttribute("data-line")).toBe(String(line));
    await expectText(problem, `第 ${line} 行`);
    await expectText(problem, "无法编译");
    await expectText(problem, "cannot be compiled");
    // Its line tag selects the line in the editor.
    await problem.getByTestId("whatif-problem-line").click();
    const selected = await page
      .getByTestId("whatif-yaml")
      .evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));
    expect(selected).toContain("NO_SUCH");
    await shotTop(page, "models-broken-draft");

    // The modified draft: matrix, PSI and its reading, counts before and after.
    await page.getByTestId("whatif-yaml").fill(draft);
    await page.getByTestId("whatif-run").click();
    await page.getByTestId("whatif-result").waitFor({ timeout: 60_000 });
    await expectText(page.getByTestId("whatif-psi"), expected.psi.toFixed(4));
    expect(await page.getByTestId("whatif-psi").getAttribute("data-shift")).toBe(expected.shift);
    await expectText(page.getByTestId("whatif-reading"), "PSI < 0.1 稳定");
    const cells = page.getByTestId("whatif-cell");
    expect(await cells.count()).toBe(expected.grades.length ** 2);
    for (const from of expected.grades)
      for (const to of expected.grades) {
        const cell = page.locator(`[data-testid="whatif-cell"][data-from="${from}"][data-to="${to}"]`);
        expect(await cell.textContent(), `${from}→${to}`).toBe(
          (expected.matrix[from]?.[to] ?? 0).toLocaleString("en-US"),
        );
      }
    await page.getByTestId("whatif-counts").locator("canvas").first().waitFor();
    await page.waitForTimeout(1000);
    await shotTop(page, "models-whatif");

    // Publish with a note: the new version is current and listed.
    await page.getByTestId("whatif-publish").click();
    await page.getByTestId("whatif-note").fill("检查基础分由 220 调整为 150");
    await page.getByTestId("whatif-publish-confirm").click();
    await expectText(page.getByTestId("models-versions").getByTestId("models-version"), "第 2 版");
    await expectText(page.getByTestId("models-versions").locator("tbody tr"), "检查基础分由 220 调整为 150");
    await expectText(page.getByTestId("models-current-version"), "第 2 版");
    const stored = await site.store.db
      .selectFrom("model_versions")
      .select(["model_id", "version", "published_by", "note", "yaml"])
      .execute();
    expect(stored).toEqual([
      {
        model_id: "samr-food",
        version: "2",
        published_by: "scjg-admin",
        note: "检查基础分由 220 调整为 150",
        yaml: draft,
      },
    ]);
    await shotTop(page, "models-published");
    await page.context().close();
  });

  it("the city credit office sees only the public model to manage; a department's staff has no models page", async () => {
    const page = await signIn(site, "xyb");
    await page.getByTestId("menu-models").click();
    await expectText(page.getByTestId("models-card"), "公共信用综合评价");
    expect(await page.getByTestId("models-card").count()).toBe(1);
    await page.context().close();
    const staff = await signIn(site, "scjg");
    expect(await staff.getByTestId("menu-models").count()).toBe(0);
    await staff.context().close();
  });
});
