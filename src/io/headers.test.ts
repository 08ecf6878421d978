import { describe, expect, it } from "vitest";
import { editDistance, type HeaderDef, normalizeHeader, resolveHeaders } from "./headers.ts";

const DICT: HeaderDef[] = [
  {
    key: "uscc",
    zh: "统一社会信用代码",
    en: "Unified social credit code",
    aliases: ["信用代码", "USCC"],
    required: true,
  },
  { key: "name", zh: "企业名称", en: "Company name", aliases: ["单位名称"], required: true },
  { key: "amount", zh: "处罚金额", en: "Penalty amount" },
  { key: "date", zh: "处罚日期", en: "Penalty date" },
];

describe("normalizeHeader", () => {
  it("ignores case, spaces, full-width forms and required markers", () => {
    expect(normalizeHeader(" Company  Name ")).toBe("companyname");
    expect(normalizeHeader("ＣＯＭＰＡＮＹ　ＮＡＭＥ")).toBe("companyname");
    expect(normalizeHeader("企业名称*")).toBe("企业名称");
    expect(normalizeHeader("*企业名称")).toBe("企业名称");
    expect(normalizeHeader("企业名称＊")).toBe("企业名称");
    expect(normalizeHeader("企业名称（必填）")).toBe("企业名称");
    expect(normalizeHeader("企业名称(必填)*")).toBe("企业名称");
    expect(normalizeHeader("企业名称【必填】")).toBe("企业名称");
    expect(normalizeHeader("Company name (Required)")).toBe("companyname");
    expect(normalizeHeader("金额(元)")).toBe("金额(元)");
  });
});

describe("resolveHeaders", () => {
  it("maps Chinese, English, key and alias names to keys", () => {
    const r = resolveHeaders(["信用代码", "COMPANY NAME*", "处罚金额（必填）", "date"], DICT);
    expect(r.columns).toEqual(["uscc", "name", "amount", "date"]);
    expect(r.problems).toEqual([]);
  });

  it("reports an unknown column with the closest known names as the fix", () => {
    const r = resolveHeaders(["统一社会信用代码", "企业名", "处罚金额", "Penalty dat", "备注"], DICT);
    expect(r.columns).toEqual(["uscc", null, "amount", null, null]);
    const unknown = r.problems.filter((p) => p.code === "header.unknown");
    expect(unknown.map((p) => p.field)).toEqual(["企业名", "Penalty dat", "备注"]);
    expect(unknown[0]).toMatchObject({ row: 0, value: "企业名" });
    expect(unknown[0]!.fixZh).toContain("“企业名称”");
    expect(unknown[0]!.fixEn).toContain('"Company name"');
    expect(unknown[0]!.zh).toContain("第 2 列（B 列）");
    expect(unknown[1]!.fixEn).toContain('"Penalty date"');
    expect(unknown[2]!.fixZh).not.toContain("是否应为");
    // The required name column is still missing.
    expect(r.problems.filter((p) => p.code === "header.missing").map((p) => p.field)).toEqual(["企业名称"]);
  });

  it("reports a field mapped twice, and unnamed columns", () => {
    const r = resolveHeaders(["企业名称", "统一社会信用代码", "", "Company name"], DICT);
    expect(r.columns).toEqual(["name", "uscc", null, null]);
    expect(r.problems.map((p) => p.code)).toEqual(["header.empty", "header.duplicate"]);
    expect(r.problems[1]).toMatchObject({ row: 0, field: "Company name" });
    expect(r.problems[1]!.zh).toContain("企业名称");
    expect(r.problems[0]!.field).toBe("#3 (C)");
  });

  it("reports missing required columns", () => {
    const r = resolveHeaders(["处罚金额"], DICT);
    expect(r.problems.map((p) => [p.code, p.field])).toEqual([
      ["header.missing", "统一社会信用代码"],
      ["header.missing", "企业名称"],
    ]);
    expect(r.problems[0]!.fixEn).toContain("Unified social credit code");
  });

  it("every problem is bilingual with a fix", () => {
    const r = resolveHeaders(["x", "", "企业名称", "company name"], DICT);
    for (const p of r.problems) {
      for (const text of [p.zh, p.en, p.fixZh, p.fixEn]) expect(text.length).toBeGreaterThan(3);
    }
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("企业名称", "企业名")).toBe(1);
    expect(editDistance("same", "same")).toBe(0);
  });
});
