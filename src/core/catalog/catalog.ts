import type { Catalog, Category, FieldDef, PeriodRange, PublicityRegime, Severity } from "./types.ts";

/** Whether a dated policy item is in force on `date` (ISO dates compare as strings). */
export function inForce(item: { effective_from: string; effective_to?: string }, date: string): boolean {
  return item.effective_from <= date && (item.effective_to === undefined || date <= item.effective_to);
}

export function categoriesInForce(catalog: Catalog, date: string): Category[] {
  return catalog.categories.filter((c) => inForce(c, date));
}

const squash = (s: string) => s.replace(/\s+/g, "").toLowerCase();

/** Finds a category by its code, Chinese or English name (any in-force state). */
export function findCategory(catalog: Catalog, nameOrCode: string): Category | undefined {
  const k = squash(nameOrCode);
  return catalog.categories.find((c) => squash(c.code) === k || squash(c.zh) === k || squash(c.en) === k);
}

export function fieldDef(catalog: Catalog, key: string): FieldDef | undefined {
  return catalog.envelope.find((f) => f.key === key) ?? catalog.fields.find((f) => f.key === key);
}

/** Columns of a category's file: the envelope, then its own required and optional fields. */
export function categoryColumns(
  catalog: Catalog,
  category: Category,
): { def: FieldDef; required: boolean }[] {
  const envelopeRequired = new Set(["subject_code", "subject_name", "doc_no", "decision_date"]);
  const out = catalog.envelope
    .filter((f) => f.key !== "category")
    .map((def) => ({ def, required: envelopeRequired.has(def.key) }));
  for (const key of category.required) out.push({ def: fieldDef(catalog, key)!, required: true });
  for (const key of category.optional) out.push({ def: fieldDef(catalog, key)!, required: false });
  return out;
}

export function regimeOn(catalog: Catalog, date: string): PublicityRegime | undefined {
  return catalog.regimes.find((r) => inForce(r, date));
}

/** The publicity period that applies to a record of this category and severity decided on `date`. */
export function publicityPeriod(
  catalog: Catalog,
  category: Category,
  severity: Severity,
  decisionDate: string,
): (PeriodRange & { regime?: string }) | null {
  if (category.publicity === "none") return null;
  if (category.publicity === "regime") {
    const regime = regimeOn(catalog, decisionDate);
    return regime ? { ...regime.periods[severity], regime: regime.id } : null;
  }
  return category.publicity;
}

/** Adds an ISO-8601 duration (years, months, days) to an ISO date; month ends clamp (01-31 + P1M = 02-28). */
export function addDuration(date: string, duration: string): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(duration);
  if (!m) throw new Error(`bad duration ${duration}`);
  const [y, mo, d] = date.split("-").map(Number) as [number, number, number];
  const years = Number(m[1] ?? 0);
  const months = Number(m[2] ?? 0);
  const days = Number(m[3] ?? 0);
  const totalMonths = mo - 1 + months + years * 12;
  const ny = y + Math.floor(totalMonths / 12);
  const nm = (totalMonths % 12) + 1;
  const lastDay = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  const t = Date.UTC(ny, nm - 1, Math.min(d, lastDay)) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
