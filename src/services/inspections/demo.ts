/**
 * The demo city's inspector directory: a few inspectors per inspecting department, the demo account
 * `inspector` bound to the first of SCJG. Demo databases only (called with the demo accounts).
 */

import type { Store } from "../../store/db.ts";
import { getMeta, setMeta } from "../auth/accounts.ts";

const SURNAMES = [
  "王",
  "李",
  "陈",
  "林",
  "黄",
  "张",
  "吴",
  "刘",
  "蔡",
  "杨",
  "许",
  "郑",
  "洪",
  "苏",
  "庄",
  "曾",
];
const GIVEN = [
  "强",
  "伟",
  "芳",
  "敏",
  "静",
  "磊",
  "洋",
  "艳",
  "勇",
  "军",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "霞",
];

/** Department → how many inspectors and what they are qualified for. */
const DEMO_DIRECTORY: Record<string, { count: number; qualifications: string[] }> = {
  SCJG: { count: 12, qualifications: ["市场监管综合执法", "食品安全"] },
  ZJ: { count: 6, qualifications: ["建设工程质量安全"] },
  STHJ: { count: 6, qualifications: ["生态环境执法"] },
};

export async function createDemoInspectors(store: Store): Promise<void> {
  if ((await getMeta(store, "demo_inspectors")) === "yes") return;
  const bound = await store.db
    .selectFrom("users")
    .select("id")
    .where("username", "=", "inspector")
    .executeTakeFirst();
  const now = new Date().toISOString();
  let n = 0;
  for (const [department, d] of Object.entries(DEMO_DIRECTORY))
    for (let i = 1; i <= d.count; i++, n++) {
      const id = `${department}-${String(i).padStart(4, "0")}`;
      const first = department === "SCJG" && i === 1;
      await store.db
        .insertInto("inspectors")
        .values({
          id,
          department,
          // The bound account's display name is 王强.
          name: first ? "王强" : `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}`,
          certificate_no: `35050${String(10_000 + n * 37).padStart(6, "0")}`,
          // Every other SCJG inspector also holds the food qualification.
          qualifications: JSON.stringify(
            department === "SCJG" && i % 2 === 0 ? d.qualifications.slice(0, 1) : d.qualifications,
          ),
          user_id: first && bound ? Number(bound.id) : null,
          status: "active",
          created_by: "demo",
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
    }
  await setMeta(store, "demo_inspectors", "yes");
}
