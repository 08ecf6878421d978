import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSamplingFile, samplingPolicyAt } from "../../policy/sampling.ts";
import { InputError } from "../problem.ts";
import { checkSamplingFile, type SamplingFile, samplingDefaults } from "./policy.ts";

const shipped = loadSamplingFile();
const copy = (): SamplingFile => structuredClone(shipped);

describe("policy/supervision/sampling.yaml", () => {
  it("gives the issue's defaults, with a source for every value", () => {
    const d = samplingPolicyAt("2026-12-01");
    expect(d.ratioBp).toEqual({ A: 300, B: 500, C: 1000, D: 3000, E: 10000, NR: 500 });
    expect(d.minRatioBp).toEqual({ A: 100 });
    expect(d.frequencyCapPerYear).toEqual({ A: 1, B: 1, C: 2, D: null, E: null, NR: 1 });
    expect(d.floorYears).toBe(2);
    expect(d.exclusionMonths).toBe(3);
    expect(d.publishWithinWorkingDays).toBe(20);
    expect(d.minInspectorsPerSubject).toBe(2);
    expect(Object.keys(d.sources)).toHaveLength(6 + 1 + 6 + 4);
    for (const text of Object.values(d.sources)) expect(text.length).toBeGreaterThan(40);
    expect(d.sources.floor_years).toContain("49号");
    expect(d.sources.min_inspectors_per_subject).toContain("第四十二条");
  });

  it("SAMR order 49 takes effect on 2022-03-15: no floor or window the day before", () => {
    const before = samplingPolicyAt("2022-03-14");
    const on = samplingPolicyAt("2022-03-15");
    expect([before.floorYears, before.exclusionMonths]).toEqual([null, null]);
    expect([on.floorYears, on.exclusionMonths]).toEqual([2, 3]);
    expect(before.ratioBp).toEqual(on.ratioBp);
    expect(before.sources.floor_years).not.toBe(on.sources.floor_years);
  });

  it("has no values before it takes effect, and says so in zh and en", () => {
    expect(samplingPolicyAt("2021-06-01").ratioBp.A).toBe(300);
    for (const date of ["2021-05-31", "2026-02-30", "tomorrow"]) {
      try {
        samplingPolicyAt(date);
        throw new Error("expected an InputError");
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        const p = (e as InputError).problems[0]!;
        expect([p.code, p.field]).toEqual(["plan.date", "planDate"]);
        expect(p.zh.length * p.en.length).toBeGreaterThan(0);
      }
    }
  });
});

describe("checks of the sampling file", () => {
  it("the shipped file passes", () => {
    expect(checkSamplingFile(shipped)).toEqual([]);
  });

  it("A's control sample can never be 0, and no minimum may exceed its ratio", () => {
    const f = copy();
    f.min_ratio_bp.A = [{ from: "2021-06-01", value: 0, source: "control-sample" }];
    expect(checkSamplingFile(f)).toEqual(["min_ratio_bp.A from 2021-06-01: 0 (A needs a control sample)"]);
    const g = copy();
    g.ratio_bp.A = [
      { from: "2021-06-01", to: "2025-12-31", value: 300, source: "issue-5" },
      { from: "2026-01-01", value: 50, source: "issue-5" },
    ];
    expect(checkSamplingFile(g)).toEqual(["ratio_bp.A on 2026-01-01: 50 is below min_ratio_bp.A (100)"]);
    const h = copy();
    delete h.min_ratio_bp.A;
    expect(checkSamplingFile(h)).toEqual(["min_ratio_bp.A: missing (A needs a control sample, never 0)"]);
  });

  it("dated values must be contiguous, cover the file's life and cite a known source", () => {
    const f = copy();
    f.floor_years = [
      { from: "2021-07-01", to: "2022-03-14", value: null, source: "no-floor-before-2022" },
      { from: "2022-03-16", value: 2, source: "samr-order-49" },
    ];
    f.publish_within_working_days = [{ from: "2021-06-01", value: 20, source: "nowhere" }];
    expect(checkSamplingFile(f)).toEqual([
      "floor_years[1].from: 2022-03-16 must be the day after 2022-03-14 (no gaps or overlaps)",
      "floor_years: starts 2021-07-01, after the model takes effect (2021-06-01)",
      'publish_within_working_days[0].source: "nowhere" is not one of the file\'s sources',
    ]);
  });

  it("a broken file names itself at load", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sampling-"));
    try {
      fs.mkdirSync(path.join(dir, "supervision"));
      const text = fs
        .readFileSync(new URL("../../../policy/supervision/sampling.yaml", import.meta.url), "utf8")
        .replace("value: 3000,", "value: 30000,");
      fs.writeFileSync(path.join(dir, "supervision", "sampling.yaml"), text);
      expect(() => loadSamplingFile(`${dir}/`)).toThrow(/policy\/supervision\/sampling.yaml is not valid/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("samplingDefaults reads any file's values on a date", () => {
    const f = copy();
    f.ratio_bp.C = [
      { from: "2021-06-01", to: "2026-12-31", value: 1000, source: "issue-5" },
      { from: "2027-01-01", value: 1500, source: "issue-5" },
    ];
    expect(checkSamplingFile(f)).toEqual([]);
    expect(samplingDefaults(f, "2026-12-31").ratioBp.C).toBe(1000);
    expect(samplingDefaults(f, "2027-01-01").ratioBp.C).toBe(1500);
  });
});
