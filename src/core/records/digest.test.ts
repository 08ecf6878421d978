import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../policy/load.ts";
import { canonicalJson, recordDigest } from "./digest.ts";
import { PENALTY } from "./testing.ts";
import type { RecordInput } from "./validate.ts";
import { validateRecord } from "./validate.ts";

/*
 * Digests are stored with every version: a changed digest for unchanged content would turn every resubmitted
 * record into a new version. These values were computed by the first implementation (canonicalJson over the
 * content array + createHash) and must never change.
 */
const penalty: RecordInput = {
  department: "SCJG",
  category: "PENALTY",
  doc_no: "泉市监处罚〔2025〕12号",
  subject_code: "91350100M000100Y43",
  subject_name: "泉州某某鞋业有限公司",
  decision_date: "2025-03-05",
  severity: "general",
  status: "active",
  status_reason: null,
  fields: { legal_basis: "《中华人民共和国食品安全法》第一百二十四条", amount: 1200.5, penalty_type: "fine" },
};
const inspection: RecordInput = {
  department: "SCJG",
  category: "INSPECTION",
  doc_no: "晋市监检〔2024〕0号",
  subject_code: "91350100M000100Y43",
  subject_name: null,
  decision_date: "2021-01-01",
  severity: "general",
  status: "corrected",
  status_reason: "金额录入错误",
  fields: { result: "pass" },
};
const awkward: RecordInput = {
  department: "FY",
  category: "JUDGMENT",
  doc_no: 'x"); DELETE \\ FROM\t--\n\u2028',
  subject_code: "11010519491231002X",
  subject_name: '𠮷野家 "quoted" \u0001',
  decision_date: "1949-10-01",
  severity: "serious",
  status: "revoked",
  status_reason: "<script>",
  fields: {
    zeta: -0.000001,
    content: "内容",
    Alpha: 1e21,
    amount: 0,
    ключ: "é",
    "": "empty key",
    case_no: "(2026)闽05行终12号",
  },
};

describe("recordDigest", () => {
  it("gives the digests it always gave", () => {
    expect(recordDigest(penalty)).toBe("8f3b57b60dc9d7af3830d73b84ce68d54fa3b9cc8850a7505e302fef68d5e560");
    expect(recordDigest(inspection)).toBe("75da6171f364acb724519cee57cfdb95c67253ca09564463c3f462a98fdf8272");
    expect(recordDigest(awkward)).toBe("3f285209189bd7c21e2b2676e167e24e158b45401aa815146bf91c7db8bb40c6");
    expect(recordDigest({ ...inspection, fields: {} })).toBe(
      "51f3982557279602ec5d0704a425306a300b6904713b5c396f7443b53f38a4d7",
    );
  });

  it("ignores provenance and flags outside the content", () => {
    expect(recordDigest({ ...penalty, legacy_code: true })).toBe(recordDigest(penalty));
  });

  it("does not depend on the order of the fields", () => {
    const reversed = Object.fromEntries(Object.entries(awkward.fields).reverse());
    expect(recordDigest({ ...awkward, fields: reversed })).toBe(recordDigest(awkward));
  });

  it("pins validated records end to end (normalisation + digest)", () => {
    const catalog = loadCatalog();
    const today = "2026-11-29";
    const a = validateRecord({ ...PENALTY, content: "  内容\u3000摘要  " }, { catalog, today });
    expect(a.ok && recordDigest(a.record)).toBe(
      "d9181299ed1e2165c9d145b632468dfd3aae46e1efc2c0b9cc4f19f86cc7fc17",
    );
    const b = validateRecord(
      {
        category: "INSPECTION",
        subject_code: "92310115MA1LAG5R9M",
        subject_name: "泉州市某某鞋服有限公司",
        doc_no: "晋市监检〔2024〕1号",
        decision_date: "2022-02-02",
        result: "pass",
      },
      { catalog, today, department: "SCJG" },
    );
    expect(b.ok && recordDigest(b.record)).toBe(
      "0e510aae53c579033b53e7615a97a427cd39418e576c56a7ca1842c67b08d4b7",
    );
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined members", () => {
    expect(canonicalJson({ b: [1, { z: null, a: undefined }], a: "x" })).toBe('{"a":"x","b":[1,{"z":null}]}');
  });
});
