import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../../src/policy/load.ts";
import { explainSubject } from "../../src/services/evaluate/explain.ts";
import { modelSet } from "../../src/services/evaluate/models.ts";
import { evaluate } from "../../src/services/evaluate/run.ts";
import { choose, hasChromium, openSite, type Site, shot, signIn } from "./harness.ts";

let site: Site;

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}

/** A chart has drawn: ECharts put its canvas in the wrapper. */
async function expectChart(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).locator("canvas").first().waitFor({ timeout: 15_000 });
  const box = await page.getByTestId(testId).locator("canvas").first().boundingBox();
  expect(box?.width ?? 0, testId).toBeGreaterThan(100);
  expect(box?.height ?? 0, testId).toBeGreaterThan(100);
}

/** Lets ECharts finish its entry animation before a screenshot. */
const settle = (page: Page) => page.waitForTimeout(1200);

describe.skipIf(!hasChromium)("credit evaluation in the web application", () => {
  beforeAll(async () => {
    site = await openSite();
    // openSite loads the demo city but does not grade it: one batch run, as the nightly job would.
    await evaluate(site.store, catalog());
  }, 180_000);
  afterAll(async () => site?.close());

  it("shows the dashboard: coverage from the database, grade distribution, breakdown and trend", async () => {
    const db = site.store.db;
    const evaluated = Number(
      (
        await db
          .selectFrom("evaluations")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("model_id", "=", "public")
          .where("is_current", "=", 1)
          .executeTakeFirstOrThrow()
      ).n,
    );
    // The denominator: registered subjects in the public model's scope (natural persons, deregistered are not).
    const publicModel = modelSet(catalog()).public;
    const registered = await db.selectFrom("subjects").selectAll().execute();
    const subjects = registered.filter((s) => publicModel.scope(s)).length;
    expect(subjects).toBeLessThan(registered.length);
    expect(evaluated).toBeGreaterThan(0);

    const page = await signIn(site, "scjg");
    await page.getByTestId("menu-dashboard").click();
    await page.getByTestId("dashboard").waitFor();
    const coverage = page.getByTestId("dashboard-coverage");
    await expectText(coverage, "评价覆盖率");
    expect(await page.getByTestId("dashboard-evaluated").getAttribute("data-value")).toBe(String(evaluated));
    expect(await page.getByTestId("dashboard-subjects").getAttribute("data-value")).toBe(String(subjects));
    const coverageText = await coverage.textContent();
    expect(coverageText).toContain(evaluated.toLocaleString("en-US"));
    expect(coverageText).toContain(subjects.toLocaleString("en-US"));
    const pct = Math.round((evaluated / subjects) * 1000) / 10;
    expect(coverageText).toContain(`${pct}%`);

    await expectChart(page, "dashboard-grades-chart");
    await expectChart(page, "dashboard-breakdown-chart");
    await expectChart(page, "dashboard-trend-chart");
    // the model selector lists the models in force
    await page.getByTestId("dashboard-model").click();
    await page.locator(".ant-select-item-option").filter({ hasText: "食品经营" }).first().waitFor();
    await page.keyboard.press("Escape");
    await settle(page);
    await shot(page, "dashboard");

    // another breakdown: the chart draws again (industry sections named from /reference/industries)
    await page.getByTestId("dashboard-by").getByText("按行业门类").click();
    await page.waitForURL(/by=industry_section/);
    await expectChart(page, "dashboard-breakdown-chart");

    // an industry model: its own count and coverage against the subjects in its scope
    const food = Number(
      (
        await db
          .selectFrom("evaluations")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("model_id", "=", "samr-food")
          .where("is_current", "=", 1)
          .executeTakeFirstOrThrow()
      ).n,
    );
    await choose(page, page.getByTestId("dashboard-model"), "食品经营");
    await page.waitForURL(/model=samr-food/);
    await expect
      .poll(() => page.getByTestId("dashboard-evaluated").getAttribute("data-value"), { timeout: 15_000 })
      .toBe(String(food));
    const foodModel = modelSet(catalog()).all.find((m) => m.id === "samr-food")!;
    expect(await page.getByTestId("dashboard-subjects").getAttribute("data-value")).toBe(
      String(registered.filter((s) => foodModel.scope(s)).length),
    );
    await expectText(page.getByTestId("dashboard-coverage-percent"), "100%");
    await page.evaluate(() => window.scrollTo(0, 0));
    await settle(page);
    await shot(page, "dashboard-industry");
    await page.context().close();
  });

  it("explains a subject's grade: tag, dimensions, reasons with their records, next grade and repairs", async () => {
    // An enterprise graded below A with a deduction that a repair would lift, and no trigger or ceiling.
    const rows = await site.store.db
      .selectFrom("evaluations")
      .innerJoin("subjects", "subjects.code", "evaluations.subject_code")
      .select(["subjects.code", "evaluations.grade", "evaluations.indicators"])
      .where("evaluations.model_id", "=", "public")
      .where("evaluations.is_current", "=", 1)
      .where("evaluations.grade", "in", ["B", "C", "D"])
      .where("evaluations.ceiling", "is", null)
      .where("evaluations.triggers", "=", "[]")
      .where("subjects.type", "=", "enterprise")
      .orderBy("subjects.id")
      .execute();
    let target: Awaited<ReturnType<typeof explainSubject>>;
    for (const r of rows) {
      if (!Object.values(JSON.parse(r.indicators) as Record<string, number>).some((v) => v < 0)) continue;
      const e = await explainSubject(site.store, catalog(), r.code);
      const pub = e?.models.find((m) => m.modelId === "public");
      if (pub?.repairs.length && pub.nextGrade && pub.deductions.length) {
        target = e;
        break;
      }
    }
    expect(target, "a subject with a deduction and a repair").toBeDefined();
    const subject = target!.subject;
    const pub = target!.models.find((m) => m.modelId === "public")!;
    const deducted = pub.indicators.find((i) => i.points < 0)!;
    const repair = pub.repairs[0]!;

    const page = await signIn(site, "scjg");
    await page.goto(`${site.url}/subjects/${subject.code}`);
    const card = page.getByTestId("grade-card");
    await card.waitFor();
    const tag = page.getByTestId("grade-public");
    await tag.waitFor();
    const labels: Record<string, string> = { A: "优秀", B: "良好", C: "中等", D: "较差", E: "差" };
    expect(await tag.textContent()).toContain(`${pub.grade} · ${labels[pub.grade]}`);
    const section = page.getByTestId("grade-model-public");
    expect(await section.getByTestId("grade-score").textContent()).toBe(String(pub.score));
    await expectText(section, "公共信用综合评价");
    await expectChart(page, "grade-breakdown-chart");

    // reasons: the deduction in red with its records
    const reason = section.locator(`[data-testid="grade-reason"][data-indicator="${deducted.id}"]`);
    await expectText(reason, deducted.zh);
    expect(await reason.getByTestId("grade-reason-points").textContent()).toBe(`−${-deducted.points}`);
    expect(await reason.locator(".ant-tag-error").count()).toBe(1);
    const recordId = deducted.records.find((r) => r.points !== 0)!.id;
    await expectText(reason, `记录 #${recordId}`);

    // next grade and repairs
    await expectText(
      section.getByTestId("grade-next"),
      `距 ${pub.nextGrade!.grade} 级还差 ${pub.nextGrade!.distance} 分`,
    );
    const repairs = section.getByTestId("grade-repairs");
    await expectText(repairs, "信用修复建议");
    await expectText(repairs, `记录 #${repair.record}`);
    await expectText(repairs, `+${repair.lift} 分`);
    await expectText(page.getByTestId("grade-history"), "公共信用综合评价");

    await settle(page);
    await shot(page, "subject-grade");

    // a record link leads to that record in the timeline
    await reason.locator(`[data-testid="grade-record-link"][data-record-id="${recordId}"]`).click();
    const item = page.locator(`#record-${recordId}`);
    await expect.poll(() => item.evaluate((el) => el.classList.contains("record-flash"))).toBe(true);
    await expect
      .poll(() =>
        item.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return r.top >= 0 && r.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
    await page.context().close();
  });

  /** The first subject whose public grade has a trigger or ceiling with this effect (issue 9 part 4). */
  async function withLimit(kind: "trigger" | "ceiling", effect: string) {
    const rows = await site.store.db
      .selectFrom("evaluations")
      .select(["subject_code"])
      .where("model_id", "=", "public")
      .where("is_current", "=", 1)
      .where(
        kind === "ceiling" ? "ceiling" : "triggers",
        kind === "ceiling" ? "is not" : "!=",
        kind === "ceiling" ? null : "[]",
      )
      .orderBy("subject_code")
      .execute();
    for (const r of rows) {
      const e = await explainSubject(site.store, catalog(), r.subject_code);
      const pub = e?.models.find((m) => m.modelId === "public");
      const limit = pub?.limits.find((l) => l.kind === kind && l.effect === effect);
      if (pub && limit) return { code: r.subject_code, pub, limit };
    }
    return undefined;
  }

  it("says what holds a grade down, and shows a ceiling the score is already under as no limit", async () => {
    // held down: the points give a better grade, a listing sets E
    const held = await withLimit("trigger", "sets");
    expect(held, "a subject whose grade a trigger holds down").toBeDefined();
    const page = await signIn(site, "xyb");
    await page.goto(`${site.url}/subjects/${held!.code}`);
    const section = page.getByTestId("grade-model-public");
    const blocked = section.getByTestId("grade-blocked");
    await expectText(
      blocked,
      `分数 ${held!.pub.byScore.score} 分可评 ${held!.pub.byScore.grade} 级，因以下情形现为 ${held!.pub.grade} 级`,
    );
    await expectText(blocked, `直接评为 ${held!.limit.grade} 级`);
    expect(await blocked.getAttribute("data-held")).toBe("down");
    // a held grade has no distance to the next one
    expect(await section.getByTestId("grade-next").textContent()).not.toContain("还差");
    await shot(page, "subject-grade-held");

    // the reproduction: E by the points, under "no better than D" — not shown as holding anything
    const below = await withLimit("ceiling", "none");
    expect(below, "a subject whose score is already under its ceiling").toBeDefined();
    expect(below!.pub.grade).toBe("E");
    await page.goto(`${site.url}/subjects/${below!.code}`);
    const info = section.getByTestId("grade-limits-info");
    await expectText(info, "营业执照被吊销，不得高于 D");
    await expectText(info, "最高 D 级");
    await expectText(info, "目前不影响等级（按分数为 E 级");
    expect(await section.getByTestId("grade-blocked").count()).toBe(0);
    expect(await section.textContent()).not.toContain("不能高于当前结果");
    await expectText(section.getByTestId("grade-next"), `距 D 级还差 ${below!.pub.nextGrade!.distance} 分`);
    await shot(page, "subject-grade-ceiling");

    // the same in English: grades, conditions and reasons follow the UI language
    await page.getByTestId("lang-switch").click();
    await page.getByTestId("lang-en").click();
    await expectText(info, "Business licence revoked — no better than D");
    await expectText(info, "do not change the grade now (the score gives E");
    await expectText(page.getByTestId("grade-public"), "E · Bad");
    await expectText(page.getByTestId("grade-card"), "Credit repair suggestions");
    await page.evaluate(() => window.scrollTo(0, 0));
    await settle(page);
    await shot(page, "subject-grade-en");
    await page.context().close();
  });

  it("shows the enterprise its own grade on its own profile", async () => {
    const page = await signIn(site, "enterprise");
    await page.getByTestId("menu-self").click();
    await page.getByTestId("grade-card").waitFor();
    await page.getByTestId("grade-public").waitFor();
    expect(await page.getByTestId("menu-dashboard").count()).toBe(0);
    await page.context().close();
  });
});
