import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStore, type TestStore } from "../../store/testing.ts";
import { insertSubjects, type SubjectRow } from "./bulk.ts";

function row(code: string, over: Partial<SubjectRow> = {}): SubjectRow {
  return {
    code,
    code_status: "valid",
    name: `名称${code.slice(-4)}`,
    type: "enterprise",
    industry_section: "C",
    industry_division: "19",
    region: "350582",
    registered_on: "2015-03-02",
    status: "存续",
    registered_capital: 100,
    ...over,
  };
}

describe("insertSubjects", () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(async () => {
    await store.dispose();
  });

  it("inserts new codes, skips stored and repeated ones, and keeps every value", async () => {
    const odd = row("91350582MA2Y00001A", {
      name: "tab\there\\back\nline",
      industry_section: null,
      industry_division: null,
      region: null,
      registered_on: null,
      registered_capital: 12.5,
    });
    const first = await insertSubjects(store, [row("91350582MA2Y00000X"), odd], "2026-01-01T00:00:00.000Z");
    expect(first).toEqual({ inserted: 2, skipped: 0 });

    const second = await insertSubjects(store, [
      row("91350582MA2Y00000X", { name: "changed" }),
      row("91350582MA2Y00002B"),
      row("91350582MA2Y00002B"),
    ]);
    expect(second).toEqual({ inserted: 1, skipped: 2 });
    expect(await insertSubjects(store, [])).toEqual({ inserted: 0, skipped: 0 });

    const rows = await store.db.selectFrom("subjects").selectAll().orderBy("id").execute();
    expect(rows.map((r) => r.code)).toEqual([
      "91350582MA2Y00000X",
      "91350582MA2Y00001A",
      "91350582MA2Y00002B",
    ]);
    expect(rows[0]!.name).toBe("名称000X");
    expect(rows[0]!.created_at).toBe("2026-01-01T00:00:00.000Z");
    const stored = rows[1]!;
    expect(stored.name).toBe("tab\there\\back\nline");
    expect(stored.industry_section).toBeNull();
    expect(stored.region).toBeNull();
    expect(stored.registered_on).toBeNull();
    expect(Number(stored.registered_capital)).toBe(12.5);
  });

  it("takes a large chunk in one go", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => row(`92350582MA3${String(i).padStart(7, "0")}`));
    expect(await insertSubjects(store, rows)).toEqual({ inserted: 5000, skipped: 0 });
  });
});
