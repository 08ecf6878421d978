import { describe, expect, it } from "vitest";
import { catalog } from "../../policy/load.ts";
import { FieldProjector, fieldsRead } from "./fields.ts";
import { modelSet } from "./models.ts";
import { RecordDecoder } from "./sqlite-read.ts";

const projector = new FieldProjector(fieldsRead(modelSet(catalog()).all));

/** Record bytes as the reader's query builds them. */
function bytes(records: [code: string, id: number, category: string, fields: string][]): Buffer {
  return Buffer.from(
    records
      .map(
        ([code, id, category, fields]) =>
          `${code}\x1f${id}\x1fSCJG\x1f${category}\x1fgeneral\x1factive\x1f2026-01-0${id % 9}\x1f${Buffer.byteLength(fields)}\x1f${fields}`,
      )
      .join("\x1e"),
  );
}

describe("RecordDecoder", () => {
  it("gives each subject its records, passing over codes that are not subjects", () => {
    const cursor = new RecordDecoder(projector).cursor(
      bytes([
        ["A1", 1, "INSPECTION", '{"items":"抽检","result":"pass"}'],
        ["A1", 2, "PENALTY", '{"content":"罚款"}'],
        ["A2", 3, "INSPECTION", '{"result":"fail"}'],
        ["B1", 4, "LICENCE", '{"content":"新办","licence_type":"食品经营许可证","valid_to":"2030-01-01"}'],
        ["C9", 5, "INSPECTION", '{"content":"a\\"b","result":"problems"}'],
      ]),
    );
    const a = cursor.recordsOf("A1").map((r) => ({ ...r, src: null }));
    expect(a.map((r) => [r.id, r.category, r.fields])).toEqual([
      [1, "INSPECTION", { result: "pass" }],
      [2, "PENALTY", {}],
    ]);
    expect(a[0]).toMatchObject({
      department: "SCJG",
      severity: "general",
      status: "active",
      decision_date: "2026-01-01",
    });
    expect(cursor.recordsOf("B0")).toEqual([]);
    expect(cursor.recordsOf("B1").map((r) => r.fields)).toEqual([
      { licence_type: "食品经营许可证", valid_to: "2030-01-01" },
    ]);
    const c = cursor.recordsOf("C9");
    expect(c.map((r) => [r.fields, r.text])).toEqual([
      [{ result: "problems" }, '{"content":"a\\"b","result":"problems"}'],
    ]);
    expect(cursor.complete()).toBe(true);
  });

  it("tells when the records were not in code order", () => {
    const out = bytes([
      ["A1", 1, "PENALTY", "{}"],
      ["B1", 2, "PENALTY", "{}"],
      ["A2", 3, "PENALTY", "{}"],
    ]);
    const cursor = new RecordDecoder(projector).cursor(out);
    cursor.recordsOf("A1");
    cursor.recordsOf("A2");
    cursor.recordsOf("B1");
    expect(cursor.complete()).toBe(false);
    const notAll = new RecordDecoder(projector).cursor(out);
    notAll.recordsOf("A1");
    expect(notAll.complete()).toBe(false);
    const between = new RecordDecoder(projector).cursor(
      bytes([
        ["A5", 1, "PENALTY", "{}"],
        ["A3", 2, "PENALTY", "{}"],
      ]),
    );
    expect(between.recordsOf("A9")).toEqual([]);
    expect(between.complete()).toBe(false);
  });
});
