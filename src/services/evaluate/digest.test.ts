import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../core/records/digest.ts";
import { type EvalInput, inputDigest } from "../../core/scoring/index.ts";
import { catalog } from "../../policy/load.ts";
import {
  canonicalFields,
  canonicalRecords,
  DigestWriter,
  type EvalRecord,
  fastInputDigest,
} from "./digest.ts";
import { FieldProjector, fieldsRead, Interner, isPlainFlat } from "./fields.ts";
import { modelSet } from "./models.ts";

/** Stored `fields` texts of every shape: as ingest writes them, unsorted, escaped, nested, numbers, odd. */
const TEXTS = [
  "{}",
  '{"result":"pass"}',
  '{"items":"食品安全日常监督检查","result":"pass"}',
  '{"content":"主动型信用承诺","commitment_kept":"yes"}',
  '{"content":"发生一起机械伤害事故","accident_level":"ordinary","deaths":0}',
  '{"content":"x","accident_level":"larger","deaths":3,"amount":1.5}',
  '{"b":1e3,"a":-0.50}',
  '{"valid_to":"2030-01-15","licence_type":"食品经营许可证","content":"新办"}',
  '{"content":"他说\\"合格\\"","result":"fail"}',
  '{"content":"a\\\\","result":"problems"}',
  '{"content":"line\\nbreak","result":"pass"}',
  '{"result":"pass","nested":{"result":"fail"}}',
  '{"nested":{"result":"fail"}}',
  '{"result":"pass","list":["a","b"]}',
  '{"content":"含{括号}与[方括号]","result":"pass"}',
  '{"flag":true,"none":null,"result":"pass"}',
  '{"result":"pass","result_extra":"x"}',
  '{"\\u0072esult":"fail"}',
  '{"emoji":"😀","commitment_kept":"no"}',
];

describe("canonicalFields", () => {
  it("is canonicalJson(JSON.parse(text)) for every shape", () => {
    for (const t of TEXTS) expect(canonicalFields(t), t).toBe(canonicalJson(JSON.parse(t)));
  });
});

describe("FieldProjector", () => {
  const models = modelSet(catalog());
  const read = fieldsRead(models.all);
  const projector = new FieldProjector(read);
  const intern = new Interner();

  it("knows which fields the models read", () => {
    expect(read.get("INSPECTION")).toEqual(["result"]);
    expect(read.get("LICENCE")).toEqual(expect.arrayContaining(["valid_to", "licence_type"]));
    expect(read.get("SAFETY_ACCIDENT")).toContain("accident_level");
    expect(read.has("PENALTY")).toBe(false);
  });

  it("gives the values JSON.parse gives for the keys read, from text and from bytes", () => {
    for (const category of [...read.keys(), "PENALTY"])
      for (const t of TEXTS) {
        const all = JSON.parse(t) as Record<string, unknown>;
        const want = Object.fromEntries(
          (read.get(category) ?? []).filter((k) => Object.hasOwn(all, k)).map((k) => [k, all[k]]),
        );
        expect({ ...projector.project(category, t) }, `${category} ${t}`).toEqual(want);
        // Inside a longer buffer, as a record among others (the byte path takes plain flat texts only).
        if (!isPlainFlat(t)) continue;
        const buf = Buffer.from(`1\x1fA\x1f${t}\x1e2\x1fB\x1f{"result":"zzz","valid_to":"x"}`);
        const from = buf.indexOf(Buffer.from(t));
        const to = from + Buffer.byteLength(t);
        const got = projector.projectBytes(category, buf, from, to, intern);
        expect({ ...got }, `${category} bytes ${t}`).toEqual(want);
      }
  });

  it("interns strings by content", () => {
    const b = Buffer.from("PASS|PASS|pass|通过|通过");
    const a1 = intern.get(b, 0, 4);
    expect(a1).toBe("PASS");
    expect(intern.get(b, 5, 9)).toBe("PASS");
    expect(intern.get(b, 10, 14)).toBe("pass");
    expect(intern.get(b, 15, 21)).toBe("通过");
    expect(intern.get(b, 22, 28)).toBe("通过");
  });
});

describe("fastInputDigest", () => {
  const models = modelSet(catalog());
  const subject: EvalInput["subject"] = {
    code: "91350582MA2XXXXX0X",
    type: "enterprise",
    status: "存续",
    registered_on: null,
    region: "350582",
    industry_section: "C",
    industry_division: null,
  };
  const texts = TEXTS.filter((t) => !t.includes("nested") && !t.includes("list"));
  const records: EvalRecord[] = texts.map((t, i) => ({
    id: 100 - i * 7,
    department: i % 2 ? "SCJG" : "ZJ",
    category: i % 3 ? "INSPECTION" : "COMMITMENT",
    severity: "general",
    status: i % 5 ? "active" : "revoked",
    decision_date: `2026-0${(i % 9) + 1}-01`,
    fields: {},
    text: i % 2 ? t : null,
    src: i % 2 ? null : Buffer.from(`xx${t}yy`),
    from: 2,
    to: 2 + Buffer.byteLength(t),
  }));
  // What inputDigest is given: the records with their fields parsed in full.
  const full = records.map((r, i) => ({ ...r, fields: JSON.parse(texts[i]!) }));

  it("equals inputDigest, with and without public score and other inputs", () => {
    const json = canonicalRecords(records);
    const cases: Omit<EvalInput, "records">[] = [
      { subject },
      { subject, publicScore: 712 },
      { subject: { ...subject, registered_on: "2015-03-01" }, publicScore: null },
      {
        subject,
        marketRating: { agency: "AG01", score: 640 },
        otherGrades: [
          { source: "tax", grade: "A" },
          { source: "samr-risk", grade: "B" },
          { source: "samr-risk", grade: "A" },
        ],
      },
    ];
    for (const c of cases)
      for (const m of models.all)
        expect(fastInputDigest(c, json, m, "2026-11-29")).toBe(
          inputDigest({ ...c, records: full }, m, "2026-11-29"),
        );
    expect(canonicalRecords([])).toBe("[]");
  });

  it("is the same from the records' bytes", () => {
    // Every record read as bytes (as SqliteReader gives them), some of them out of id order.
    const all = texts.map((t, i) => {
      const src = Buffer.from(`x\x1f${t}\x1e`);
      return { ...records[i]!, text: null, src, from: 2, to: 2 + Buffer.byteLength(t) };
    });
    const w = new DigestWriter();
    w.subject(all, subject);
    const cases: Omit<EvalInput, "records">[] = [
      { subject },
      { subject, publicScore: 5 },
      { subject, marketRating: { agency: "AG", score: 3 }, otherGrades: [{ source: "tax", grade: "B" }] },
    ];
    for (const m of models.all)
      for (const c of cases)
        expect(w.digest(c, m, "2026-11-29")).toBe(inputDigest({ ...c, records: full }, m, "2026-11-29"));
    const more = [
      '{"a":1.50}',
      '{"a":10,"b":0.25}',
      '{"a":1e3}',
      '{"a":-0}',
      '{"a":0.0000001,"b":0.001}',
      '{"a":123456789012345678901}',
      '{"b":1,"a":2}',
      '{"content":"新办","commitment_kept":"no","amount":-2.5}',
      '{"a":"x","a":"y"}',
      '{"é":1}',
    ];
    for (const t of more) {
      const r = { ...all[0]!, text: null, src: Buffer.from(t), from: 0, to: Buffer.byteLength(t) };
      w.subject([r], subject);
      expect(w.digest({ subject }, models.public, "2026-11-29"), t).toBe(
        inputDigest({ subject, records: [{ ...r, fields: JSON.parse(t) }] }, models.public, "2026-11-29"),
      );
    }
  });
});
