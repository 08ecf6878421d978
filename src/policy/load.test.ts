import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog, POLICY_DIR, whatIf } from "./load.ts";

describe("policy/departments.yaml", () => {
  it("names the city credit office, one of the departments", () => {
    const c = loadCatalog();
    expect(c.departments.map((d) => d.code)).toContain(c.cityOffice);
    expect(c.cityOffice).toBe("XYB");
  });

  it("refuses a city office that is not one of the departments", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
    try {
      fs.cpSync(POLICY_DIR, dir, { recursive: true });
      const file = path.join(dir, "departments.yaml");
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("city_office: XYB", "city_office: NOPE"));
      expect(() => loadCatalog(`${dir}/`)).toThrow(/city_office NOPE/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("policy/what-if.yaml", () => {
  it("reads a PSI below 0.1 as stable and above 0.25 as a major shift", () => {
    expect(whatIf().psi_bands).toEqual({ moderate: 0.1, major: 0.25 });
  });
});
