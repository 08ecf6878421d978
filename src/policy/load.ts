import fs from "node:fs";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { z } from "zod";
import type { Catalog } from "../core/catalog/types.ts";

/** The project's policy folder, found relative to this module so a clone anywhere works. */
export const POLICY_DIR = fileURLToPath(new URL("../../policy/", import.meta.url));

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const duration = z.string().regex(/^P(\d+Y)?(\d+M)?(\d+D)?$/);
const period = z.object({ min: duration, max: duration });
const severity = z.enum(["minor", "general", "serious"]);

const fieldDef = z.object({
  key: z.string().regex(/^[a-z_]+$/),
  zh: z.string(),
  en: z.string(),
  type: z.enum(["text", "date", "number", "integer", "enum", "code"]),
  aliases: z.array(z.string()).optional(),
  max: z.number().optional(),
  min: z.number().optional(),
  values: z.array(z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  future: z.boolean().optional(),
});

const fieldsFile = z.object({ envelope: z.array(fieldDef), fields: z.array(fieldDef) });

const catalogFile = z.object({
  source: z.string(),
  categories: z.array(
    z.object({
      code: z.string().regex(/^[A-Z_]+$/),
      zh: z.string(),
      en: z.string(),
      kind: z.enum(["negative", "positive", "neutral"]),
      severity,
      departments: z.array(z.string()),
      required: z.array(z.string()),
      optional: z.array(z.string()),
      publicity: z.union([z.literal("regime"), z.literal("none"), period]),
      effective_from: isoDate,
      effective_to: isoDate.optional(),
    }),
  ),
});

const publicityFile = z.object({
  regimes: z.array(
    z.object({
      id: z.string(),
      effective_from: isoDate,
      effective_to: isoDate.optional(),
      source: z.string(),
      periods: z.object({ minor: period, general: period, serious: period }),
    }),
  ),
});

const departmentsFile = z.object({
  city_office: z.string().regex(/^[A-Z]+$/),
  departments: z.array(z.object({ code: z.string().regex(/^[A-Z]+$/), zh: z.string(), en: z.string() })),
});

/** Reads `dir/file` (a path under policy/) and checks its shape; a bad file names itself. */
export function readYaml<T>(file: string, schema: z.ZodType<T>, dir: string): T {
  const text = fs.readFileSync(`${dir}${file}`, "utf8");
  const parsed = schema.safeParse(YAML.parse(text));
  if (!parsed.success) throw new Error(`policy/${file} is not valid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const modelBoundsFile = z.object({
  id: z.literal("model-bounds"),
  effective_from: isoDate,
  source: z.string().min(1),
  market_rating_max_weight: z.number().min(0).max(1),
});

/** Loads and cross-checks the catalog; a broken policy file stops the platform at start, not mid-import. */
export function loadCatalog(dir = POLICY_DIR): Catalog {
  const fields = readYaml("catalog/fields.yaml", fieldsFile, dir);
  const catalog = readYaml("catalog/catalog.yaml", catalogFile, dir);
  const publicity = readYaml("publicity.yaml", publicityFile, dir);
  const depts = readYaml("departments.yaml", departmentsFile, dir);
  const bounds = readYaml("model-bounds.yaml", modelBoundsFile, dir);
  if (!depts.departments.some((d) => d.code === depts.city_office))
    throw new Error(
      `policy/departments.yaml: city_office ${depts.city_office} is not one of its departments`,
    );
  const result: Catalog = {
    source: catalog.source,
    envelope: fields.envelope,
    fields: fields.fields,
    categories: catalog.categories,
    regimes: publicity.regimes,
    departments: depts.departments,
    cityOffice: depts.city_office,
    modelBounds: { marketRatingMaxWeight: bounds.market_rating_max_weight },
  };
  const known = new Set(fields.fields.map((f) => f.key));
  const deptCodes = new Set(depts.departments.map((d) => d.code));
  for (const c of result.categories) {
    for (const k of [...c.required, ...c.optional])
      if (!known.has(k)) throw new Error(`policy/catalog/catalog.yaml: ${c.code} uses unknown field ${k}`);
    for (const d of c.departments)
      if (!deptCodes.has(d))
        throw new Error(`policy/catalog/catalog.yaml: ${c.code} names unknown department ${d}`);
  }
  return result;
}

let cached: Catalog | undefined;
export function catalog(): Catalog {
  cached ??= loadCatalog();
  return cached;
}

const securityFile = z.object({
  source: z.string(),
  session: z.object({ idle_minutes: z.number().positive(), absolute_hours: z.number().positive() }),
  login: z.object({
    max_failures: z.number().int().positive(),
    lock_minutes: z.number().positive(),
    account_max_failures: z.number().int().positive(),
    address_max_failures: z.number().int().positive(),
    concurrent_checks: z.number().int().positive(),
    queued_checks: z.number().int().nonnegative(),
  }),
  password: z.object({
    min_length: z.number().int().positive(),
    min_classes: z.number().int().min(1).max(4),
    scrypt: z.object({
      log2n: z.number().int().min(10).max(20),
      r: z.number().int(),
      p: z.number().int(),
      keylen: z.number().int(),
    }),
  }),
  tokens: z.object({ max_days: z.number().int().positive() }),
  audit: z.object({ retention_days: z.number().int().positive() }),
});
export type SecurityPolicy = z.infer<typeof securityFile>;

let securityCached: SecurityPolicy | undefined;
export function security(dir = POLICY_DIR): SecurityPolicy {
  securityCached ??= readYaml("security.yaml", securityFile, dir);
  return securityCached;
}

const whatIfFile = z.object({
  source: z.string().min(1),
  psi_bands: z
    .object({ moderate: z.number().positive(), major: z.number().positive() })
    .refine((b) => b.moderate < b.major, "moderate must be below major"),
});

let whatIfCached: z.infer<typeof whatIfFile> | undefined;
/** policy/what-if.yaml: how a what-if's PSI is read (stable / moderate / major). */
export function whatIf(dir = POLICY_DIR): z.infer<typeof whatIfFile> {
  whatIfCached ??= readYaml("what-if.yaml", whatIfFile, dir);
  return whatIfCached;
}
