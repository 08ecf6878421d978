import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCategory } from "../core/catalog/catalog.ts";
import { catalog } from "../policy/load.ts";
import { openTestStore, type TestStore } from "../store/testing.ts";
import { generateRecords, generateSubjects } from "./generate.ts";
import { loadDemo } from "./load.ts";

const TODAY = "2026-06-30";
const N = 2000;

describe("loadDemo", () => {
  let store: TestStore;
  let rejectsDir: string;
  beforeAll(async () => {
    store = await openTestStore();
    rejectsDir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-rejects-"));
  });
  afterAll(async () => {
    await store.dispose();
    fs.rmSync(rejectsDir, { recursive: true, force: true });
  });

  it("fills the tables with exactly the generated city, and a second load adds nothing", async () => {
    const progress: string[] = [];
    const result = await loadDemo(store, {
      subjects: N,
      seed: "load-test",
      today: TODAY,
      // Two ingests, the second into a non-empty table.
      batchSubjects: 1200,
      rejectsDir,
      onProgress: (p) => progress.push(p.phase),
    });
    const chunks = [...generateSubjects(N, "load-test", { today: TODAY })];
    const subjects = chunks.flat();
    const records = [...generateRecords(chunks, "load-test", TODAY)].flat();
    expect(result.subjects).toBe(N);
    expect(result.records).toBe(records.length);
    expect(progress).toContain("subjects");
    expect(progress).toContain("records");

    const count = async (table: "subjects" | "credit_records" | "departments") =>
      Number(
        (await store.db.selectFrom(table).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n,
      );
    expect(await count("subjects")).toBe(N);
    expect(await count("credit_records")).toBe(records.length);
    expect(await count("departments")).toBe(catalog().departments.length);

    // Regenerating gives the stored city.
    const stored = await store.db
      .selectFrom("subjects")
      .select(["code", "name", "region"])
      .orderBy("id")
      .execute();
    expect(stored).toEqual(subjects.map((s) => ({ code: s.code, name: s.name, region: s.region })));
    const docs = await store.db
      .selectFrom("credit_records")
      .select(["department", "category", "doc_no"])
      .execute();
    const storedKeys = new Set(docs.map((d) => `${d.department}|${d.category}|${d.doc_no}`));
    // Departments sometimes name the category in Chinese; the store keeps its code.
    const code = (c: unknown) => findCategory(catalog(), String(c))!.code;
    expect(storedKeys).toEqual(
      new Set(records.map((r) => `${r.department}|${code(r.category)}|${r.doc_no}`)),
    );
    const batches = await store.db.selectFrom("import_batches").selectAll().execute();
    expect(batches.length).toBe(2);
    expect(batches.every((b) => b.status === "committed" && b.channel === "demo")).toBe(true);

    const again = await loadDemo(store, { subjects: N, seed: "load-test", today: TODAY, rejectsDir });
    expect(again.subjects).toBe(0);
    expect(again.records).toBe(0);
    expect(await count("credit_records")).toBe(records.length);
  });
});
