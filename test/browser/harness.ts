import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { buildApp, WEB_DIST } from "../../src/api/app.ts";
import { loadDemo } from "../../src/demo/load.ts";
import { catalog } from "../../src/policy/load.ts";
import { createDemoAccounts, DEMO_PASSWORD } from "../../src/services/auth/demo.ts";
import { prepareStore } from "../../src/services/bootstrap.ts";
import { openTestStore, type TestStore } from "../../src/store/testing.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = fs.existsSync(CHROMIUM);
export const SHOTS = path.resolve("test-results", "screenshots");

// CI sets CREDIT_REQUIRE_BROWSER=1: there a missing browser is a failure, not a skip.
if (!hasChromium && process.env.CREDIT_REQUIRE_BROWSER === "1")
  throw new Error(
    `CREDIT_REQUIRE_BROWSER=1 but no Chromium at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`,
  );
if (!hasChromium)
  console.warn(
    `\n[browser tests] SKIPPED: no Chromium at ${CHROMIUM}. Install it with: apt-get install -y chromium fonts-noto-cjk\n`,
  );

export interface Site {
  url: string;
  store: TestStore;
  browser: Browser;
  dataDir: string;
  close(): Promise<void>;
}

/** Builds the web app once if it is missing (a fresh clone where `npm ci` did not run prepare). */
function ensureWebBuilt(): void {
  if (fs.existsSync(path.join(WEB_DIST, "index.html"))) return;
  execFileSync(
    process.execPath,
    ["node_modules/vite/bin/vite.js", "build", "--config", "web/vite.config.ts"],
    {
      stdio: "inherit",
    },
  );
}

/** A real server (demo city, demo accounts) on an ephemeral port, and a headless Chromium. */
export async function openSite(subjects = 400): Promise<Site> {
  ensureWebBuilt();
  const store = await openTestStore();
  await prepareStore(store, catalog());
  await loadDemo(store, { subjects, seed: "browser-test" });
  await createDemoAccounts(store);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-web-"));
  const app: FastifyInstance = await buildApp({ store, catalog: catalog(), dataDir });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  fs.mkdirSync(SHOTS, { recursive: true });
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    browser,
    dataDir,
    async close() {
      await browser.close();
      await app.close();
      await store.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function signIn(site: Site, username: string, password = DEMO_PASSWORD): Promise<Page> {
  const context = await site.browser.newContext({ locale: "zh-CN", viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${site.url}/login`);
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("user-info").waitFor({ timeout: 15_000 });
  return page;
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Waits until no Ant Design dialog, drawer or dropdown is still opening or closing (their motion classes). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      ![...document.querySelectorAll('[class*="-appear"], [class*="-enter"], [class*="-leave"]')].some((el) =>
        [...el.classList].some((c) => /^ant-[a-z-]+-(appear|enter|leave)(-active|-prepare|-start)?$/.test(c)),
      ),
    undefined,
    { timeout: 15_000 },
  );
}

/**
 * Picks an option of an Ant Design select by its text: waits for dialogs and drawers to finish opening (while one
 * zooms in, the dropdown moves and a click lands on the dialog's backdrop), opens the select and clicks the
 * option, opening it again if it closed before the click.
 */
export async function choose(page: Page, select: Locator, text: string): Promise<void> {
  const option = page
    .locator(".ant-select-dropdown:visible .ant-select-item-option")
    .filter({ hasText: text })
    .first();
  for (let attempt = 1; ; attempt++) {
    await settled(page);
    if (!(await option.isVisible())) await select.click();
    try {
      await option.click({ timeout: 5_000 });
      // Under load a click can land while the dropdown is still moving and choose nothing: check that the select
      // now shows the option before going on (a form saved without it stays open), and pick it again if not.
      const shown = await select
        .filter({ hasText: text })
        .first()
        .waitFor({ timeout: 3_000 })
        .then(
          () => true,
          () => false,
        );
      if (shown || attempt >= 3) return;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

/**
 * What axe-core checks: WCAG 2.0 and 2.1, levels A and AA — the basis of GB/T 37668-2019, which government web
 * applications in China are held to.
 */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Rules turned off, each with its reason (none so far: an entry here needs one). */
export const AXE_DISABLED: Record<string, string> = {};

/** Every finding of every check in this process, whatever its impact: for a summary after a test file. */
export const axeLog: {
  name: string;
  id: string;
  impact: string;
  nodes: { target: string; summary: string }[];
}[] = [];

/** The names of the pages checked in this process, findings or not. */
export const axeChecked: string[] = [];

type AxeResult = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];

/** The findings that fail a page: serious and critical ones. */
const FAILING = new Set(["serious", "critical"]);

/** One finding as a readable line: rule, impact, the elements (a few of them), what to do. */
function describeFinding(v: AxeResult): string {
  const targets = v.nodes.map((n) => n.target.map(String).join(" >> "));
  const shown = targets.slice(0, 5).join(" | ");
  const more = targets.length > 5 ? ` (and ${targets.length - 5} more)` : "";
  const why = v.nodes[0]?.failureSummary?.split("\n").slice(1, 2).join("").trim();
  return `  - ${v.id} [${v.impact}] ${v.help}: ${shown}${more}${why ? `\n      ${why}` : ""}`;
}

/**
 * Runs axe-core on the page as it is now (after any dialog or drawer finished moving) and returns its serious
 * and critical findings as text, empty when there are none. `name` names the page in the text and the log.
 */
export async function axeProblems(page: Page, name: string): Promise<string> {
  await settled(page);
  const results = await new AxeBuilder({ page })
    .withTags(AXE_TAGS)
    .disableRules(Object.keys(AXE_DISABLED))
    .analyze();
  axeChecked.push(name);
  for (const v of results.violations)
    axeLog.push({
      name,
      id: v.id,
      impact: v.impact ?? "unknown",
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String).join(" >> "),
        summary: n.failureSummary ?? "",
      })),
    });
  const failing = results.violations.filter((v) => FAILING.has(v.impact ?? ""));
  if (failing.length === 0) return "";
  return `${name} (${page.url()}): ${failing.length} serious or critical axe-core finding(s)\n${failing
    .map(describeFinding)
    .join("\n")}`;
}

/** Fails when axe-core finds anything serious or critical on the page (see axeProblems). */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const problems = await axeProblems(page, name);
  if (problems) throw new Error(problems);
}
