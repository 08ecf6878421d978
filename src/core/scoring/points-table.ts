/**
 * The points table of a model (docs/models/<id>.md), generated from its definition: grade bands,
 * dimensions, every indicator's points by period, triggers, ceilings, the NR rule and the sources.
 * `pointsRows` gives the rows as data, so a test can check each against the engine.
 */

import { GRADE_LABELS, GRADES } from "../grades.ts";
import { changeDates, entryAt, sortDates, valueAt } from "./dated.ts";
import { previousDay } from "./dates.ts";
import type { IndicatorDef, Match } from "./schema.ts";
import type { ModelDef } from "./types.ts";

const SEVERITY_ZH: Record<string, string> = { minor: "轻微", general: "一般", serious: "严重" };

export interface PointsRow {
  dimension: string;
  indicator: string;
  type: "bonus" | "deduction";
  basis: IndicatorDef["basis"];
  /** What the points are keyed by: a severity, a field value, a band (`≥3y`), a status, a grade, `weight`, `missing`. */
  key: string;
  /** Points for one record/band/grade (for `weight`: the weight). */
  points: number;
  /** The indicator's cap in the period (records indicators). */
  cap?: number;
  from: string;
  to?: string;
  source: string;
}

/** Periods of an indicator: its values change on these dates (within the model's life). */
function periods(dates: string[], def: ModelDef): { from: string; to?: string }[] {
  const starts = sortDates(dates.filter((d) => d >= def.effective_from).concat(def.effective_from));
  return starts.map((from, i) => {
    const next = starts[i + 1];
    const to = next ? previousDay(next) : def.effective_to;
    return to === undefined ? { from } : { from, to };
  });
}

function indicatorDates(ind: IndicatorDef, def: ModelDef): string[] {
  const f = def.effective_from;
  switch (ind.basis) {
    case "records":
      return [
        ...changeDates(ind.points, f),
        ...changeDates(ind.cap, f),
        ...(ind.decay ? changeDates(ind.decay, f) : []),
      ];
    case "years_in_operation":
    case "status":
    case "other_grades":
      return changeDates(ind.points, f);
    case "public_score":
    case "market_rating":
      return [...changeDates(ind.weight, f), ...changeDates(ind.missing, f)];
  }
}

/** Every points row of a model: per indicator, per period in which its values hold, per key. */
export function pointsRows(def: ModelDef): PointsRow[] {
  const rows: PointsRow[] = [];
  for (const dim of def.dimensions)
    for (const ind of dim.indicators)
      for (const p of periods(indicatorDates(ind, def), def)) {
        const base = { dimension: dim.id, indicator: ind.id, type: ind.type, basis: ind.basis, ...p };
        switch (ind.basis) {
          case "records": {
            const e = entryAt(ind.points, p.from)!;
            const cap = valueAt(ind.cap, p.from);
            const keys =
              ind.points_by === "severity"
                ? ["minor", "general", "serious"].filter((k) => k in e.value)
                : Object.keys(e.value).sort();
            for (const key of keys) rows.push({ ...base, key, points: e.value[key]!, cap, source: e.source });
            break;
          }
          case "years_in_operation": {
            const e = entryAt(ind.points, p.from)!;
            for (const b of e.value)
              rows.push({ ...base, key: `≥${b.years}y`, points: b.points, source: e.source });
            break;
          }
          case "status":
          case "other_grades": {
            const e = entryAt(ind.points, p.from)!;
            for (const [key, points] of Object.entries(e.value))
              rows.push({ ...base, key, points: points as number, source: e.source });
            break;
          }
          case "public_score":
          case "market_rating": {
            const w = entryAt(ind.weight, p.from)!;
            const m = entryAt(ind.missing, p.from)!;
            rows.push({ ...base, key: "weight", points: w.value, source: w.source });
            rows.push({ ...base, key: "missing", points: m.value, source: m.source });
            break;
          }
        }
      }
  return rows;
}

function matchText(m: Match): string {
  const parts = [m.categories.join(", ")];
  if (m.departments) parts.push(`dept ${m.departments.join("/")}`);
  if (m.severities) parts.push(`severity ${m.severities.join("/")}`);
  for (const [k, vs] of Object.entries(m.fields ?? {})) parts.push(`${k} ∈ {${vs.join(", ")}}`);
  if (m.expires_field) parts.push(`until ${m.expires_field}`);
  return parts.join("; ");
}

function keyText(row: PointsRow, ind: IndicatorDef): string {
  if (ind.basis === "records")
    return ind.points_by === "severity"
      ? `${row.key} ${SEVERITY_ZH[row.key] ?? ""}`
      : `${ind.points_by.slice(6)} = ${row.key}`;
  if (ind.basis === "other_grades") return `${ind.sources.join("/")} → ${row.key}`;
  if (row.key === "weight")
    return ind.basis === "public_score" ? "public score × weight" : "rating (0–1000) × weight";
  if (row.key === "missing") return "none given";
  return row.key;
}

function pointsText(row: PointsRow): string {
  if (row.key === "weight") return `× ${row.points}`;
  if (row.type === "deduction") return row.points === 0 ? "0" : `−${row.points}`;
  return `+${row.points}`;
}

const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

/** The Markdown points table of a model (docs/models/<id>.md). Deterministic: same definition, same text. */
export function pointsTable(def: ModelDef): string {
  const out: string[] = [];
  const line = (s = "") => out.push(s);
  line(`# ${def.title_zh} — ${def.title_en}`);
  line();
  line(
    "<!-- Generated from the model definition by src/core/scoring/gen-docs.ts " +
      "(npx tsx src/core/scoring/gen-docs.ts); do not edit by hand. -->",
  );
  line();
  line(`| | |`);
  line(`|---|---|`);
  line(`| Model | \`${def.id}\` version ${def.version} (${def.kind}) |`);
  line(`| Owner | ${def.owner} |`);
  line(`| In force | ${def.effective_from} – ${def.effective_to ?? ""} |`);
  line(`| Points | ${def.max_score} |`);
  line(`| Definition | \`${def.file}\` |`);
  const sc = def.scope;
  const scope = [
    sc.types ? `types ${sc.types.join(", ")}` : "",
    sc.statuses ? `statuses ${sc.statuses.join(", ")}` : "",
    sc.sections ? `sections ${sc.sections.join(", ")}` : "",
    sc.divisions ? `divisions ${sc.divisions.join(", ")}` : "",
  ].filter(Boolean);
  line(`| Scope | ${scope.join("; ") || "all subjects"} |`);
  if (def.description) line(`| About | ${esc(def.description)} |`);
  line();

  line("## Grade bands");
  line();
  line(`Band set \`${def.bands}\` (policy/grades/bands.yaml). A score below D's cut-off is E.`);
  line();
  line(`| From | To | ${GRADES.map((g) => `${g} ${GRADE_LABELS[g].zh}`).join(" | ")} |`);
  line("|---|---|---|---|---|---|---|");
  for (const b of def.grade_bands) {
    const c = b.value;
    line(
      `| ${b.from} | ${b.to ?? ""} | ≥ ${c.A} | ${c.B}–${c.A - 1} | ${c.C}–${c.B - 1} | ${c.D}–${c.C - 1} | < ${c.D} |`,
    );
  }
  line();
  const dist = GRADES.map((g) => `${g} ${Math.round((def.intended_distribution[g] ?? 0) * 100)}%`).join(", ");
  line(`Intended distribution (share of subjects in scope): ${dist}.`);
  line();

  line("## Dimensions");
  line();
  line(
    "Each dimension starts at its base, adds its bonuses, takes its deductions (at most the deduction cap) and",
  );
  line("is clamped to 0..max; the score is the sum of the dimensions.");
  line();
  line("| Dimension | From | To | Max | Base | Deduction cap |");
  line("|---|---|---|---|---|---|");
  for (const dim of def.dimensions) {
    const dates = [...changeDates(dim.max, def.effective_from), ...changeDates(dim.base, def.effective_from)];
    if (dim.deduction_cap) dates.push(...changeDates(dim.deduction_cap, def.effective_from));
    for (const p of periods(dates, def)) {
      const cap = dim.deduction_cap ? String(valueAt(dim.deduction_cap, p.from)) : "";
      line(
        `| ${dim.zh} \`${dim.id}\` | ${p.from} | ${p.to ?? ""} | ${valueAt(dim.max, p.from)} | ${valueAt(dim.base, p.from)} | ${cap} |`,
      );
    }
  }
  line();

  line("## Indicators");
  line();
  line(
    "Points per record (records indicators, counted only while the record is within its publicity period and",
  );
  line("not revoked), per band or per input; the cap is the most an indicator gives or takes in total.");
  const rows = pointsRows(def);
  for (const dim of def.dimensions) {
    line();
    line(`### ${dim.zh} — ${dim.en} (\`${dim.id}\`)`);
    line();
    line("| Indicator | Applies to | Key | Points | Cap | From | To | Source |");
    line("|---|---|---|---|---|---|---|---|");
    for (const ind of dim.indicators) {
      const applies =
        ind.basis === "records"
          ? matchText(ind.match)
          : ind.basis === "market_rating" && ind.agencies
            ? `market rating (${ind.agencies.join(", ")})`
            : ind.basis.replace(/_/g, " ");
      for (const r of rows.filter((x) => x.indicator === ind.id))
        line(
          `| ${ind.zh} \`${ind.id}\` | ${esc(applies)} | ${esc(keyText(r, ind))} | ${pointsText(r)} | ${r.cap ?? ""} | ${r.from} | ${r.to ?? ""} | ${r.source} |`,
        );
    }
    const notes = dim.indicators.filter((i) => i.note || (i.basis === "records" && i.decay));
    if (notes.length > 0) line();
    for (const ind of notes) {
      const parts: string[] = [];
      if (ind.note) parts.push(esc(ind.note));
      if (ind.basis === "records" && ind.decay)
        for (const d of ind.decay)
          parts.push(
            `Age factors from ${d.from}${d.to ? ` to ${d.to}` : ""}: ${d.value
              .map((s) => `at least ${s.after} old × ${s.factor}`)
              .join(", ")} (points rounded per record; ${d.source}).`,
          );
      line(`- \`${ind.id}\`: ${parts.join(" ")}`);
    }
  }
  line();

  line("## Triggers");
  line();
  if (def.triggers.length === 0) line("None.");
  else {
    line(
      "The subject gets the grade whatever its score (the score is lowered to the top of that grade's band).",
    );
    line();
    line("| Trigger | Condition | Grade | From | To | Source |");
    line("|---|---|---|---|---|---|");
    for (const t of def.triggers)
      line(
        `| ${t.zh} \`${t.id}\` | ${esc(matchText(t.match))}${t.within ? ` within ${t.within}` : ""} | ${t.grade} | ${t.from} | ${t.to ?? ""} | ${t.source} |`,
      );
  }
  line();
  line("## Ceilings");
  line();
  if (def.ceilings.length === 0) line("None.");
  else {
    line("While the condition holds the grade is at most the one given (the strictest ceiling applies).");
    line();
    line("| Ceiling | Condition | Best grade | From | To | Source |");
    line("|---|---|---|---|---|---|");
    for (const c of def.ceilings) {
      const w = c.when;
      const cond =
        "records" in w
          ? `${matchText(w.records.match)}${w.records.within ? ` within ${w.records.within}` : ""}`
          : "statuses" in w
            ? `status ${w.statuses.join("/")}`
            : `${w.other_grades.sources.join("/")} grade ${w.other_grades.grades.join("/")}`;
      line(
        `| ${c.zh} \`${c.id}\` | ${esc(cond)} | ${c.max_grade} | ${c.from} | ${c.to ?? ""} | ${c.source} |`,
      );
    }
  }
  line();
  line(`## ${GRADE_LABELS.NR.zh} (NR)`);
  line();
  for (const v of def.not_rated.min_age)
    line(
      `- From ${v.from}${v.to ? ` to ${v.to}` : ""}: registered less than ${v.value} before the as-of date (or no registration date), no direct-to-grade trigger, and nothing the model scores (no record it counts, no public score, market rating or other grade it uses) → NR (${v.source}).`,
    );
  line();
  line("## Sources");
  line();
  line("| Key | Citation |");
  line("|---|---|");
  for (const [k, v] of Object.entries(def.sources)) line(`| ${k} | ${esc(v)} |`);
  for (const b of def.grade_bands) line(`| bands from ${b.from} | ${esc(b.source)} |`);
  line();
  return out.join("\n");
}
