import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadMeasures, MEASURES_DIR, PolicyError } from "./measures.ts";

const KNOWN = { departments: ["XYB", "SCJG", "ZJ"], models: ["public", "samr-food"] };
const SCJG = fs.readFileSync(path.join(MEASURES_DIR, "SCJG.yaml"), "utf8");

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A measures folder with the shipped scenarios and the given files. */
function folder(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "measures-"));
  dir = d;
  fs.copyFileSync(path.join(MEASURES_DIR, "scenarios.yaml"), path.join(d, "scenarios.yaml"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(d, name), text);
  return d;
}

function problemsOf(files: Record<string, string>) {
  try {
    loadMeasures(folder(files), KNOWN);
  } catch (e) {
    if (!(e instanceof PolicyError)) throw e;
    return e.problems;
  }
  throw new Error("the folder was accepted");
}

describe("loadMeasures", () => {
  it("loads the shipped lists with a digest of each file", () => {
    const { lists, scenarios } = loadMeasures();
    expect(lists.map((l) => l.file)).toEqual([
      "policy/measures/SCJG.yaml",
      "policy/measures/STHJ.yaml",
      "policy/measures/XYB.yaml",
      "policy/measures/ZJ.yaml",
    ]);
    expect(lists[0]!.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(scenarios.length).toBeGreaterThanOrEqual(6);
  });

  it("accepts a good list in a folder of its own", () => {
    expect(loadMeasures(folder({ "SCJG.yaml": SCJG }), KNOWN).lists).toHaveLength(1);
  });

  it("names file, path, problem and fix in both languages for a shape error", () => {
    const [p, ...rest] = problemsOf({ "SCJG.yaml": SCJG.replace("kind: incentive", "kind: reward") });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: "measures.shape", field: "measures[0].kind" });
    expect(p!.zh).toContain(path.join(dir!, "SCJG.yaml"));
    expect(p!.en).toContain(path.join(dir!, "SCJG.yaml"));
    expect(p!.zh).toContain("measures[0].kind");
    expect(p!.en).toContain("measures list format");
    expect(p!.fixZh).toContain("XYB.yaml");
    expect(p!.fixEn).toContain("XYB.yaml");
  });

  it("refuses a file that is not YAML", () => {
    const [p] = problemsOf({ "SCJG.yaml": "department: [SCJG\n" });
    expect(p!.code).toBe("measures.yaml");
    expect(p!.fixEn).toMatch(/YAML syntax/);
  });

  it("refuses unknown models, scenarios and measures, and measures of the wrong kind or scenario", () => {
    const bad = `${SCJG.replace("model: samr-food", "model: samr-drug")
      .replace("D: [key_supervision, more_inspections]", "D: [key_supervision, fewer_inspections]")
      .replace("A: [licence_commitment]", "A: [licence_commitment, green_light]")
      .replace("C: [licence_standard]", "C: [routine_inspections]")}
  - id: extra
    zh: 额外事项
    en: Extra item
    legal_basis: 无
    scenario: licensing
    model: public
    measures:
      - from: "2021-06-01"
        source: platform
        value: { A: [], B: [], C: [], D: [], E: [], NR: [] }
`;
    const got = problemsOf({ "SCJG.yaml": bad }).map((p) => `${p.code} ${p.field} ${p.value ?? ""}`);
    expect(got).toEqual([
      "measures.model items[0].model samr-drug",
      "measures.kind_grade items[0].measures[0].value.D[1] fewer_inspections",
      "measures.unknown_measure items[2].measures[0].value.A[1] green_light",
      "measures.wrong_scenario items[2].measures[0].value.C[0] routine_inspections",
      "measures.scenario items[3].scenario licensing",
    ]);
  });

  it("refuses dated values with gaps, unknown sources, a late start and a wrong file name", () => {
    const dated = SCJG.replace(
      `      - from: "2021-06-01"
        source: platform
        value:
          A: [fewer_inspections]`,
      `      - from: "2021-07-01"
        to: "2023-12-31"
        source: nowhere
        value:
          A: [fewer_inspections]`,
    );
    const got = problemsOf({ "SCJG.yaml": dated, "ZJ.yaml": SCJG }).map((p) => `${p.code} ${p.field}`);
    expect(got).toEqual([
      "measures.source items[0].measures[0].source",
      "measures.coverage items[0].measures[0].from",
      "measures.coverage items[0].measures[0].to",
      "measures.file_name department",
    ]);
    const gap = SCJG.replace(
      `      - from: "2021-06-01"
        source: platform
        value:
          A: [fewer_inspections]
          B: [fewer_inspections]
          C: [routine_inspections]
          D: [key_supervision, more_inspections]
          E: [key_supervision, more_inspections, strict_management]
          NR: [routine_inspections]`,
      `      - from: "2021-06-01"
        to: "2025-12-31"
        source: platform
        value: { A: [], B: [], C: [], D: [], E: [], NR: [] }
      - from: "2026-01-02"
        source: platform
        value: { A: [], B: [], C: [], D: [], E: [], NR: [] }`,
    );
    const [p] = problemsOf({ "SCJG.yaml": gap });
    expect(p).toMatchObject({ code: "measures.dates", field: "items[0].measures[1].from" });
    expect(p!.fixEn).toBe("Make it 2026-01-01");
  });

  it("refuses an unknown department and a file that is not named after one", () => {
    const got = problemsOf({
      "STHJ.yaml": SCJG.replace("department: SCJG", "department: STHJ"),
      "scjg-old.yaml": SCJG,
    }).map((p) => `${p.code} ${path.basename(p.zh.split("：")[0]!)}`);
    expect(got).toEqual([
      "measures.department STHJ.yaml 的 department",
      "measures.file_name scjg-old.yaml 的 (整体 whole file)",
    ]);
  });
});
