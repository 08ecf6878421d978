/**
 * Agencies' rating scales and their mapping to the platform's 0–1000 (policy/grades/agency-scales/*.yaml),
 * and the sources of other systems' grades (policy/other-grades.yaml). Dated like every policy value: a
 * rating is normalised by the mapping in force on its rating date, and the rule used is kept beside it.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { checkDated, entryAt } from "../../core/scoring/dated.ts";
import { isoDate } from "../../core/scoring/schema.ts";
import { POLICY_DIR } from "../../policy/load.ts";
import { GRADES_DIR } from "../../policy/models.ts";

export const SCALES_DIR = path.join(GRADES_DIR, "agency-scales");
export const OTHER_GRADES_FILE = path.join(POLICY_DIR, "other-grades.yaml");

const dated = <T extends z.ZodType>(value: T) =>
  z.array(z.strictObject({ from: isoDate, to: isoDate.optional(), value, source: z.string().min(1) })).min(1);

const scaleId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/);
const common = {
  id: scaleId,
  title_zh: z.string().min(1),
  title_en: z.string().min(1),
  sources: z.record(z.string(), z.string().min(1)),
  note: z.string().optional(),
};
const score = z.number().int().min(0).max(1000);

const lettersScale = z.strictObject({
  ...common,
  kind: z.literal("letters"),
  /** The agency's grades, best first. */
  grades: z.array(z.string().min(1)).min(2),
  points: dated(z.record(z.string(), score)),
});
const numericScale = z.strictObject({
  ...common,
  kind: z.literal("numeric"),
  min: z.number(),
  max: z.number(),
  /** Anchors (a score on the agency's scale → 0–1000), interpolated linearly, ascending. */
  points: dated(z.array(z.strictObject({ at: z.number(), score })).min(2)),
});
export const ratingScaleSchema = z.discriminatedUnion("kind", [lettersScale, numericScale]);
export type RatingScale = z.infer<typeof ratingScaleSchema>;

function display(file: string): string {
  return path.relative(path.join(POLICY_DIR, ".."), file);
}

/** Reads and checks every scale under `dir`; throws on a malformed file (a policy bug, not user input). */
export function loadRatingScales(dir = SCALES_DIR): Map<string, RatingScale> {
  const out = new Map<string, RatingScale>();
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith(".yaml")) continue;
    const file = path.join(dir, name);
    const parsed = ratingScaleSchema.safeParse(YAML.parse(fs.readFileSync(file, "utf8")));
    if (!parsed.success) throw new Error(`${display(file)} is not valid:\n${z.prettifyError(parsed.error)}`);
    const s = parsed.data;
    if (out.has(s.id)) throw new Error(`${display(file)}: scale id "${s.id}" is used twice`);
    const errors: string[] = [];
    checkDated(s.points, `${name} points`, { from: s.points[0]!.from }, s.sources, errors);
    for (const v of s.points) {
      if (s.kind === "letters") {
        for (const g of s.grades)
          if (!(g in (v.value as Record<string, number>)))
            errors.push(`${name} from ${v.from}: grade "${g}" has no score`);
        for (const k of Object.keys(v.value))
          if (!s.grades.includes(k)) errors.push(`${name} from ${v.from}: "${k}" is not one of grades`);
      } else {
        const a = v.value as { at: number; score: number }[];
        for (let i = 1; i < a.length; i++)
          if (!(a[i]!.at > a[i - 1]!.at)) errors.push(`${name} from ${v.from}: anchors must ascend`);
        if (a[0]!.at > s.min || a[a.length - 1]!.at < s.max)
          errors.push(`${name} from ${v.from}: anchors must cover ${s.min}..${s.max}`);
      }
    }
    if (errors.length) throw new Error(`${display(file)} is not valid:\n  - ${errors.join("\n  - ")}`);
    out.set(s.id, s);
  }
  return out;
}

let scalesCache: Map<string, RatingScale> | undefined;
export function ratingScales(): Map<string, RatingScale> {
  scalesCache ??= loadRatingScales();
  return scalesCache;
}

/** A scale id as people write it: `AAA-C` → `aaa-c`. */
export function scaleKey(s: string): string {
  return s.trim().toLowerCase();
}

export type Normalised =
  | { ok: true; rating: string; score: number; rule: string }
  | { ok: false; why: "unknown" | "no_rule" | "out_of_range"; choices?: string };

/** A rating on the agency's scale → 0–1000, by the mapping in force on `date`. */
export function normaliseRating(scale: RatingScale, rating: string, date: string): Normalised {
  const e = entryAt<unknown>(scale.points, date);
  if (!e) return { ok: false, why: "no_rule" };
  const rule = `${scale.id}@${e.from}`;
  if (scale.kind === "letters") {
    const key = rating.normalize("NFKC").trim().toUpperCase().replace(/[−–—]/g, "-").replace(/\s+/g, "");
    const table = e.value as Record<string, number>;
    const s = table[key];
    if (s === undefined) return { ok: false, why: "unknown", choices: scale.grades.join(" ") };
    return { ok: true, rating: key, score: s, rule };
  }
  const x = Number(rating.normalize("NFKC").trim());
  if (!rating.trim() || !Number.isFinite(x) || x < scale.min || x > scale.max)
    return { ok: false, why: "out_of_range", choices: `${scale.min}–${scale.max}` };
  const a = e.value as { at: number; score: number }[];
  let i = 1;
  while (i < a.length - 1 && x > a[i]!.at) i++;
  const lo = a[i - 1]!;
  const hi = a[i]!;
  const score = Math.round(lo.score + ((x - lo.at) / (hi.at - lo.at)) * (hi.score - lo.score));
  return { ok: true, rating: String(x), score: Math.max(0, Math.min(1000, score)), rule };
}

// ——— Other systems' grades ———————————————————————————————————————————————————————————————

const otherGradesFile = z.strictObject({
  id: z.literal("other-grades"),
  sources: z
    .array(
      z.strictObject({
        id: scaleId,
        /** Mapping table id under policy/grades/ (kind grades or scale). */
        table: scaleId,
        /** Departments that issue it; absent = any. */
        departments: z.array(z.string().regex(/^[A-Z]+$/)).optional(),
        zh: z.string().min(1),
        en: z.string().min(1),
      }),
    )
    .min(1),
});
export type OtherGradeSource = z.infer<typeof otherGradesFile>["sources"][number];

let sourcesCache: Map<string, OtherGradeSource> | undefined;
export function otherGradeSources(file = OTHER_GRADES_FILE): Map<string, OtherGradeSource> {
  if (file === OTHER_GRADES_FILE && sourcesCache) return sourcesCache;
  const parsed = otherGradesFile.safeParse(YAML.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${display(file)} is not valid:\n${z.prettifyError(parsed.error)}`);
  const m = new Map(parsed.data.sources.map((s) => [s.id, s]));
  if (file === OTHER_GRADES_FILE) sourcesCache = m;
  return m;
}
