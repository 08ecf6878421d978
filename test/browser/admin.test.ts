import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../src/services/auth/demo.ts";
import { choose, hasChromium, openSite, type Site, shot, signIn } from "./harness.ts";

let site: Site;

/** The data rows of a table (not Ant Design's measure row). */
const rows = (table: Locator) => table.locator("tbody tr.ant-table-row");

async function rowsShown(table: Locator): Promise<number> {
  await rows(table).first().waitFor({ timeout: 15_000 });
  return rows(table).count();
}

async function open(page: Page, menu: string, testId: string): Promise<Locator> {
  await page.getByTestId(`menu-${menu}`).click();
  const table = page.getByTestId(testId);
  await table.waitFor();
  return table;
}

describe.skipIf(!hasChromium)("administration lists (shared table, server paging)", () => {
  beforeAll(async () => {
    site = await openSite();
  }, 180_000);
  afterAll(async () => site?.close());

  it("lists users with paging and search, departments and tokens", async () => {
    const page = await signIn(site, "xyb");
    const users = await open(page, "users", "user-table");
    // The demo accounts and the administrator, on one page of 20.
    const total = Number(
      (
        await site.store.db
          .selectFrom("users")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(total).toBeGreaterThanOrEqual(DEMO_ACCOUNTS.length);
    expect(await rowsShown(users)).toBe(Math.min(total, 20));
    await users.getByText(`共 ${total} 条`).waitFor();
    await page.getByTestId("user-search-input").locator("input").fill("scjg-admin");
    await page.getByTestId("user-search-input").locator("input").press("Enter");
    await expect.poll(() => rows(users).count()).toBe(1);
    await rows(users).first().getByText("scjg-admin").waitFor();
    await shot(page, "admin-users");

    const departments = await open(page, "departments", "dept-table");
    expect(await rowsShown(departments)).toBeGreaterThan(5);
    await departments.getByText("SCJG").first().waitFor();
    // The names come from the department table's answer (nameZh, nameEn), not from the catalog.
    await departments.getByText("Administration for Market Regulation").first().waitFor();
    // A new department goes through the form's camelCase request and shows in the list.
    await page.getByTestId("dept-create").click();
    await page.getByTestId("dept-form-code").fill("WLJ");
    await page.getByTestId("dept-form-name-zh").fill("文化广电和旅游局");
    await page.getByTestId("dept-form-name-en").fill("Culture and Tourism Bureau");
    await page
      .locator(".ant-modal")
      .getByRole("button", { name: /保\s*存/ })
      .click();
    await departments.getByText("Culture and Tourism Bureau").waitFor();
    expect(
      await site.store.db
        .selectFrom("departments")
        .select(["name_zh", "name_en"])
        .where("code", "=", "WLJ")
        .executeTakeFirst(),
    ).toEqual({ name_zh: "文化广电和旅游局", name_en: "Culture and Tourism Bureau" });

    const tokens = await open(page, "tokens", "token-table");
    await tokens.locator(".ant-table").waitFor();
    expect(await rows(tokens).count()).toBe(0);
    await page.context().close();
  });

  it("creates an account, then opens another for editing with that account's own values", async () => {
    const page = await signIn(site, "xyb");
    await open(page, "users", "user-table");
    await page.getByTestId("user-create").click();
    await page.getByTestId("user-form-username").fill("web-new-agency");
    await page.getByTestId("user-form-displayName").fill("网页新建机构用户");
    await choose(page, page.getByTestId("user-form-role"), "信用服务机构");
    await page.getByTestId("user-form-password").fill("Web@2026pass!x");
    await page.getByTestId("user-form-submit").click();
    await page.getByTestId("user-form").waitFor({ state: "detached" });
    const created = await site.store.db
      .selectFrom("users")
      .select(["role", "must_change_password"])
      .where("username", "=", "web-new-agency")
      .executeTakeFirstOrThrow();
    expect(created).toEqual({ role: "agency", must_change_password: 1 });
    // Without reloading, the next account opened shows its own values, not the last form's nor empty fields.
    await page.getByTestId("user-search-input").locator("input").fill("scjg-admin");
    await page.getByTestId("user-search-input").locator("input").press("Enter");
    const users = page.getByTestId("user-table");
    await expect.poll(() => rows(users).count()).toBe(1);
    await rows(users).first().getByTestId("user-edit").click();
    const shown = await site.store.db
      .selectFrom("users")
      .select("display_name")
      .where("username", "=", "scjg-admin")
      .executeTakeFirstOrThrow();
    await expect.poll(() => page.getByTestId("user-form-username").inputValue()).toBe("scjg-admin");
    expect(await page.getByTestId("user-form-displayName").inputValue()).toBe(shown.display_name);
  });

  it("shows the auditor the audit log, filtered by actor, paged on the server", async () => {
    const page = await signIn(site, "auditor");
    const audit = await open(page, "audit", "audit-table");
    expect(await rowsShown(audit)).toBeGreaterThan(0);
    await page.getByTestId("audit-actor").fill("xyb");
    await page.getByTestId("audit-actor").press("Enter");
    await expect
      .poll(async () => {
        const texts = await rows(audit).locator("td:nth-child(2)").allTextContents();
        return texts.length > 0 && texts.every((x) => x === "xyb");
      })
      .toBe(true);
    await shot(page, "admin-audit");
    await page.context().close();
  });
});
