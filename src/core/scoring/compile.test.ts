import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../policy/load.ts";
import { loadModels } from "../../policy/models.ts";
import type { Catalog } from "../catalog/types.ts";
import { checkModel, compileModel, ModelError } from "./compile.ts";
import { firstDayWithin, lastDayAged } from "./dates.ts";
import { inputDigest } from "./digest.ts";
import { SUBJECT } from "./testing.ts";
import type { EvalInput, ModelDef, RecordFact } from "./types.ts";

const catalog = loadCatalog();
const defs = loadModels();
const publicDef = defs.find((d) => d.id === "public")!;
const pub = compileModel(publicDef, catalog);
const AS_OF = "2026-11-29";

const subject = SUBJECT;
let nextId = 1;
function rec(category: string, decision_date: string, extra: Partial<RecordFact> = {}): RecordFact {
  const c = catalog.categories.find((x) => x.code === category)!;
  return {
    id: nextId++,
    department: c.departments[0]!,
    category,
    severity: c.severity,
    status: "active",
    decision_date,
    fields: {},
    ...extra,
  };
}

/** A small model for engine tests: one dimension of 1000 points. */
function tinyModel(over: Partial<ModelDef> = {}): ModelDef {
  const d = (value: unknown) => [{ from: "2021-01-01", value, source: "t" }];
  return {
    id: "tiny",
    version: "1",
    kind: "public",
    owner: "XYB",
    title_zh: "测试",
    title_en: "Test",
    effective_from: "2021-01-01",
    max_score: 1000,
    bands: "t",
    scope: {},
    intended_distribution: { A: 0.2, B: 0.2, C: 0.2, D: 0.2, E: 0.2 },
    sources: { t: "test" },
    not_rated: { min_age: d("P180D") as never },
    dimensions: [
      {
        id: "all",
        zh: "全部",
        en: "All",
        max: d(1000) as never,
        base: d(900) as never,
        deduction_cap: d(250) as never,
        indicators: [
          {
            id: "penalties",
            zh: "处罚",
            en: "Penalties",
            type: "deduction",
            basis: "records",
            match: { categories: ["PENALTY"] },
            points_by: "severity",
            points: d({ minor: 10, general: 100, serious: 200 }) as never,
            cap: d(1000) as never,
          },
          {
            id: "complaints",
            zh: "投诉",
            en: "Complaints",
            type: "deduction",
            basis: "records",
            match: { categories: ["COMPLAINT"] },
            points_by: "severity",
            points: d({ minor: 50, general: 50 }) as never,
            cap: d(100) as never,
          },
        ],
      },
    ],
    triggers: [],
    ceilings: [],
    file: "tiny.yaml",
    grade_bands: [{ from: "2021-01-01", value: { A: 900, B: 800, C: 700, D: 600 }, source: "t" }],
    ...over,
  };
}

describe("loading and checking", () => {
  it("loads the four shipped models, all valid against the catalog", () => {
    expect(defs.map((d) => d.id)).toEqual(["public", "samr-food", "sthj-pollutant", "zj-construction"]);
    for (const def of defs) expect(checkModel(def, catalog), def.id).toEqual([]);
    const kinds = Object.fromEntries(defs.map((d) => [d.id, [d.kind, d.owner]]));
    expect(kinds).toEqual({
      public: ["public", "XYB"],
      "samr-food": ["industry", "SCJG"],
      "zj-construction": ["industry", "ZJ"],
      "sthj-pollutant": ["industry", "STHJ"],
    });
  });

  it("lists every problem of a broken model", () => {
    const def = tinyModel();
    const dim = def.dimensions[0]!;
    const broken: ModelDef = {
      ...def,
      dimensions: [
        {
          ...dim,
          max: [{ from: "2021-01-01", value: 900, source: "t" }],
          indicators: [
            {
              ...(dim.indicators[0] as Extract<(typeof dim.indicators)[0], { basis: "records" }>),
              match: { categories: ["PENALTY", "NO_SUCH"], departments: ["FY"] },
              points: [
                { from: "2021-01-01", to: "2022-01-01", value: { minor: 1 }, source: "t" },
                { from: "2022-03-01", value: { tiny: 1 }, source: "nowhere" },
              ],
            },
          ],
        },
      ],
    };
    const problems = checkModel(broken, catalog);
    const text = problems.join("\n");
    expect(text).toContain('"NO_SUCH" is not a catalog category');
    expect(text).toContain("FY is not a source department of PENALTY");
    expect(text).toContain("must be the day after 2022-01-01");
    expect(text).toContain('"nowhere" is not one of the file\'s sources');
    expect(text).toContain('"tiny" is not one of minor, general, serious');
    expect(text).toContain("add up to 900");
    expect(() => compileModel(broken, catalog)).toThrow(ModelError);
  });

  it("holds a market rating's weight to the bound of policy/model-bounds.yaml", () => {
    const heavier = structuredClone(publicDef);
    const market = heavier.dimensions.flatMap((d) => d.indicators).find((i) => i.basis === "market_rating");
    if (market?.basis !== "market_rating") throw new Error("the public model has no market-rating indicator");
    for (const w of market.weight) w.value = 0.2;
    expect(catalog.modelBounds.marketRatingMaxWeight).toBe(0.1);
    expect(checkModel(heavier, catalog).join("\n")).toContain(
      "0.2 is above the largest weight a market rating may have, 0.1 (policy/model-bounds.yaml)",
    );
    // The bound is the policy file's, not a number in the code: a city that allows more accepts the model.
    const looser: Catalog = { ...catalog, modelBounds: { marketRatingMaxWeight: 0.25 } };
    expect(checkModel(heavier, looser).join("\n")).not.toContain("largest weight a market rating");
  });

  it("rejects values that start after the model or field filters on unknown values", () => {
    const def = tinyModel({ effective_from: "2020-01-01" });
    const text = checkModel(def, catalog).join("\n");
    expect(text).toContain("starts 2021-01-01, after the model takes effect (2020-01-01)");
  });

  it("compiles without evaluating any policy text", () => {
    const dir = fileURLToPath(new URL("./", import.meta.url));
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".ts") && !n.endsWith(".test.ts"))) {
      const src = fs.readFileSync(`${dir}${f}`, "utf8");
      expect(src, f).not.toMatch(/\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(\s*["'`]/);
    }
  });
});

describe("evaluate", () => {
  it("is pure: same input, same result; record order does not matter", () => {
    const records = [
      rec("PENALTY", "2026-09-01", { fields: { penalty_type: "fine" } }),
      rec("INSPECTION", "2026-08-01", { fields: { result: "pass" } }),
      rec("INSPECTION", "2026-07-01", { fields: { result: "problems" } }),
    ];
    const input: EvalInput = { subject, records };
    const a = pub.evaluate(input, AS_OF, { trace: true });
    const b = pub.evaluate({ subject: { ...subject }, records: [...records].reverse() }, AS_OF, {
      trace: true,
    });
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(Number.isInteger(a.score)).toBe(true);
    // Another as-of date in between does not disturb the first.
    pub.evaluate(input, "2026-01-01");
    expect(pub.evaluate(input, AS_OF, { trace: true })).toEqual(a);
  });

  it("returns every dimension and indicator, as plain objects", () => {
    const r = pub.evaluate({ subject, records: [] }, AS_OF);
    expect(Object.keys(r.dimensions)).toEqual(["law", "contract", "merit", "social", "risk"]);
    expect(Object.keys(r.indicators)).toEqual(pub.indicators.map((i) => i.id));
    expect(Object.getPrototypeOf(r.indicators)).toBe(Object.prototype);
    expect(r).toEqual({
      modelId: "public",
      version: "1",
      asOf: AS_OF,
      score: 820,
      grade: "B",
      dimensions: { law: 300, contract: 160, merit: 80, social: 150, risk: 130 },
      indicators: expect.any(Object),
      triggers: [],
    });
  });

  it("traces the records behind each indicator, trigger and ceiling", () => {
    const p = rec("PENALTY", "2026-09-01", { severity: "serious" });
    const sv = rec("SERIOUS_VIOLATOR", "2026-10-01", { department: "SCJG" });
    const old = rec("PENALTY", "2020-01-01");
    const r = pub.evaluate({ subject, records: [p, sv, old] }, AS_OF, { trace: true });
    const trace = r.trace!;
    expect(trace.find((t) => t.id === "penalties")).toEqual({
      kind: "indicator",
      id: "penalties",
      dimension: "law",
      points: -200,
      uncapped: -200,
      records: [{ id: p.id, points: -200 }],
    });
    expect(trace.find((t) => t.id === "serious_violator")).toEqual({
      kind: "trigger",
      id: "serious_violator",
      records: [sv.id],
    });
    expect(trace.find((t) => t.id === "serious_penalty_1y")).toEqual({
      kind: "ceiling",
      id: "serious_penalty_1y",
      records: [p.id],
    });
    expect(pub.evaluate({ subject, records: [p] }, AS_OF).trace).toBeUndefined();
  });

  it("applies indicator caps, then the dimension's deduction cap", () => {
    const m = compileModel(tinyModel(), catalog);
    const records = [
      rec("PENALTY", "2026-09-01", { severity: "serious" }),
      rec("COMPLAINT", "2026-09-02"),
      rec("COMPLAINT", "2026-09-03"),
      rec("COMPLAINT", "2026-09-04"),
    ];
    const r = m.evaluate({ subject, records }, AS_OF, { trace: true });
    expect(r.indicators).toEqual({ penalties: -200, complaints: -100 });
    // 900 − min(200 + 100, 250)
    expect(r.dimensions).toEqual({ all: 650 });
    expect(r.score).toBe(650);
    expect(r.grade).toBe("D");
    const t = r.trace!.find((x) => x.id === "complaints");
    expect(t).toMatchObject({ points: -100, uncapped: -150 });
  });

  it("follows the publicity regime in force on each record's decision date", () => {
    // Two regimes with different maxima: records of the first count for 2 years, of the second for 1 year.
    const cat: Catalog = {
      ...catalog,
      regimes: [
        {
          id: "old",
          effective_from: "2014-06-14",
          effective_to: "2020-12-31",
          source: "t",
          periods: {
            minor: { min: "P0D", max: "P3M" },
            general: { min: "P3M", max: "P2Y" },
            serious: { min: "P6M", max: "P3Y" },
          },
        },
        {
          id: "new",
          effective_from: "2021-01-01",
          source: "t",
          periods: {
            minor: { min: "P0D", max: "P3M" },
            general: { min: "P3M", max: "P1Y" },
            serious: { min: "P6M", max: "P3Y" },
          },
        },
      ],
    };
    const m = compileModel(tinyModel(), cat);
    const at = (d: string) =>
      m.evaluate({ subject, records: [rec("PENALTY", d, { severity: "general" })] }, "2022-06-01").indicators
        .penalties;
    expect(at("2020-06-01")).toBe(0); // old regime, 2 years ended 2022-06-01
    expect(at("2020-06-02")).toBe(-100); // old regime, still inside 2 years
    expect(at("2020-12-31")).toBe(-100);
    expect(at("2021-03-01")).toBe(0); // new regime, 1 year ended
    expect(at("2021-06-02")).toBe(-100);
    expect(at("2022-06-01")).toBe(-100);
    expect(at("2022-06-02")).toBe(0); // after the as-of date
  });

  it("refuses as-of dates outside the model's life or not dates at all", () => {
    expect(() => pub.evaluate({ subject, records: [] }, "2021-05-31")).toThrow(/not in force/);
    expect(() => pub.evaluate({ subject, records: [] }, "2026-02-30")).toThrow(/not a date/);
    expect(pub.inForce("2021-06-01")).toBe(true);
  });

  it("gives grade cut-offs by date", () => {
    expect(pub.cutoffs(AS_OF)).toEqual({ A: 855, B: 800, C: 700, D: 600 });
  });

  it("bounds inputs: public score and market rating are clamped to 0..1000", () => {
    const food = compileModel(defs.find((d) => d.id === "samr-food")!, catalog);
    const s = { ...subject, industry_section: "F", industry_division: "52" };
    const hi = food.evaluate(
      { subject: s, records: [], publicScore: 5000, marketRating: { agency: "x", score: 9e9 } },
      AS_OF,
    );
    expect(hi.indicators.public_score).toBe(300);
    expect(hi.indicators.market_rating).toBe(50);
    const lo = food.evaluate(
      { subject: s, records: [], publicScore: -5, marketRating: { agency: "x", score: -1 } },
      AS_OF,
    );
    expect(lo.indicators.public_score).toBe(0);
    expect(lo.indicators.market_rating).toBe(0);
  });
});

describe("scope", () => {
  const byId = Object.fromEntries(defs.map((d) => [d.id, compileModel(d, catalog)]));
  const s = (o: Partial<EvalInput["subject"]>) => ({ ...subject, ...o });
  it("selects subjects by type, status and industry", () => {
    expect(byId.public!.scope(s({}))).toBe(true);
    expect(byId.public!.scope(s({ type: "natural_person" }))).toBe(false);
    expect(byId.public!.scope(s({ status: "迁出" }))).toBe(false);
    expect(byId["samr-food"]!.scope(s({ industry_section: "H", industry_division: "62" }))).toBe(true);
    expect(byId["samr-food"]!.scope(s({ industry_section: "C", industry_division: "14" }))).toBe(true);
    expect(byId["samr-food"]!.scope(s({ industry_section: "H", industry_division: "61" }))).toBe(false);
    expect(byId["zj-construction"]!.scope(s({ industry_section: "E", industry_division: "48" }))).toBe(true);
    expect(byId["zj-construction"]!.scope(s({ industry_section: null, industry_division: null }))).toBe(
      false,
    );
    expect(byId["sthj-pollutant"]!.scope(s({ industry_division: "33" }))).toBe(true);
    expect(byId["sthj-pollutant"]!.scope(s({ industry_division: "18" }))).toBe(false);
  });
});

describe("dates", () => {
  it("finds the age boundaries the way addDuration counts (month ends clamp)", () => {
    expect(lastDayAged("2026-11-29", "P1Y")).toBe("2025-11-29");
    expect(firstDayWithin("2026-11-29", "P1Y")).toBe("2025-11-30");
    // 2026-03-31 + P1M = 2026-04-30: anything decided 2026-03-30 or 03-31 is a month old on 04-30.
    expect(lastDayAged("2026-04-30", "P1M")).toBe("2026-03-31");
    expect(lastDayAged("2026-04-29", "P1M")).toBe("2026-03-29");
    expect(lastDayAged("2025-02-28", "P1Y")).toBe("2024-02-29");
    expect(lastDayAged("2026-11-29", "P180D")).toBe("2026-06-02");
  });
});

describe("inputDigest", () => {
  const input: EvalInput = {
    subject,
    records: [rec("PENALTY", "2026-09-01"), rec("INSPECTION", "2026-08-01", { fields: { result: "pass" } })],
    publicScore: null,
    otherGrades: [
      { source: "tax", grade: "A" },
      { source: "samr-risk", grade: "B" },
    ],
  };
  const d = inputDigest(input, pub, AS_OF);
  it("is a SHA-256 of the canonical inputs, independent of order", () => {
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    const shuffled: EvalInput = {
      subject: { ...subject },
      records: [...input.records].reverse(),
      otherGrades: [...input.otherGrades!].reverse(),
    };
    expect(inputDigest(shuffled, pub, AS_OF)).toBe(d);
  });
  it("changes with the as-of date, the model and any input", () => {
    expect(inputDigest(input, pub, "2026-11-30")).not.toBe(d);
    expect(inputDigest(input, { ...pub, digest: "0".repeat(64) }, AS_OF)).not.toBe(d);
    expect(inputDigest({ ...input, publicScore: 700 }, pub, AS_OF)).not.toBe(d);
    const changed = { ...input, records: [{ ...input.records[0]!, status: "revoked" }, input.records[1]!] };
    expect(inputDigest(changed, pub, AS_OF)).not.toBe(d);
  });
  it("the model digest covers its grade bands", () => {
    const other = compileModel(
      {
        ...publicDef,
        grade_bands: [{ ...publicDef.grade_bands[0]!, value: { A: 900, B: 800, C: 700, D: 600 } }],
      },
      catalog,
    );
    expect(other.digest).not.toBe(pub.digest);
  });
});
