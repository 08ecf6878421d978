import crypto from "node:crypto";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawPool, parseRatios } from "../../src/core/sampling/draw.ts";
import { parsePoolFile } from "../../src/core/sampling/pool-file.ts";
import { catalog } from "../../src/policy/load.ts";
import { evaluate } from "../../src/services/evaluate/run.ts";
import { choose, hasChromium, openSite, SHOTS, type Site, shot, signIn } from "./harness.ts";

let site: Site;
const SEED = "福彩3D 2026339期 5 8 1";

async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}

/** A chart has drawn: ECharts put its canvas in the wrapper. */
async function expectChart(page: Page, testId: string): Promise<void> {
  const canvas = page.getByTestId(testId).locator("canvas").first();
  await canvas.waitFor({ timeout: 15_000 });
  const box = await canvas.boundingBox();
  expect(box?.width ?? 0, testId).toBeGreaterThan(100);
  expect(box?.height ?? 0, testId).toBeGreaterThan(100);
}

/** A screenshot of one part of the page. */
async function shotOf(locator: Locator, name: string): Promise<void> {
  await locator.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** The counts table's numbers: stratum → column → value. */
async function countsOf(table: Locator): Promise<Record<string, Record<string, number>>> {
  await table.getByTestId("count-row").first().waitFor({ timeout: 15_000 });
  return table
    .getByTestId("count-row")
    .evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((r) => [
          r.getAttribute("data-stratum"),
          Object.fromEntries(
            [...r.querySelectorAll("[data-testid^=count-]")].map((c) => [
              (c.getAttribute("data-testid") ?? "").slice("count-".length),
              Number((c.textContent ?? "").replaceAll(",", "")),
            ]),
          ),
        ]),
      ),
    );
}

describe.skipIf(!hasChromium)("graded random inspections in the web application", () => {
  let planId = "";
  let digest = "";

  beforeAll(async () => {
    site = await openSite();
    // The strata are grades: one batch run, as the nightly job would.
    await evaluate(site.store, catalog());
  }, 180_000);
  afterAll(async () => site?.close());

  it("runs the wizard with a live preview per grade and creates the plan", async () => {
    const page = await signIn(site, "scjg");
    await page.getByTestId("menu-inspection-plans").click();
    await page.getByTestId("page-inspection-plans").waitFor();
    await page.getByTestId("plan-create").click();
    await page.getByTestId("page-plan-wizard").waitFor();
    // No preview before an item is given.
    await expectText(page.getByTestId("wizard-preview"), "填写至少一个抽查事项");
    await page.getByTestId("wizard-title").fill("2026 年食品经营者“双随机”抽查");
    // Items are suggested from the department's measures list.
    await choose(page, page.getByTestId("wizard-items"), "食品生产经营监督检查");
    await page.keyboard.press("Escape");
    const counts = page.getByTestId("wizard-counts");
    const first = await countsOf(counts);
    expect(first.total!.candidates).toBeGreaterThan(100);
    await shot(page, "inspection-wizard-scope");

    await page.getByTestId("wizard-next").click();
    await page.getByTestId("wizard-rules").waitFor();
    // A keeps a control sample: the minimum is shown with its reason, and going below it is refused inline.
    await expectText(page.getByTestId("wizard-min-A"), "对照样本");
    const ratioA = page.getByTestId("wizard-ratio-A");
    expect(await ratioA.inputValue()).toBe("3.00");
    await ratioA.fill("0.5");
    await page.getByTestId("wizard-next").click();
    await expectText(page.getByTestId("plan-wizard"), "不得低于 1%");
    await ratioA.fill("20");
    await page.getByTestId("wizard-ratio-B").fill("10");
    await page.getByTestId("wizard-title").press("Tab");
    // The preview follows: A at 20% draws ceil(pool × 2000 / 10000).
    await expect
      .poll(
        async () => {
          const c = await countsOf(counts);
          return (
            c.A?.drawn === Math.ceil(((c.A?.pool ?? -1) * 2000) / 10000) &&
            c.B?.drawn === Math.ceil(((c.B?.pool ?? -1) * 1000) / 10000)
          );
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await shot(page, "inspection-wizard-rules");
    await page.getByTestId("wizard-next").click();
    await page.getByTestId("wizard-summary").waitFor();
    await expectText(page.getByTestId("wizard-summary"), "A 20%");
    const preview = await countsOf(counts);
    for (const [g, row] of Object.entries(preview)) {
      expect(row.candidates, g).toBe(row.pool! + row.mustInspect! + row.excluded!);
    }
    await shot(page, "inspection-wizard-confirm");

    await page.getByTestId("wizard-create").click();
    await page.getByTestId("page-plan-detail").waitFor({ timeout: 15_000 });
    planId = (await page.getByTestId("page-plan-detail").getAttribute("data-plan")) ?? "";
    expect(planId).toMatch(/^P\d{8}SCJG/);
    expect(await page.getByTestId("plan-status").getAttribute("data-status")).toBe("draft");
    // The plan counts as the wizard previewed.
    expect(await countsOf(page.getByTestId("plan-counts"))).toEqual(preview);
    const stored = await site.store.db
      .selectFrom("inspection_plans")
      .select(["settings", "department"])
      .where("id", "=", planId)
      .executeTakeFirstOrThrow();
    expect(stored.department).toBe("SCJG");
    expect(JSON.parse(stored.settings)).toMatchObject({
      items: ["食品生产经营监督检查"],
      ratiosBp: { A: 2000, B: 1000, C: 1000, D: 3000, E: 10000, NR: 500 },
    });
    await page.context().close();
  });

  it("freezes the pool with a sealed seed's digest computed in the browser, refuses any other seed, draws with it and shows the verify command", async () => {
    const page = await signIn(site, "scjg");
    await page.goto(`${site.url}/inspection-plans/${planId}`);
    await page.getByTestId("freeze-card").waitFor();
    // Before the freeze there is no digest and nowhere to enter a seed.
    expect(await page.getByTestId("seed-input").count()).toBe(0);
    expect(await page.getByTestId("pool-digest").count()).toBe(0);
    await shot(page, "inspection-plan-draft");
    // No freeze without a commitment: the form asks for one (a future public value by default).
    await page.getByTestId("plan-freeze").click();
    await expectText(page.getByTestId("commit-form"), "请写明作为种子的公开值");
    // A sealed seed: typed here, its SHA-256 computed here; only the digest is sent.
    await page.getByTestId("commit-kind").getByText("密封种子").click();
    await page.getByTestId("commit-seed").fill(SEED);
    const sealed = crypto.createHash("sha256").update(SEED, "utf8").digest("hex");
    await expect.poll(() => page.getByTestId("commit-digest").inputValue(), { timeout: 15_000 }).toBe(sealed);
    await page.getByTestId("plan-freeze").click();
    await expectText(page.getByTestId("commit-form"), "请先抄录并密封保存种子");
    await page.getByTestId("commit-sealed").check();
    await shotOf(page.getByTestId("freeze-card"), "inspection-freeze-commitment");
    const sent: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/freeze")) sent.push(r.postData() ?? "");
    });
    await page.getByTestId("plan-freeze").click();
    await expectText(page.locator(".ant-modal-confirm"), "不能再更改");
    await page.getByTestId("freeze-confirm").click();

    const shown = page.getByTestId("pool-digest");
    await shown.waitFor({ timeout: 15_000 });
    const stored = await site.store.db
      .selectFrom("inspection_plans")
      .select(["pool_digest", "status"])
      .where("id", "=", planId)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe("frozen");
    digest = stored.pool_digest ?? "";
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await shown.getAttribute("data-digest")).toBe(digest);
    expect(await shown.textContent()).toContain(digest);
    expect(sent).toEqual([JSON.stringify({ commitment: { kind: "sha256", digest: sealed } })]);
    const committed = await site.store.db
      .selectFrom("inspection_plans")
      .select("seed_commitment")
      .where("id", "=", planId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(committed.seed_commitment ?? "null")).toEqual({ kind: "sha256", digest: sealed });
    expect(
      await page.getByTestId("pool-card").getByTestId("commitment-digest").getAttribute("data-digest"),
    ).toBe(sealed);
    await page.getByTestId("seed-input").waitFor();
    await expectText(page.getByTestId("seed-expected"), sealed);
    await shot(page, "inspection-plan-frozen");

    // Another seed: the page says it does not match, and the server refuses it (422, audited).
    const other = "福彩3D 2026339期 5 8 2";
    await page.getByTestId("seed-input").fill(other);
    await expect
      .poll(() => page.getByTestId("seed-match").getAttribute("data-match"), { timeout: 15_000 })
      .toBe("false");
    await page.getByTestId("plan-draw").click();
    await page.getByTestId("draw-confirm").click();
    await expectText(page.getByTestId("seed-form"), "与冻结时公布的承诺不符");
    await shotOf(page.getByTestId("seed-card"), "inspection-seed-refused");
    expect(
      (
        await site.store.db
          .selectFrom("inspection_plans")
          .select("status")
          .where("id", "=", planId)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe("frozen");
    const refused = await site.store.db
      .selectFrom("audit_log")
      .select("object")
      .where("action", "=", "plan.draw")
      .where("result", "=", "failed")
      .execute();
    expect(refused.map((r) => r.object)).toEqual([
      `${planId} refused draw.commitment_mismatch seed-sha256=${crypto.createHash("sha256").update(other, "utf8").digest("hex")}`,
    ]);

    // The seed is checked as the server checks it: no leading or trailing space.
    await page.getByTestId("seed-input").fill(`${SEED} `);
    await page.getByTestId("plan-draw").click();
    await expectText(page.getByTestId("seed-form"), "首尾不能有空格");
    await page.getByTestId("seed-input").fill(SEED);
    await expect
      .poll(() => page.getByTestId("seed-match").getAttribute("data-match"), { timeout: 15_000 })
      .toBe("true");
    await page.getByTestId("plan-draw").click();
    await expectText(page.getByTestId("seed-echo"), SEED);
    await page.getByTestId("draw-confirm").click();

    await page.getByTestId("draw-card").waitFor({ timeout: 15_000 });
    expect(await page.getByTestId("plan-seed").textContent()).toBe(SEED);
    expect(await page.getByTestId("plan-algorithm").textContent()).toBe("v1");
    const ratios = "A=2000,B=1000,C=1000,D=3000,E=10000,NR=500";
    expect(await page.getByTestId("verify-command").getAttribute("data-command")).toBe(
      `npx credit draw verify --pool pool-${planId}.csv --seed '${SEED}' --ratios ${ratios} --commitment sha256:${crypto.createHash("sha256").update(SEED, "utf8").digest("hex")}`,
    );
    // The drawn list is the draw anyone recomputes from the published pool file, in ticket order.
    const file = await page.request.get(`${site.url}/api/v1/public/inspection-plans/${planId}/pool.csv`);
    const replay = drawPool(parsePoolFile(Buffer.from(await file.body())), SEED, parseRatios(ratios));
    const table = page.getByTestId("drawn-table");
    await table.getByTestId("drawn-row").first().waitFor({ timeout: 15_000 });
    expect(await table.getByTestId("drawn-inspectors").count()).toBeGreaterThan(0);
    await shotOf(page.getByTestId("draw-card"), "inspection-draw-card");
    const random: (string | null)[] = [];
    for (let n = 1; ; n++) {
      await table.locator(`.ant-pagination-item-active[title="${n}"]`).waitFor();
      random.push(
        ...(await table
          .locator('[data-testid=drawn-row][data-kind="random"]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-code")))),
      );
      const next = table.locator(".ant-pagination-next");
      if ((await next.getAttribute("aria-disabled")) === "true") break;
      await next.click();
    }
    expect(random).toEqual(replay.drawn.map((d) => d.code));
    expect(await table.getByTestId("drawn-inspectors").count()).toBeGreaterThan(0);
    await page.getByTestId("verify-command").scrollIntoViewIfNeeded();
    await shot(page, "inspection-plan-drawn");
    await page.context().close();
  });

  it("shows the public page without signing in: same digest, commitment and seed; the pool file hashes to the digest, draw.txt is the draw", async () => {
    const context = await site.browser.newContext({
      locale: "zh-CN",
      viewport: { width: 1366, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(`${site.url}/public/plans`);
    await page.getByTestId("page-public-plans").waitFor({ timeout: 15_000 });
    await page.getByTestId("public-plan-link").filter({ hasText: "食品经营者" }).first().click();
    await page.getByTestId("page-public-plan").waitFor({ timeout: 15_000 });
    expect(page.url()).toContain(`/public/plans/${planId}`);
    expect(await page.getByTestId("public-digest").getAttribute("data-digest")).toBe(digest);
    expect(await page.getByTestId("public-seed").textContent()).toBe(SEED);
    expect(await page.getByTestId("verify-command").getAttribute("data-command")).toContain(
      `--seed '${SEED}'`,
    );
    expect(await page.getByTestId("commitment-digest").getAttribute("data-digest")).toBe(
      crypto.createHash("sha256").update(SEED, "utf8").digest("hex"),
    );
    // The drawn subjects come a page at a time: never more rows than a page, the total from the server.
    await page.getByTestId("public-row").first().waitFor({ timeout: 15_000 });
    const rows = await page.getByTestId("public-row").count();
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThanOrEqual(20);
    const total = await site.store.db
      .selectFrom("inspection_tasks")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("plan_id", "=", planId)
      .executeTakeFirstOrThrow();
    await expectText(page.getByTestId("public-drawn"), `${Number(total.n)}`);
    // The published draw is what anyone's verifier prints from the pool file and the seed.
    const drawHref = await page.getByTestId("public-draw-download").getAttribute("href");
    expect(drawHref).toBe(`/api/v1/public/inspection-plans/${planId}/draw.txt`);
    const poolFile = await page.request.get(`${site.url}/api/v1/public/inspection-plans/${planId}/pool.csv`);
    const replay = drawPool(
      parsePoolFile(Buffer.from(await poolFile.body())),
      SEED,
      parseRatios("A=2000,B=1000,C=1000,D=3000,E=10000,NR=500"),
    );
    const drawText = await page.request.get(`${site.url}${drawHref}`);
    expect(await drawText.text()).toBe(`${[digest, ...replay.drawn.map((d) => d.code)].join("\n")}\n`);
    const href = await page.getByTestId("public-pool-download").getAttribute("href");
    expect(href).toBe(`/api/v1/public/inspection-plans/${planId}/pool.csv`);
    const file = await page.request.get(`${site.url}${href}`);
    expect(file.status()).toBe(200);
    expect(
      crypto
        .createHash("sha256")
        .update(await file.body())
        .digest("hex"),
    ).toBe(digest);
    await shot(page, "inspection-public-plan");
    await context.close();
  });

  it("freezes with a future public value: the draw waits for its date; the public page names the value", async () => {
    const page = await signIn(site, "scjg");
    const plan = await page.request.post(`${site.url}/api/v1/inspection-plans`, {
      data: { title: "公开值承诺的计划", items: ["食品生产经营监督检查"], scope: { divisions: ["14"] } },
    });
    expect(plan.status()).toBe(201);
    const id = (await plan.json()).id as string;
    await page.goto(`${site.url}/inspection-plans/${id}`);
    await page.getByTestId("freeze-card").waitFor();
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 32 * 3_600_000).toISOString().slice(0, 10);
    const description = "福彩3D 第2026340期开奖号码，三个数字以空格分隔";
    await page.getByTestId("commit-description").fill(description);
    // A value published today may already be known: refused before anything is sent.
    await page.getByTestId("commit-date").fill(today);
    await page.getByTestId("plan-freeze").click();
    await expectText(page.getByTestId("commit-form"), "公布日期须在今天之后");
    await page.getByTestId("commit-date").fill(tomorrow);
    await page.getByTestId("plan-freeze").click();
    await page.getByTestId("freeze-confirm").click();
    await page.getByTestId("seed-card").waitFor({ timeout: 15_000 });
    await expectText(page.getByTestId("seed-expected"), description);
    await expectText(page.getByTestId("seed-too-early"), tomorrow);
    expect(await page.getByTestId("plan-draw").isDisabled()).toBe(true);
    await shotOf(page.getByTestId("seed-card"), "inspection-seed-public-value");
    const pub = await site.browser.newPage();
    await pub.goto(`${site.url}/public/plans/${id}`);
    await expectText(pub.getByTestId("commitment-description"), description);
    await expectText(pub.getByTestId("commitment-date"), tomorrow);
    await pub.close();
    await page.context().close();
  });

  it("lets the inspector enter a result: problems required unless nothing was found, then the new grade", async () => {
    const page = await signIn(site, "inspector");
    await page.getByTestId("menu-inspection-tasks").click();
    await page.getByTestId("page-inspection-tasks").waitFor();
    await expectText(page.getByTestId("page-inspection-tasks"), "我的检查任务");
    const row = page
      .getByTestId("task-row")
      .filter({ has: page.getByTestId("task-enter") })
      .first();
    await row.waitFor({ timeout: 15_000 });
    const code = (await row.getAttribute("data-code")) ?? "";
    // Every listed task is one of SCJG-0001's (the demo account's inspector record).
    const mine = await site.store.db
      .selectFrom("inspection_assignments")
      .innerJoin("inspection_tasks", "inspection_tasks.id", "inspection_assignments.task_id")
      .select("inspection_tasks.subject_code")
      .where("inspection_assignments.inspector_id", "=", "SCJG-0001")
      .execute();
    expect(mine.map((m) => m.subject_code)).toContain(code);
    const listed = await page
      .getByTestId("task-row")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-code")));
    for (const c of listed) expect(mine.map((m) => m.subject_code)).toContain(c);
    await shot(page, "inspection-tasks");

    await row.getByTestId("task-enter").click();
    const drawer = page.getByTestId("result-form");
    await drawer.waitFor();
    await page.getByTestId("result-outcome").getByText("不合格").click();
    await page.getByTestId("result-submit").click();
    await expectText(drawer, "须填写发现的问题");
    await shot(page, "inspection-result-required");
    // Nothing reached the server.
    expect(
      await site.store.db
        .selectFrom("inspection_results")
        .selectAll()
        .where("subject_code", "=", code)
        .execute(),
    ).toEqual([]);

    await page.getByTestId("result-problems").fill("经营超过保质期的食品");
    await page.getByTestId("result-followup").fill("责令改正，立案调查");
    await page.getByTestId("result-submit").click();
    const saved = page.getByTestId("result-saved");
    await saved.waitFor({ timeout: 30_000 });
    const after = await site.store.db
      .selectFrom("evaluations")
      .select(["grade", "score"])
      .where("subject_code", "=", code)
      .where("model_id", "=", "public")
      .where("is_current", "=", 1)
      .executeTakeFirstOrThrow();
    const shown = saved.locator('[data-testid=result-grade][data-model="public"]');
    expect(await shown.getAttribute("data-grade")).toBe(after.grade);
    await expectText(shown, `${after.score} 分`);
    await shot(page, "inspection-result-saved");
    await page.getByTestId("result-drawer").getByRole("button", { name: "关闭" }).last().click();
    await expectText(row, "不合格");
    await page.context().close();
  });

  it("charts problems found per grade for the plan and city-wide", async () => {
    const page = await signIn(site, "scjg");
    await page.goto(`${site.url}/inspection-plans/${planId}`);
    await page.getByTestId("plan-stats-chart").scrollIntoViewIfNeeded();
    await expectChart(page, "plan-stats-chart-canvas");
    await expectText(page.getByTestId("plan-stats-chart"), "对照样本");
    const done = await page
      .getByTestId("plan-stats-chart")
      .getByTestId("stats-row")
      .evaluateAll((rows) => rows.map((r) => r.textContent));
    expect(done.some((t) => t?.includes("100%"))).toBe(true);
    await page.waitForTimeout(1200);
    await shot(page, "inspection-plan-stats");
    await page.goto(`${site.url}/inspection-plans?tab=stats`);
    await expectChart(page, "effectiveness-chart-canvas");
    await page.waitForTimeout(1200);
    await shot(page, "inspection-effectiveness");
    // The same pages in English.
    await page.getByTestId("lang-switch").click();
    await page.getByTestId("lang-en").click();
    await expectText(page.getByTestId("tab-effectiveness"), "Is grading working?");
    await page.goto(`${site.url}/inspection-plans/${planId}`);
    await expectText(page.getByTestId("pool-card"), "Pool digest (published)");
    await shot(page, "inspection-plan-en");
    await page.context().close();
  });

  it("shows the inspector directory with bound accounts", async () => {
    const page = await signIn(site, "scjg-admin");
    await page.getByTestId("menu-inspectors").click();
    const bound = page.locator('[data-testid=inspector-row][data-inspector="SCJG-0001"]');
    await bound.waitFor({ timeout: 15_000 });
    await expectText(bound, "inspector");
    await expectText(bound, "王强");
    expect(await page.getByTestId("inspector-add").count()).toBe(1);
    await shot(page, "inspectors");
    await page.context().close();
  });

  it("lets the inspector declare a conflict of interest on their own record only", async () => {
    const page = await signIn(site, "inspector");
    await page.getByTestId("menu-inspectors").click();
    const own = page.locator('[data-testid=inspector-row][data-inspector="SCJG-0001"]');
    await own.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId("inspector-declare").count()).toBe(1);
    expect(await page.getByTestId("inspector-add").count()).toBe(0);
    const subject = await site.store.db
      .selectFrom("subjects")
      .select("code")
      .where("type", "=", "enterprise")
      .orderBy("code")
      .limit(1)
      .executeTakeFirstOrThrow();
    await own.getByTestId("inspector-declare").click();
    const form = page.getByTestId("conflict-form");
    await form.waitFor();
    await form.locator("input").fill(subject.code);
    await form.locator("textarea").fill("近亲属在该企业任职");
    await page.getByTestId("conflict-submit").click();
    await expectText(own.getByTestId("inspector-conflict-count"), "1");
    const stored = await site.store.db
      .selectFrom("inspector_conflicts")
      .selectAll()
      .where("inspector_id", "=", "SCJG-0001")
      .where("status", "=", "active")
      .execute();
    expect(stored.map((c) => c.subject_code)).toEqual([subject.code]);
    await page.context().close();
  });

  it("filters the inspection-object directory by grade", async () => {
    const page = await signIn(site, "scjg-admin");
    await page.getByTestId("menu-inspection-objects").click();
    await choose(page, page.getByTestId("object-grade"), "A 优秀");
    await page.getByTestId("object-search").click();
    await expect
      .poll(
        async () => {
          const grades = await page
            .getByTestId("object-table")
            .locator("[data-grade]")
            .evaluateAll((els) => els.map((e) => e.getAttribute("data-grade")));
          return grades.length > 0 && grades.every((g) => g === "A");
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await shot(page, "inspection-objects");
    await page.context().close();
  });
});
