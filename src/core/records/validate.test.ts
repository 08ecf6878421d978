import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../policy/load.ts";
import { recordDigest } from "./digest.ts";
import { parseDate, parseNumber } from "./parse.ts";
import { PENALTY } from "./testing.ts";
import { type RawRecord, validateRecord } from "./validate.ts";

const catalog = loadCatalog();
const today = "2026-11-29";
const penalty = PENALTY;

function problemsOf(raw: RawRecord, extra: Partial<Parameters<typeof validateRecord>[1]> = {}) {
  const v = validateRecord(raw, { catalog, today, row: 7, ...extra });
  return v.ok ? [] : v.problems;
}

describe("validateRecord", () => {
  it("accepts a good record and normalises it", () => {
    const v = validateRecord(penalty, { catalog, today });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.record).toMatchObject({
      category: "PENALTY",
      department: "SCJG",
      decision_date: "2025-03-05",
      severity: "general",
      status: "active",
      fields: { penalty_type: "fine", amount: 1200.5 },
    });
  });

  it("gives the same digest for the same content however it was written", () => {
    const a = validateRecord(penalty, { catalog, today });
    const b = validateRecord(
      { ...penalty, category: "PENALTY", decision_date: "2025-03-05", penalty_type: "fine", amount: 1200.5 },
      { catalog, today },
    );
    expect(a.ok && b.ok && recordDigest(a.record) === recordDigest(b.record)).toBe(true);
    const c = validateRecord({ ...penalty, amount: "1300" }, { catalog, today });
    expect(a.ok && c.ok && recordDigest(a.record) !== recordDigest(c.record)).toBe(true);
  });

  it("names row, field, problem and fix in both languages", () => {
    const [p] = problemsOf({ ...penalty, decision_date: "2023-02-30" });
    expect(p).toMatchObject({ row: 7, field: "decision_date", code: "date.impossible", value: "2023-02-30" });
    expect(p!.zh).toContain("2023年2月只有 28 天");
    expect(p!.en).toContain("has only 28 days");
    expect(p!.fixZh.length).toBeGreaterThan(0);
    expect(p!.fixEn.length).toBeGreaterThan(0);
  });

  it.each([
    ["unknown category", { category: "乱填" }, "category.unknown", "category"],
    ["missing category", { category: "" }, "category.missing", "category"],
    ["future date", { decision_date: "2027-01-01" }, "date.future", "decision_date"],
    ["unreadable date", { decision_date: "昨天" }, "date.format", "decision_date"],
    ["too early date", { decision_date: "1900-01-01" }, "date.too_early", "decision_date"],
    ["year 20", { decision_date: "0020-01-01" }, "date.too_early", "decision_date"],
    ["year 999", { decision_date: "0999-12-31" }, "date.too_early", "decision_date"],
    ["bad check digit", { subject_code: "91110000600037341M" }, "uscc.check", "subject_code"],
    ["missing code", { subject_code: "" }, "field.required", "subject_code"],
    ["unknown department", { department: "XX" }, "department.unknown", "department"],
    ["not a source department", { department: "FY" }, "department.not_source", "department"],
    ["enum", { penalty_type: "打屁股" }, "field.enum", "penalty_type"],
    ["number", { amount: "12万元" }, "number.format", "amount"],
    ["negative amount", { amount: "-5" }, "number.range", "amount"],
    ["oversized field", { legal_basis: "法".repeat(1001) }, "field.too_long", "legal_basis"],
    ["required field", { legal_basis: "" }, "field.required", "legal_basis"],
    ["revocation without reason", { status: "撤销" }, "status.reason_required", "status_reason"],
  ])("rejects %s", (_name, change, code, field) => {
    const problems = problemsOf({ ...penalty, ...change });
    expect(problems.map((p) => [p.code, p.field])).toContainEqual([code, field]);
  });

  it("stores SQL and HTML look-alikes literally", () => {
    const v = validateRecord(
      { ...penalty, content: "'; DROP TABLE credit_records; --", subject_name: "<script>alert(1)</script>" },
      { catalog, today },
    );
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.record.fields.content).toBe("'; DROP TABLE credit_records; --");
      expect(v.record.subject_name).toBe("<script>alert(1)</script>");
    }
  });

  it("takes department and category from the import when the row has none", () => {
    const { category: _c, department: _d, ...rest } = penalty;
    expect(validateRecord(rest, { catalog, today, department: "SCJG", category: "PENALTY" }).ok).toBe(true);
  });

  it("accepts natural persons' identity numbers and rejects bad ones", () => {
    const ok = validateRecord({ ...penalty, subject_code: "11010519491231002X" }, { catalog, today });
    expect(ok.ok).toBe(true);
    expect(problemsOf({ ...penalty, subject_code: "110105194912310021" }).length).toBeGreaterThan(0);
  });

  it("accepts an all-digit pre-2015 USCC that looks like an identity number", () => {
    // 91350500 + an old 9-digit organisation code + check character 7: all digits, not a real birth date.
    const v = validateRecord({ ...penalty, subject_code: "913505001543836507" }, { catalog, today });
    expect(v.ok && v.record.subject_code).toBe("913505001543836507");
    const bad = problemsOf({ ...penalty, subject_code: "913505001543836508" });
    expect(bad.map((p) => p.code)).toEqual(["uscc.check"]);
  });

  it("accepts a legacy code only through the allow-list", () => {
    const legacy = { ...penalty, subject_code: "91350211M0000XUF46" };
    expect(problemsOf(legacy).map((p) => p.field)).toContain("subject_code");
    const v = validateRecord(legacy, { catalog, today, isAllowListed: (c) => c === "91350211M0000XUF46" });
    expect(v.ok && v.record.legacy_code).toBe(true);
  });
});

describe("parsers", () => {
  it("reads the dates people type", () => {
    for (const s of ["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "20240305", "２０２４-０３-０５"])
      expect(parseDate(s)).toEqual({ kind: "ok", date: "2024-03-05" });
    expect(parseDate("2024-13-01").kind).toBe("impossible");
    expect(parseDate("2024-02-29")).toEqual({ kind: "ok", date: "2024-02-29" });
    expect(parseDate("2023-02-29").kind).toBe("impossible");
    expect(parseDate("0020-01-01")).toEqual({ kind: "ok", date: "0020-01-01" });
    expect(parseDate("0999年1月2日")).toEqual({ kind: "ok", date: "0999-01-02" });
  });
  it("reads numbers without units", () => {
    expect(parseNumber("1,234.5")).toBe(1234.5);
    expect(parseNumber("12万")).toBeUndefined();
    expect(parseNumber("Infinity")).toBeUndefined();
    expect(parseNumber("")).toBeUndefined();
  });
});
