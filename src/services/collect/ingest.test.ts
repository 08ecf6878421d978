import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RawRecord } from "../../core/records/validate.ts";
import { loadCatalog } from "../../policy/load.ts";
import { openTestStore, type TestStore } from "../../store/testing.ts";
import { revokeRecord } from "../records/commands.ts";
import { recordHistory } from "../records/queries.ts";
import { type IngestOptions, ingest, recoverInterruptedBatches } from "./ingest.ts";

const catalog = loadCatalog();
let store: TestStore;
const rejectsDir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-rejects-"));

beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store.dispose();
  fs.rmSync(rejectsDir, { recursive: true, force: true });
});

const base: RawRecord = {
  category: "PENALTY",
  department: "SCJG",
  subject_code: "91350100M000100Y43",
  subject_name: "泉州某某鞋业有限公司",
  decision_date: "2025-03-05",
  penalty_type: "fine",
  legal_basis: "食品安全法第一百二十四条",
  amount: 2,
};
const opts: IngestOptions = { submitter: "tester", channel: "rest", rejectsDir, today: "2026-11-29" };
const rows = (records: RawRecord[]) => [records.map((raw, i) => ({ row: i + 1, raw }))];

async function versionsOf(docNo: string) {
  return store.db
    .selectFrom("credit_records")
    .selectAll()
    .where("doc_no", "=", docNo)
    .orderBy("version")
    .execute();
}

describe("ingest", () => {
  it("is idempotent: the same record twice is one record and one duplicate", async () => {
    const rec = { ...base, doc_no: "D-1" };
    const a = await ingest(store, catalog, rows([rec]), opts);
    expect(a).toMatchObject({ status: "committed", accepted: 1, duplicates: 0, versions: 0, rejected: 0 });
    const b = await ingest(store, catalog, rows([rec, rec]), opts);
    expect(b).toMatchObject({ status: "committed", accepted: 0, duplicates: 2, versions: 0 });
    expect(await versionsOf("D-1")).toHaveLength(1);
  });

  it("turns a changed record into a new version with provenance, keeping the old one", async () => {
    await ingest(store, catalog, rows([{ ...base, doc_no: "D-2" }]), opts);
    const r = await ingest(
      store,
      catalog,
      rows([{ ...base, doc_no: "D-2", amount: 3, status: "更正", status_reason: "金额录入错误" }]),
      {
        ...opts,
        submitter: "second",
      },
    );
    expect(r).toMatchObject({ accepted: 1, versions: 1 });
    const v = await versionsOf("D-2");
    expect(v.map((x) => [x.version, x.is_current, x.status])).toEqual([
      [1, 0, "active"],
      [2, 1, "corrected"],
    ]);
    expect(v[1]!.submitted_by).toBe("second");
    expect(v[1]!.batch_id).toBe(r.batchId);
    expect(v[1]!.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(v[0]!.digest).not.toBe(v[1]!.digest);
  });

  it("applies rows of one batch in order: change, then back again, are two versions", async () => {
    const r = await ingest(
      store,
      catalog,
      rows([
        { ...base, doc_no: "D-3" },
        { ...base, doc_no: "D-3" },
        { ...base, doc_no: "D-3", amount: 9 },
        { ...base, doc_no: "D-3" },
      ]),
      opts,
    );
    expect(r).toMatchObject({ accepted: 3, duplicates: 1, versions: 2 });
    const v = await versionsOf("D-3");
    expect(v.map((x) => [x.version, x.is_current])).toEqual([
      [1, 0],
      [2, 0],
      [3, 1],
    ]);
  });

  it("revokes a record as a new version with the reason; nothing is deleted", async () => {
    await ingest(store, catalog, rows([{ ...base, doc_no: "D-4" }]), opts);
    const [v1] = await versionsOf("D-4");
    const r = await revokeRecord(store, catalog, v1!.id, "经法院判决撤销 (2026)闽05行终12号", "court-clerk");
    expect(r).toMatchObject({ status: "committed", accepted: 1, versions: 1 });
    const history = await recordHistory(store, v1!.id);
    expect(history!.map((x) => [x.version, x.status, x.is_current])).toEqual([
      [1, "active", false],
      [2, "revoked", true],
    ]);
    expect(history![1]!.status_reason).toContain("法院");
  });

  it("is all-or-nothing by default and writes a bilingual rejects report", async () => {
    const r = await ingest(
      store,
      catalog,
      rows([
        { ...base, doc_no: "D-5" },
        { ...base, doc_no: "D-6", decision_date: "2099-01-01" },
      ]),
      opts,
    );
    expect(r).toMatchObject({ status: "rejected", accepted: 0, rejected: 1 });
    expect(await versionsOf("D-5")).toHaveLength(0);
    const report = fs.readFileSync(r.rejectsFile!, "utf8");
    expect(report.charCodeAt(0)).toBe(0xfeff);
    expect(report).toContain("2,decision_date,date.future");
    const batch = await store.db
      .selectFrom("import_batches")
      .selectAll()
      .where("id", "=", r.batchId)
      .executeTakeFirst();
    expect(batch).toMatchObject({ status: "rejected", rejected: 1 });
  });

  it("commits the valid rows with acceptValid", async () => {
    const r = await ingest(
      store,
      catalog,
      rows([
        { ...base, doc_no: "D-7" },
        { ...base, doc_no: "D-8", subject_code: '=HYPERLINK("http://x")' },
      ]),
      { ...opts, acceptValid: true },
    );
    expect(r).toMatchObject({ status: "committed", accepted: 1, rejected: 1 });
    expect(await versionsOf("D-7")).toHaveLength(1);
    // The formula-looking value is neutralised in the report.
    expect(fs.readFileSync(r.rejectsFile!, "utf8")).toContain("'=HYPERLINK");
  });

  it("keeps SQL look-alikes as data", async () => {
    const evil = "x'); DELETE FROM credit_records; --";
    await ingest(store, catalog, rows([{ ...base, doc_no: evil, content: evil }]), {
      ...opts,
      submitter: "o'brien",
    });
    const [v] = await versionsOf(evil);
    expect(v!.doc_no).toBe(evil);
    expect(v!.submitted_by).toBe("o'brien");
    const n = await store.db
      .selectFrom("credit_records")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirst();
    expect(Number(n!.n)).toBeGreaterThan(5);
  });

  it("follows the merge rule over large mixed batches (new, resent, changed, repeated in one batch)", async () => {
    // A model of the rule: per key, the current version and its content; a row equal to the version
    // before it is a duplicate, any other row the next version. Batches are large enough for the SQLite
    // stage to switch between inserting first and looking up first.
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const model = new Map<string, { version: number; amount: number; history: number[] }>();
    const batches: { doc: string; amount: number }[][] = [
      Array.from({ length: 1500 }, (_, i) => ({ doc: `M-${i}`, amount: 1 })), // all new
      Array.from({ length: 3000 }, (_, i) => ({ doc: `M-${i % 1500}`, amount: 1 })), // resent, twice
      Array.from({ length: 2500 }, () => ({ doc: `M-${rnd(2200)}`, amount: 1 + rnd(3) })), // mixed
      Array.from({ length: 1200 }, () => ({ doc: `M-${2000 + rnd(50)}`, amount: 1 + rnd(2) })), // few keys
    ];
    for (const batch of batches) {
      const expected = { accepted: 0, duplicates: 0, versions: 0 };
      for (const { doc, amount } of batch) {
        const cur = model.get(doc);
        if (cur?.amount === amount) {
          expected.duplicates++;
          continue;
        }
        expected.accepted++;
        if (cur) expected.versions++;
        const history = cur?.history ?? [];
        history.push(amount);
        model.set(doc, { version: (cur?.version ?? 0) + 1, amount, history });
      }
      // In chunks, as a file arrives.
      const source = [];
      for (let i = 0; i < batch.length; i += 250)
        source.push(
          batch.slice(i, i + 250).map(({ doc, amount }, j) => ({
            row: i + j + 1,
            raw: { ...base, doc_no: doc, amount },
          })),
        );
      const r = await ingest(store, catalog, source, opts);
      expect(r).toMatchObject({ status: "committed", rejected: 0, ...expected });
    }
    const stored = await store.db
      .selectFrom("credit_records")
      .select(["doc_no", "version", "is_current", "fields"])
      .where("doc_no", "like", "M-%")
      .orderBy("doc_no")
      .orderBy("version")
      .execute();
    const actual = new Map<string, { versions: number[]; current: number[]; amounts: number[] }>();
    for (const r of stored) {
      const a = actual.get(r.doc_no) ?? { versions: [], current: [], amounts: [] };
      a.versions.push(Number(r.version));
      a.current.push(Number(r.is_current));
      a.amounts.push(JSON.parse(r.fields).amount);
      actual.set(r.doc_no, a);
    }
    expect(actual.size).toBe(model.size);
    for (const [doc, m] of model) {
      const a = actual.get(doc)!;
      expect({ doc, ...a }).toEqual({
        doc,
        versions: m.history.map((_, i) => i + 1),
        current: m.history.map((_, i) => (i === m.history.length - 1 ? 1 : 0)),
        amounts: m.history,
      });
    }
  });

  it("marks batches of a dead process as interrupted", async () => {
    await store.db
      .insertInto("import_batches")
      .values({
        id: "Bdead",
        department: null,
        submitter: "x",
        channel: "cli",
        file_name: null,
        file_digest: null,
        status: "running",
        accept_valid: 0,
        accepted: 0,
        rejected: 0,
        duplicates: 0,
        versions: 0,
        rejects_file: null,
        started_at: new Date().toISOString(),
        finished_at: null,
        host: os.hostname(),
        pid: 2 ** 22 + 17,
      })
      .execute();
    expect(await recoverInterruptedBatches(store)).toBe(1);
    const b = await store.db
      .selectFrom("import_batches")
      .select("status")
      .where("id", "=", "Bdead")
      .executeTakeFirst();
    expect(b!.status).toBe("interrupted");
  });
});
