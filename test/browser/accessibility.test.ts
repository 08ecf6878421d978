/**
 * Accessibility (GB/T 37668-2019, on WCAG 2.x AA): axe-core on every page each demo role can open — the pages of
 * its side menu as the app shows them (so a page added to web/src/layout/menu.tsx is checked without a change
 * here), the pages reached from them (a subject's profile, a plan, the plan wizard, the password page), a few
 * drawers and dialogs — and on the pages anyone can open: sign-in and the public inspection plans.
 * No serious or critical finding may remain (test/browser/harness.ts, expectAccessible).
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERMISSIONS, type Role } from "../../src/core/auth/roles.ts";
import { seedDigest } from "../../src/core/sampling/draw.ts";
import { catalog } from "../../src/policy/load.ts";
import { DEMO_ACCOUNTS } from "../../src/services/auth/demo.ts";
import { evaluate } from "../../src/services/evaluate/run.ts";
import {
  axeChecked,
  axeLog,
  axeProblems,
  hasChromium,
  openSite,
  type Site,
  settled,
  signIn,
} from "./harness.ts";

let site: Site;
let planId = "";
let subjectCode = "";
const SEED = "福彩3D 2026340期 1 2 3";

/** One account per role (the demo has two department staff accounts: the first is enough). */
const ACCOUNTS = DEMO_ACCOUNTS.filter((a, i) => DEMO_ACCOUNTS.findIndex((b) => b.role === a.role) === i);

const may = (role: Role, permission: keyof typeof PERMISSIONS) =>
  (PERMISSIONS[permission] as readonly string[]).includes(role);

/** Opens a page by its address and waits until its data arrived and nothing is moving. */
async function open(page: Page, address: string): Promise<void> {
  await page.goto(`${site.url}${address}`);
  await loaded(page);
}

/** Waits for the page's requests, spinners and skeletons to finish, and for drawers and dialogs to stop moving. */
async function loaded(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(
    () => !document.querySelector(".ant-spin-spinning, .ant-skeleton-active, .page-loading"),
    undefined,
    { timeout: 15_000 },
  );
  await settled(page);
}

/** Runs the check and keeps what it found, so one run lists every page's findings. */
async function check(page: Page, name: string, problems: string[]): Promise<void> {
  // The pointer off the page's controls: the check sees the page at rest, not the last button clicked under the
  // pointer (hover colours are held to the same contrast in the theme, web/src/App.tsx).
  await page.mouse.move(1, 1);
  const found = await axeProblems(page, name);
  if (found) problems.push(found);
}

/** A state of a page worth its own check: a drawer or dialog open, a result shown. */
interface State {
  name: string;
  /** The button that starts it: a role without it (no permission) skips the state. */
  button: string;
  show(page: Page): Promise<void>;
  /** Back to the page as it was (a drawer or dialog closes with Escape). */
  close?: boolean;
}

/** A drawer or a dialog, opened by its button. */
const opened = (button: string, name: string): State => ({
  name,
  button,
  close: true,
  async show(page) {
    await page.getByTestId(button).first().click();
    await page.locator(".ant-drawer-open, .ant-modal-wrap:visible").first().waitFor({ timeout: 15_000 });
  },
});

/** Per page: its states worth checking. */
const STATES: Record<string, State[]> = {
  "/users": [opened("user-create", "new user drawer")],
  "/departments": [opened("dept-create", "new department dialog")],
  "/tokens": [opened("token-create", "new token dialog")],
  "/agencies": [opened("agency-create", "new agency drawer")],
  "/inspectors": [opened("inspector-add", "new inspector drawer")],
  "/inspection-tasks": [opened("task-enter", "result drawer")],
  "/models": [
    {
      // The current version tried again: the what-if result (matrix, PSI, counts).
      name: "what-if result",
      button: "whatif-load-current",
      async show(page) {
        await page.getByTestId("whatif-load-current").click();
        await expect.poll(() => page.getByTestId("whatif-yaml").inputValue()).not.toBe("");
        await page.getByTestId("whatif-run").click();
        await page.getByTestId("whatif-result").waitFor({ timeout: 60_000 });
      },
    },
  ],
};

describe.skipIf(!hasChromium)("accessibility (axe-core, WCAG 2.1 A and AA)", () => {
  beforeAll(async () => {
    site = await openSite();
    // Grades, so grade cards, dashboards and strata show what they show in use.
    await evaluate(site.store, catalog());
    subjectCode = (
      await site.store.db
        .selectFrom("subjects")
        .innerJoin("credit_records", "credit_records.subject_code", "subjects.code")
        .select("subjects.code")
        .where("subjects.type", "=", "enterprise")
        .limit(1)
        .executeTakeFirstOrThrow()
    ).code;
    // A plan drawn by the market regulator's staff: plan pages, tasks and the public pages have rows.
    const page = await signIn(site, "scjg");
    const post = async (url: string, data: object) => {
      const r = await page.request.post(`${site.url}/api/v1${url}`, { data });
      expect(r.status(), `${url}: ${await r.text()}`).toBeLessThan(300);
      return r.json();
    };
    planId = (
      await post("/inspection-plans", {
        title: "2026 年食品经营者“双随机”抽查",
        items: ["食品安全日常监督检查"],
        scope: { divisions: ["14", "51", "52", "62"] },
      })
    ).id;
    await post(`/inspection-plans/${planId}/freeze`, {
      commitment: { kind: "sha256", digest: seedDigest(SEED) },
    });
    await post(`/inspection-plans/${planId}/draw`, { seed: SEED });
    await page.context().close();
  }, 240_000);

  afterAll(async () => {
    // Every finding, of any impact, per rule: what the check saw (test-results/axe-findings.json).
    const byRule: Record<string, { impact: string; pages: number; nodes: number }> = {};
    for (const f of axeLog) {
      const r = byRule[f.id] ?? { impact: f.impact, pages: 0, nodes: 0 };
      byRule[f.id] = r;
      r.pages++;
      r.nodes += f.nodes.length;
    }
    fs.mkdirSync("test-results", { recursive: true });
    fs.writeFileSync(
      path.join("test-results", "axe-findings.json"),
      `${JSON.stringify({ checked: axeChecked, byRule, findings: axeLog }, null, 2)}\n`,
    );
    await site?.close();
  });

  it("finds nothing serious on the pages anyone can open: sign-in, the public plans", async () => {
    const problems: string[] = [];
    const context = await site.browser.newContext({
      locale: "zh-CN",
      viewport: { width: 1366, height: 900 },
    });
    const page = await context.newPage();
    await open(page, "/login");
    await check(page, "sign-in", problems);
    // A refused sign-in: the message in the card.
    await page.getByTestId("login-username").fill("scjg");
    await page.getByTestId("login-password").fill("wrong-password");
    await page.getByTestId("login-submit").click();
    await page.getByTestId("login-card").locator(".ant-alert").first().waitFor({ timeout: 15_000 });
    await check(page, "sign-in, refused", problems);
    await open(page, "/public/plans");
    await check(page, "public plans", problems);
    await open(page, `/public/plans/${planId}`);
    await check(page, "public plan", problems);
    await context.close();
    expect(problems.join("\n\n")).toBe("");
  }, 180_000);

  for (const account of ACCOUNTS) {
    it(`finds nothing serious on the pages of ${account.role} (${account.username})`, async () => {
      const problems: string[] = [];
      const page = await signIn(site, account.username);
      await loaded(page);
      const role = account.role;
      // The side menu as this role sees it: every page in it.
      const menu = await page
        .getByTestId("side-menu")
        .locator("a[data-testid^=menu-]")
        .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
      expect(menu.length, "menu entries").toBeGreaterThan(0);
      const pages = ["/", ...menu, "/password"];
      if (may(role, "subjects.read")) pages.push(`/subjects/${subjectCode}`);
      if (may(role, "inspections.manage")) pages.push("/inspection-plans/new");
      // The plan is the market regulator's: its own roles and the city office see it.
      if (may(role, "inspections.read") && (account.department === "SCJG" || role === "city_admin"))
        pages.push(`/inspection-plans/${planId}`);
      for (const address of pages) {
        await open(page, address);
        await check(page, `${role} ${address}`, problems);
        for (const state of STATES[address] ?? []) {
          if (!(await page.getByTestId(state.button).count())) continue;
          await state.show(page);
          await loaded(page);
          await check(page, `${role} ${address} ${state.name}`, problems);
          if (state.close) {
            await page.keyboard.press("Escape");
            await settled(page);
          }
        }
      }
      await page.context().close();
      expect(problems.join("\n\n")).toBe("");
    }, 600_000);
  }
});
