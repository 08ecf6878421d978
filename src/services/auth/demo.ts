import type { Role } from "../../core/auth/roles.ts";
import type { Store } from "../../store/db.ts";
import { createDemoInspectors } from "../inspections/demo.ts";
import { createUser, getMeta, setMeta } from "./accounts.ts";

/** The demo city's password for every demo account (listed in the README). Demo databases only. */
export const DEMO_PASSWORD = "Demo@2026qz";

export const DEMO_ACCOUNTS: {
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
}[] = [
  { username: "xyb", displayName: "市信用办 陈婷", role: "city_admin", department: "XYB" },
  { username: "scjg-admin", displayName: "市场监管局 管理员", role: "dept_admin", department: "SCJG" },
  { username: "scjg", displayName: "市场监管局 林晓", role: "dept_staff", department: "SCJG" },
  { username: "inspector", displayName: "执法人员 王强", role: "inspector", department: "SCJG" },
  { username: "zj", displayName: "住建局 黄敏", role: "dept_staff", department: "ZJ" },
  { username: "enterprise", displayName: "企业用户", role: "enterprise", department: null },
  { username: "agency", displayName: "信用服务机构", role: "agency", department: null },
  { username: "auditor", displayName: "审计管理员", role: "auditor", department: null },
  { username: "security", displayName: "安全管理员", role: "security_admin", department: null },
];

/**
 * Creates one account per role in a database created as a demo, and marks it so. The enterprise
 * account is bound to the first enterprise subject of the demo city.
 */
export async function createDemoAccounts(store: Store): Promise<void> {
  if ((await getMeta(store, "demo_accounts")) !== "yes") await createAccounts(store);
  await createDemoInspectors(store);
}

async function createAccounts(store: Store): Promise<void> {
  const firm = await store.db
    .selectFrom("subjects")
    .select("code")
    .where("type", "=", "enterprise")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  for (const a of DEMO_ACCOUNTS) {
    const exists = await store.db
      .selectFrom("users")
      .select("id")
      .where("username", "=", a.username)
      .executeTakeFirst();
    if (exists) continue;
    await createUser(store, {
      ...a,
      subjectCode: a.role === "enterprise" ? (firm?.code ?? null) : null,
      password: DEMO_PASSWORD,
    });
  }
  await setMeta(store, "demo_accounts", "yes");
}
