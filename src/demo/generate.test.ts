import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { checkIdNumber } from "../core/idcard/idcard.ts";
import type { RawRecord } from "../core/records/validate.ts";
import { validateRecord } from "../core/records/validate.ts";
import { regions } from "../core/reference/reference.ts";
import { checkUscc } from "../core/uscc/uscc.ts";
import { catalog } from "../policy/load.ts";
import { type DemoSubject, generateRecords, generateSubjects } from "./generate.ts";
import { Random, Weighted } from "./random.ts";

const TODAY = "2026-06-30";

function city(n: number, seed: string, chunkSize = 10_000, today = TODAY) {
  const subjects: DemoSubject[] = [];
  const records: RawRecord[] = [];
  const chunks = [...generateSubjects(n, seed, { today, chunkSize })];
  for (const c of chunks) subjects.push(...c);
  for (const r of generateRecords(chunks, seed, today)) records.push(...r);
  return { subjects, records };
}

function digest(c: { subjects: DemoSubject[]; records: RawRecord[] }): string {
  const h = crypto.createHash("sha256");
  for (const s of c.subjects) h.update(`${JSON.stringify(s)}\n`);
  for (const r of c.records) h.update(`${JSON.stringify(r)}\n`);
  return h.digest("hex");
}

describe("random", () => {
  it("is deterministic per seed and stays in range", () => {
    const a = new Random("x");
    const b = new Random("x");
    const c = new Random("y");
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
    for (let i = 0; i < 1000; i++) {
      const k = a.int(7);
      expect(k >= 0 && k < 7 && Number.isInteger(k)).toBe(true);
    }
  });

  it("draws weighted picks and skewed counts with the intended shape", () => {
    const r = new Random("shape");
    const w = new Weighted([
      ["a", 1],
      ["b", 3],
    ] as const);
    let b = 0;
    for (let i = 0; i < 20_000; i++) if (w.sample(r) === "b") b++;
    expect(b / 20_000).toBeGreaterThan(0.72);
    expect(b / 20_000).toBeLessThan(0.78);
    const counts = Array.from({ length: 20_000 }, () => r.negBinomial(2, 0.5));
    const mean = counts.reduce((s, x) => s + x, 0) / counts.length;
    expect(mean).toBeGreaterThan(1.8);
    expect(mean).toBeLessThan(2.2);
    expect(counts.filter((x) => x === 0).length / counts.length).toBeGreaterThan(0.4);
    expect(Math.max(...counts)).toBeGreaterThan(15);
  });
});

describe("generate", () => {
  let big: ReturnType<typeof city>;
  beforeAll(() => {
    big = city(5000, "quanzhou");
  });

  it("gives the same city for the same seed, whatever the chunk size, and another for another seed", () => {
    const a = digest(city(1000, "seed-a"));
    expect(digest(city(1000, "seed-a", 137))).toBe(a);
    expect(digest(city(1000, "seed-b"))).not.toBe(a);
    // A larger city begins with the smaller one.
    const larger = city(2000, "seed-a").subjects;
    expect(larger.slice(0, 1000)).toEqual(city(1000, "seed-a").subjects);
    // Any stretch can be regenerated on its own.
    expect([...generateSubjects(2000, "seed-a", { today: TODAY, from: 1000 })].flat()).toEqual(
      larger.slice(1000),
    );
  });

  it("gives valid, unique codes with the right prefixes, only in Quanzhou's real counties", () => {
    const counties = new Set(
      regions()
        .filter((r) => r.level === "county" && r.parent === "350500" && !r.nominal)
        .map((r) => r.code),
    );
    expect(counties.size).toBe(11);
    const prefixes: Record<string, string[]> = {
      enterprise: ["91"],
      individual: ["92"],
      cooperative: ["93"],
      social_org: ["51", "52", "53"],
      institution: ["12"],
    };
    const codes = new Set<string>();
    for (const s of big.subjects) {
      expect(codes.has(s.code)).toBe(false);
      codes.add(s.code);
      expect(s.region).not.toBe("350527");
      expect(counties.has(s.region)).toBe(true);
      if (s.type === "natural_person") {
        const r = checkIdNumber(s.code, TODAY);
        expect(r.status).toBe("valid");
        expect(s.code.slice(0, 6)).toBe(s.region);
        const age = Number(TODAY.slice(0, 4)) - Number(r.birthDate!.slice(0, 4));
        expect(age).toBeGreaterThanOrEqual(18);
        expect(age).toBeLessThanOrEqual(75);
      } else {
        const r = checkUscc(s.code);
        expect(r.status).toBe("valid");
        expect(r.warnings).toBeUndefined();
        expect(prefixes[s.type]).toContain(s.code.slice(0, 2));
        expect(["350000", "350500", s.region]).toContain(s.code.slice(2, 8));
        expect(s.registered_on! >= "1995-01-01" && s.registered_on! <= TODAY).toBe(true);
        expect(s.industry_division).toMatch(/^\d{2}$/);
        expect(s.industry_section).toMatch(/^[A-T]$/);
        expect(s.registered_capital).toBeGreaterThan(0);
      }
    }
  });

  it("has Quanzhou's mix of subject types, counties and industries", () => {
    const share = (f: (s: DemoSubject) => boolean) => big.subjects.filter(f).length / big.subjects.length;
    expect(share((s) => s.type === "individual")).toBeGreaterThan(0.6);
    expect(share((s) => s.type === "individual")).toBeLessThan(0.7);
    expect(share((s) => s.type === "enterprise")).toBeGreaterThan(0.26);
    expect(share((s) => s.type === "enterprise")).toBeLessThan(0.34);
    for (const t of ["cooperative", "social_org", "institution", "natural_person"])
      expect(share((s) => s.type === t)).toBeGreaterThan(0);
    const byRegion = (code: string) => share((s) => s.region === code);
    expect(byRegion("350582")).toBeGreaterThan(byRegion("350583")); // 晋江 > 南安
    expect(byRegion("350583")).toBeGreaterThan(byRegion("350526")); // 南安 > 德化
    const manufacturing = share((s) => s.type === "enterprise" && s.industry_section === "C");
    expect(manufacturing / share((s) => s.type === "enterprise")).toBeGreaterThan(0.25);
    // 德化 makes ceramics (30), 安溪 tea (15).
    const inCounty = (code: string, div: string) =>
      big.subjects.filter((s) => s.region === code && s.industry_division === div && s.type === "enterprise")
        .length;
    expect(inCounty("350526", "30")).toBeGreaterThan(inCounty("350526", "19"));
    expect(inCounty("350524", "15")).toBeGreaterThan(inCounty("350524", "19"));
    expect(share((s) => s.status === "存续")).toBeGreaterThan(0.75);
    expect(new Set(big.subjects.map((s) => s.status))).toEqual(new Set(["存续", "注销", "吊销", "迁出"]));
  });

  it("produces records that all pass validation, cover the catalog and have unique document numbers", () => {
    const cat = catalog();
    const perSubject = big.records.length / big.subjects.length;
    expect(perSubject).toBeGreaterThan(7);
    expect(perSubject).toBeLessThan(13);
    const categories = new Set<string>();
    const keys = new Set<string>();
    const negative = new Set(cat.categories.filter((c) => c.kind === "negative").map((c) => c.code));
    const negatives = new Map<string, number>();
    const severities = new Map<string, number>();
    const byCategory = new Map<string, number>();
    let revoked = 0;
    const earliest = `${Number(TODAY.slice(0, 4)) - 5}${TODAY.slice(4)}`;
    for (const [i, raw] of big.records.entries()) {
      const v = validateRecord(raw, { catalog: cat, today: TODAY, row: i + 1 });
      if (!v.ok) throw new Error(`${JSON.stringify(raw)}: ${v.problems.map((p) => p.en).join("; ")}`);
      const r = v.record;
      categories.add(r.category);
      byCategory.set(r.category, (byCategory.get(r.category) ?? 0) + 1);
      const key = `${r.department}|${r.category}|${r.doc_no}`;
      expect(keys.has(key)).toBe(false);
      keys.add(key);
      expect(r.decision_date <= TODAY && r.decision_date > earliest).toBe(true);
      if (r.status === "revoked") revoked++;
      if (negative.has(r.category)) {
        negatives.set(r.subject_code, (negatives.get(r.subject_code) ?? 0) + 1);
        severities.set(r.severity, (severities.get(r.severity) ?? 0) + 1);
      }
    }
    expect([...categories].sort()).toEqual(cat.categories.map((c) => c.code).sort());
    // Inspections and licences are the bulk.
    const top = [...byCategory.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
    expect(top.slice(0, 2)).toEqual(["INSPECTION", "LICENCE"]);
    expect(revoked).toBeGreaterThan(0);
    // Negative records are concentrated: most subjects have none, a few have many.
    const clean = 1 - negatives.size / big.subjects.length;
    expect(clean).toBeGreaterThan(0.6);
    const mean = [...negatives.values()].reduce((s, x) => s + x, 0) / big.subjects.length;
    expect(Math.max(...negatives.values())).toBeGreaterThan(10 * mean);
    // Severities: mostly general, some serious and some minor.
    const general = severities.get("general") ?? 0;
    expect(general).toBeGreaterThan(severities.get("serious") ?? 0);
    expect(general).toBeGreaterThan(severities.get("minor") ?? 0);
    expect(severities.get("serious")).toBeGreaterThan(0);
    expect(severities.get("minor")).toBeGreaterThan(0);
  });

  it("never dates a record after today", () => {
    const { records } = city(800, "early", 10_000, "2024-03-15");
    expect(records.length).toBeGreaterThan(0);
    for (const raw of records) {
      const v = validateRecord(raw, { catalog: catalog(), today: "2024-03-15" });
      expect(v.ok).toBe(true);
    }
  });
});
