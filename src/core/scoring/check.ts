import { fieldDef } from "../catalog/catalog.ts";
import type { Catalog, Category } from "../catalog/types.ts";
import { changeDates, checkDated, entryAt } from "./dated.ts";
import { isRealDate, lastDayAged } from "./dates.ts";
import { SEVERITIES, SUBJECT_STATUSES } from "./model.ts";
import type { Match } from "./schema.ts";
import type { ModelDef } from "./types.ts";

/** Everything wrong with a model definition against the catalog (empty when it can be compiled). */
export function checkModel(def: ModelDef, catalog: Catalog): string[] {
  const errors: string[] = [];
  const life = { from: def.effective_from, to: def.effective_to };
  const sources = def.sources;
  if (!isRealDate(def.effective_from))
    errors.push(`effective_from: ${def.effective_from} is not a real date`);
  if (def.effective_to !== undefined && def.effective_to < def.effective_from)
    errors.push("effective_to: before effective_from");

  const ids = new Set<string>();
  const unique = (id: string, path: string) => {
    if (ids.has(id)) errors.push(`${path}: id "${id}" is used twice`);
    ids.add(id);
  };
  const categories = new Map(catalog.categories.map((c) => [c.code, c]));
  const departments = new Set(catalog.departments.map((d) => d.code));

  const checkMatch = (m: Match, path: string): Category[] => {
    const cats: Category[] = [];
    for (const code of m.categories) {
      const c = categories.get(code);
      if (!c) errors.push(`${path}.categories: "${code}" is not a catalog category`);
      else cats.push(c);
    }
    for (const d of m.departments ?? []) {
      if (!departments.has(d)) errors.push(`${path}.departments: "${d}" is not a department`);
      else if (cats.length > 0 && !cats.some((c) => c.departments.includes(d)))
        errors.push(`${path}.departments: ${d} is not a source department of ${m.categories.join(", ")}`);
    }
    const fieldOf = (key: string, where: string) => {
      const f = fieldDef(catalog, key);
      if (!f) errors.push(`${where}: "${key}" is not a catalog field`);
      else
        for (const c of cats)
          if (!c.required.includes(key) && !c.optional.includes(key))
            errors.push(`${where}: ${c.code} records have no field "${key}"`);
      return f;
    };
    for (const [key, values] of Object.entries(m.fields ?? {})) {
      const f = fieldOf(key, `${path}.fields`);
      if (f?.type === "enum")
        for (const v of values)
          if (!f.values?.includes(v))
            errors.push(`${path}.fields.${key}: "${v}" is not one of ${f.values?.join(", ")}`);
    }
    if (m.expires_field !== undefined) {
      const f = fieldOf(m.expires_field, `${path}.expires_field`);
      if (f && f.type !== "date")
        errors.push(`${path}.expires_field: "${m.expires_field}" is not a date field`);
    }
    return cats;
  };

  const checkDuration = (d: string, path: string) => {
    if (!/^P(\d+Y)?(\d+M)?(\d+D)?$/.test(d) || d === "P") errors.push(`${path}: bad duration ${d}`);
  };

  def.dimensions.forEach((dim, di) => {
    const dp = `dimensions[${di}] (${dim.id})`;
    unique(dim.id, dp);
    checkDated(dim.max, `${dp}.max`, life, sources, errors);
    checkDated(dim.base, `${dp}.base`, life, sources, errors);
    if (dim.deduction_cap) checkDated(dim.deduction_cap, `${dp}.deduction_cap`, life, sources, errors);
    for (const d of changeDates([...dim.max, ...dim.base], def.effective_from)) {
      const max = entryAt(dim.max, d)?.value;
      const base = entryAt(dim.base, d)?.value;
      if (max !== undefined && base !== undefined && base > max)
        errors.push(`${dp}: base ${base} is over the dimension's maximum ${max} on ${d}`);
    }
    dim.indicators.forEach((ind, ii) => {
      const ip = `${dp}.indicators[${ii}] (${ind.id})`;
      unique(ind.id, ip);
      switch (ind.basis) {
        case "records": {
          const cats = checkMatch(ind.match, `${ip}.match`);
          checkDated(ind.points, `${ip}.points`, life, sources, errors);
          checkDated(ind.cap, `${ip}.cap`, life, sources, errors);
          let allowed: string[] | undefined;
          if (ind.points_by === "severity") allowed = [...SEVERITIES];
          else {
            const key = ind.points_by.slice("field:".length);
            const f = fieldDef(catalog, key);
            if (!f) errors.push(`${ip}.points_by: "${key}" is not a catalog field`);
            else {
              for (const c of cats)
                if (!c.required.includes(key) && !c.optional.includes(key))
                  errors.push(`${ip}.points_by: ${c.code} records have no field "${key}"`);
              if (f.type === "enum") allowed = f.values;
            }
          }
          if (allowed)
            ind.points.forEach((v, i) => {
              for (const k of Object.keys(v.value))
                if (!allowed.includes(k))
                  errors.push(`${ip}.points[${i}]: "${k}" is not one of ${allowed.join(", ")}`);
            });
          if (ind.decay) {
            checkDated(ind.decay, `${ip}.decay`, life, sources, errors);
            ind.decay.forEach((v, i) => {
              let prev = "";
              for (const step of v.value) {
                checkDuration(step.after, `${ip}.decay[${i}]`);
                // Durations compare by where they reach back to from a fixed day: older lands earlier.
                const at = lastDayAged("2100-01-01", step.after);
                if (prev && at >= prev) errors.push(`${ip}.decay[${i}]: steps must be in increasing age`);
                prev = at;
              }
            });
          }
          break;
        }
        case "years_in_operation":
          checkDated(ind.points, `${ip}.points`, life, sources, errors);
          ind.points.forEach((v, i) => {
            for (let k = 1; k < v.value.length; k++)
              if (v.value[k]!.years <= v.value[k - 1]!.years)
                errors.push(`${ip}.points[${i}]: bands must be in increasing years`);
          });
          break;
        case "status":
          checkDated(ind.points, `${ip}.points`, life, sources, errors);
          ind.points.forEach((v, i) => {
            for (const k of Object.keys(v.value))
              if (!(SUBJECT_STATUSES as readonly string[]).includes(k))
                errors.push(
                  `${ip}.points[${i}]: "${k}" is not a subject status (${SUBJECT_STATUSES.join(", ")})`,
                );
          });
          break;
        case "other_grades":
          checkDated(ind.points, `${ip}.points`, life, sources, errors);
          break;
        case "market_rating":
          ind.weight.forEach((v, i) => {
            if (v.value > catalog.modelBounds.marketRatingMaxWeight)
              errors.push(
                `${ip}.weight[${i}]: ${v.value} is above the largest weight a market rating may have, ${catalog.modelBounds.marketRatingMaxWeight} (policy/model-bounds.yaml)`,
              );
          });
          checkDated(ind.weight, `${ip}.weight`, life, sources, errors);
          checkDated(ind.missing, `${ip}.missing`, life, sources, errors);
          break;
        case "public_score":
          checkDated(ind.weight, `${ip}.weight`, life, sources, errors);
          checkDated(ind.missing, `${ip}.missing`, life, sources, errors);
          break;
      }
    });
  });

  // The dimensions add up to the model's maximum on every date any of them changes.
  const maxDates = def.dimensions.flatMap((d) => changeDates(d.max, def.effective_from));
  for (const d of new Set([def.effective_from, ...maxDates])) {
    const sum = def.dimensions.reduce((s, dim) => s + (entryAt(dim.max, d)?.value ?? 0), 0);
    if (sum !== def.max_score)
      errors.push(`dimensions: their maxima add up to ${sum} on ${d}, not max_score ${def.max_score}`);
  }

  const checkCondition = (c: { from: string; to?: string | undefined; source: string }, path: string) => {
    if (!isRealDate(c.from)) errors.push(`${path}.from: not a real date`);
    if (c.to !== undefined && c.to < c.from) errors.push(`${path}: ends before it starts`);
    if (!(c.source in sources)) errors.push(`${path}.source: "${c.source}" is not one of the file's sources`);
  };
  def.triggers.forEach((t, i) => {
    const p = `triggers[${i}] (${t.id})`;
    unique(t.id, p);
    checkMatch(t.match, `${p}.match`);
    if (t.within) checkDuration(t.within, `${p}.within`);
    checkCondition(t, p);
  });
  def.ceilings.forEach((c, i) => {
    const p = `ceilings[${i}] (${c.id})`;
    unique(c.id, p);
    if ("records" in c.when) {
      checkMatch(c.when.records.match, `${p}.when.records.match`);
      if (c.when.records.within) checkDuration(c.when.records.within, `${p}.when.records.within`);
    }
    if ("statuses" in c.when)
      for (const s of c.when.statuses)
        if (!(SUBJECT_STATUSES as readonly string[]).includes(s))
          errors.push(`${p}.when.statuses: "${s}" is not a subject status`);
    checkCondition(c, p);
  });

  checkDated(def.not_rated.min_age, "not_rated.min_age", life, sources, errors);
  def.not_rated.min_age.forEach((v, i) => {
    checkDuration(v.value, `not_rated.min_age[${i}]`);
  });

  if (def.grade_bands.length === 0) errors.push(`bands: no band set "${def.bands}"`);
  else {
    checkDated(def.grade_bands, `bands (${def.bands})`, life, { ...sources, ...bandSources(def) }, errors);
    for (const b of def.grade_bands) {
      const c = b.value;
      if (!(c.A > c.B && c.B > c.C && c.C > c.D && c.D > 0 && c.A <= def.max_score))
        errors.push(
          `bands (${def.bands}) from ${b.from}: cut-offs must fall A > B > C > D > 0, A ≤ ${def.max_score}`,
        );
    }
  }

  const share = Object.values(def.intended_distribution).reduce((s, x) => s + x, 0);
  if (Math.abs(share - 1) > 0.011) errors.push(`intended_distribution: shares add up to ${share}, not 1`);
  return errors;
}

/**
 * Band values carry their citation in full: the loader resolved and checked it against policy/grades/bands.yaml
 * (load.ts `bandSet`), so here any cited text is accepted as its own source.
 */
export function bandSources(def: ModelDef): Record<string, string> {
  const s: Record<string, string> = {};
  for (const b of def.grade_bands) s[b.source] = b.source;
  return s;
}
