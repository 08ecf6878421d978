/**
 * Reference data: administrative divisions (GB/T 2260) and industries (GB/T 4754-2017), read once from
 * `reference/*.yaml` at the repository root by a lazy, cached loader (the only file I/O in src/core).
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export type RegionLevel = "province" | "prefecture" | "county";

export interface Region {
  /** Six digits, e.g. `350582`. */
  code: string;
  name: string;
  en: string;
  level: RegionLevel;
  /** Code of the enclosing division; null for provinces. */
  parent: string | null;
  /** A grouping code in the prefecture position (市辖区, 县, 省直辖县级行政区划), not a real division. */
  grouping?: boolean;
  /** Administered nominally only (金门县): never generate subjects there. */
  nominal?: boolean;
  /** The file lists every county-level division of this prefecture. */
  countiesComplete?: boolean;
}

export interface Section {
  /** A–T. */
  code: string;
  name: string;
  en: string;
  /** Codes of its divisions, in order. */
  divisions: string[];
}

export interface Division {
  /** Two digits, 01–97. */
  code: string;
  name: string;
  en: string;
  /** Code of its section, A–T. */
  section: string;
}

export interface Industries {
  sections: readonly Section[];
  divisions: readonly Division[];
}

const REGIONS_URL = new URL("../../../reference/regions.yaml", import.meta.url);
const INDUSTRIES_URL = new URL("../../../reference/industries.yaml", import.meta.url);

function fail(file: URL, what: string): never {
  throw new Error(`reference data ${file.pathname}: ${what}`);
}

function str(file: URL, o: Record<string, unknown>, key: string, pattern?: RegExp): string {
  const v = o[key];
  if (typeof v !== "string" || v === "" || (pattern && !pattern.test(v))) {
    fail(file, `entry ${JSON.stringify(o)} has a bad "${key}"`);
  }
  return v;
}

function readList(file: URL, key: string): Record<string, unknown>[] {
  const doc = parse(readFileSync(file, "utf8")) as Record<string, unknown> | null;
  const list = doc?.[key];
  if (!Array.isArray(list)) fail(file, `missing list "${key}"`);
  return list.map((e) => {
    if (typeof e !== "object" || e === null) fail(file, `"${key}" has a non-object entry`);
    return e as Record<string, unknown>;
  });
}

interface RegionData {
  list: readonly Region[];
  byCode: ReadonlyMap<string, Region>;
  /** Prefecture code → whether it has listed county-level children. */
  listedCounties: ReadonlySet<string>;
}

let regionData: RegionData | undefined;

function loadRegions(): RegionData {
  if (regionData) return regionData;
  const f = REGIONS_URL;
  const list: Region[] = readList(f, "regions").map((o) => {
    const level = str(f, o, "level");
    if (level !== "province" && level !== "prefecture" && level !== "county") fail(f, `bad level ${level}`);
    const parent = o.parent === null || o.parent === undefined ? null : str(f, o, "parent", /^\d{6}$/);
    const r: Region = {
      code: str(f, o, "code", /^\d{6}$/),
      name: str(f, o, "name"),
      en: str(f, o, "en"),
      level,
      parent,
    };
    if (o.grouping === true) r.grouping = true;
    if (o.nominal === true) r.nominal = true;
    if (o.countiesComplete === true) r.countiesComplete = true;
    return Object.freeze(r);
  });
  const byCode = new Map<string, Region>();
  const listedCounties = new Set<string>();
  for (const r of list) {
    if (byCode.has(r.code)) fail(f, `duplicate code ${r.code}`);
    byCode.set(r.code, r);
  }
  for (const r of list) {
    const p = r.parent === null ? undefined : byCode.get(r.parent);
    const wantParent =
      r.level === "province" ? undefined : r.level === "prefecture" ? "province" : "prefecture";
    if ((p?.level ?? undefined) !== wantParent) fail(f, `${r.code} has a wrong parent ${r.parent}`);
    if (r.level === "county") listedCounties.add(r.parent!);
  }
  regionData = { list: Object.freeze(list), byCode, listedCounties };
  return regionData;
}

interface IndustryData {
  industries: Industries;
  sections: ReadonlyMap<string, Section>;
  divisions: ReadonlyMap<string, Division>;
}

let industryData: IndustryData | undefined;

function loadIndustries(): IndustryData {
  if (industryData) return industryData;
  const f = INDUSTRIES_URL;
  const divisions: Division[] = readList(f, "divisions").map((o) =>
    Object.freeze({
      code: str(f, o, "code", /^\d{2}$/),
      name: str(f, o, "name"),
      en: str(f, o, "en"),
      section: str(f, o, "section", /^[A-Z]$/),
    }),
  );
  const sections: Section[] = readList(f, "sections").map((o) => {
    const code = str(f, o, "code", /^[A-Z]$/);
    return Object.freeze({
      code,
      name: str(f, o, "name"),
      en: str(f, o, "en"),
      divisions: Object.freeze(divisions.filter((d) => d.section === code).map((d) => d.code)) as string[],
    });
  });
  const sectionMap = new Map(sections.map((s) => [s.code, s]));
  const divisionMap = new Map(divisions.map((d) => [d.code, d]));
  if (sectionMap.size !== sections.length) fail(f, "duplicate section code");
  if (divisionMap.size !== divisions.length) fail(f, "duplicate division code");
  for (const d of divisions)
    if (!sectionMap.has(d.section)) fail(f, `division ${d.code} has unknown section`);
  industryData = {
    industries: Object.freeze({ sections: Object.freeze(sections), divisions: Object.freeze(divisions) }),
    sections: sectionMap,
    divisions: divisionMap,
  };
  return industryData;
}

/** Every listed division: 34 provinces, the prefecture level (plus grouping codes), Quanzhou's counties. */
export function regions(): readonly Region[] {
  return loadRegions().list;
}

export function region(code: string): Region | undefined {
  return loadRegions().byCode.get(String(code).trim());
}

/**
 * A well-formed county-level code: six digits not ending in 00, whose prefecture (first four digits + 00) is
 * listed. Where the file lists a prefecture's counties completely (泉州市), the code must be one of them;
 * elsewhere any such code is accepted. Nominal divisions (金门县) count as county codes: check `nominal`.
 */
export function isCountyCode(code: string): boolean {
  const c = String(code).trim();
  if (!/^\d{4}(?!00)\d{2}$/.test(c)) return false;
  const data = loadRegions();
  const prefecture = data.byCode.get(`${c.slice(0, 4)}00`);
  if (prefecture?.level !== "prefecture") return false;
  if (data.listedCounties.has(prefecture.code)) return data.byCode.get(c)?.level === "county";
  return true;
}

/**
 * Names from province down to the given code: `["福建省", "泉州市", "晋江市"]`. Grouping codes (市辖区, 县,
 * 省直辖县级行政区划) are left out, and so is a county that is well-formed but not listed (only its province
 * and prefecture are named). Empty for a code that is not recognised at all.
 */
export function regionPath(code: string, lang: "zh" | "en" = "zh"): string[] {
  const c = String(code).trim();
  if (!/^\d{6}$/.test(c)) return [];
  const data = loadRegions();
  let r = data.byCode.get(c);
  if (!r && isCountyCode(c)) r = data.byCode.get(`${c.slice(0, 4)}00`);
  const names: string[] = [];
  while (r) {
    if (!r.grouping) names.unshift(lang === "zh" ? r.name : r.en);
    r = r.parent === null ? undefined : data.byCode.get(r.parent);
  }
  return names;
}

/** `regionPath` joined for display: `福建省 › 泉州市 › 晋江市`. */
export function formatRegionPath(code: string, lang: "zh" | "en" = "zh"): string {
  return regionPath(code, lang).join(" › ");
}

export function industries(): Industries {
  return loadIndustries().industries;
}

/** A section by its letter (A–T, case-insensitive). */
export function section(code: string): Section | undefined {
  return loadIndustries().sections.get(String(code).trim().toUpperCase());
}

/** A division by its two-digit code, optionally prefixed by its section letter (`13`, `C13`). */
export function division(code: string): Division | undefined {
  const m = /^([A-Za-z])?(\d{2})$/.exec(String(code).trim());
  if (!m) return undefined;
  const d = loadIndustries().divisions.get(m[2]!);
  if (!d || (m[1] !== undefined && m[1].toUpperCase() !== d.section)) return undefined;
  return d;
}

/**
 * The section of a division, group or class code: the first two digits decide (`13`, `131`, `1311`, `C1311`).
 * A section letter in front must agree.
 */
export function sectionOfDivision(div: string): Section | undefined {
  const m = /^([A-Za-z])?(\d{2})\d{0,2}$/.exec(String(div).trim());
  if (!m) return undefined;
  const d = division(`${m[1] ?? ""}${m[2]}`);
  return d ? section(d.section) : undefined;
}
