import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../../src/policy/load.ts";
import { evaluate } from "../../src/services/evaluate/run.ts";
import { choose, hasChromium, openSite, type Site, shot, signIn } from "./harness.ts";

let site: Site;
/** The demo enterprise account's own subject. */
let firm: { code: string; name: string };

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}

describe.skipIf(!hasChromium)("supervision by grade in the web application", () => {
  beforeAll(async () => {
    site = await openSite();
    await evaluate(site.store, catalog());
    const user = await site.store.db
      .selectFrom("users")
      .innerJoin("subjects", "subjects.code", "users.subject_code")
      .select(["subjects.code", "subjects.name"])
      .where("users.username", "=", "enterprise")
      .executeTakeFirstOrThrow();
    firm = user;
  }, 180_000);
  afterAll(async () => site?.close());

  it("shows the measures lists by department: items, legal basis, measures per grade", async () => {
    const page = await signIn(site, "zj");
    await page.getByTestId("menu-measures").click();
    await page.getByTestId("page-measures").waitFor();
    // a department user lands on its own list
    const item = page.getByTestId("measures-item").filter({ hasText: "建筑工程施工许可" });
    await item.waitFor({ timeout: 15_000 });
    await expectText(item, "《中华人民共和国建筑法》第七条");
    expect(await item.locator("[data-grade]").count()).toBe(6);
    await expectText(item, "施工许可可适用告知承诺");
    await shot(page, "measures-lists");
    await page.getByTestId("measures-tab-XYB").click();
    await expectText(page.getByTestId("measures-item"), "公共资源交易");
    await page.context().close();
  });

  it("lets a department user run a credit check and see grades, measures and reasons", async () => {
    const grade = (
      await site.store.db
        .selectFrom("evaluations")
        .select(["grade", "score"])
        .where("subject_code", "=", firm.code)
        .where("model_id", "=", "public")
        .where("is_current", "=", 1)
        .executeTakeFirstOrThrow()
    ).grade;
    const page = await signIn(site, "scjg");
    await page.getByTestId("menu-credit-checks").click();
    await page.getByTestId("page-credit-checks").waitFor();
    // the purpose is required: the form says so before anything is sent
    await page.getByTestId("check-subject").fill(firm.code);
    await page.getByTestId("check-submit").click();
    await expectText(page.getByTestId("check-form"), "请填写核查事由");
    await choose(page, page.getByTestId("check-scenario"), "行政审批");
    await page.getByTestId("check-purpose-input").fill("企业申请食品经营许可，审批前信用核查");
    await page.getByTestId("check-submit").click();
    const result = page.getByTestId("check-result");
    await result.waitFor({ timeout: 15_000 });
    await expectText(page.getByTestId("check-result-subject"), firm.name);
    expect(await result.getByTestId("applied-grade").count()).toBeGreaterThan(0);
    const rows = result.getByTestId("applied-measure");
    expect(await rows.count()).toBeGreaterThan(0);
    // the general list's approval item decides on the public grade, and says so
    await expectText(rows, `公共信用综合评价 ${grade} 级`);
    const kinds = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")));
    expect(kinds.every((k) => k === "incentive" || k === "constraint" || k === "neutral")).toBe(true);
    expect(await result.getByTestId("measure-kind").count()).toBe(await rows.count());
    // the log below shows the check
    await expectText(page.getByTestId("check-log"), "企业申请食品经营许可，审批前信用核查");
    await shot(page, "credit-check");
    const logged = await site.store.db
      .selectFrom("credit_checks")
      .selectAll()
      .where("subject_code", "=", firm.code)
      .executeTakeFirstOrThrow();
    expect(logged).toMatchObject({ caller: "scjg", department: "SCJG", scenario: "administrative_approval" });
    await page.context().close();
  });

  it("shows the enterprise its applicable measures and who checked its credit", async () => {
    const page = await signIn(site, "enterprise");
    await page.getByTestId("menu-self").click();
    const measures = page.getByTestId("subject-measures");
    // The card is there while its data loads (a skeleton): wait for a measure, not for the card.
    await measures.getByTestId("applied-measure").first().waitFor({ timeout: 15_000 });
    const checks = page.getByTestId("self-checks-table");
    await expectText(checks, "企业申请食品经营许可，审批前信用核查");
    await expectText(checks.getByTestId("check-caller"), "scjg");
    await expectText(checks, "市场监督管理局");
    await checks.scrollIntoViewIfNeeded();
    await shot(page, "enterprise-checks");
    await page.context().close();
  });
});
