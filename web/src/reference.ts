/**
 * Reference data the pages share (regions, industries, the catalog, departments): fetched once per session
 * on first use and cached; names are resolved in the UI language.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import type { Department } from "../../src/contract/admin.ts";
import type { ModelInfo } from "../../src/contract/models.ts";
import type { Catalog, CatalogCategory } from "../../src/contract/records.ts";
import type { Industries, Region } from "../../src/contract/subjects.ts";
import { cached, subscribe } from "./api/cache.ts";
import { api } from "./api/client.ts";
import { useAuth } from "./auth.tsx";
import { useI18n } from "./i18n.ts";

/** 泉州市: the county-level divisions offered as region filters. */
export const CITY_CODE = "350500";

/**
 * A cached answer for the component. `fallback`: the answer when the load fails (kept for the session, not
 * reported). `enabled: false`: do not ask at all.
 */
export function useCached<T>(
  key: string,
  load: () => Promise<T>,
  opts: { fallback?: T; enabled?: boolean } = {},
): { data: T | undefined; error: unknown } {
  const { fallback, enabled = true } = opts;
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  useEffect(() => subscribe(key, () => setVersion((v) => v + 1)), [key]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version asks again after invalidate()
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const loader = fallback === undefined ? load : () => load().catch(() => fallback);
    cached(key, loader).then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [key, version, enabled]);
  return { data, error };
}

export function useRegions() {
  const { lang } = useI18n();
  const { data, error } = useCached("regions", () => api.get<Region[]>("/reference/regions"));
  return useMemo(() => {
    const byCode = new Map((data ?? []).map((r) => [r.code, r]));
    const counties = (data ?? []).filter((r) => r.parent === CITY_CODE && r.level === "county" && !r.nominal);
    const name = (code: string | null | undefined) => {
      if (!code) return "";
      const r = byCode.get(code);
      return r ? (lang === "en" ? r.en : r.name) : code;
    };
    /** The counties as select options. */
    const options = counties.map((r) => ({ value: r.code, label: lang === "en" ? r.en : r.name }));
    return { counties, name, options, error };
  }, [data, error, lang]);
}

export function useIndustries() {
  const { pick } = useI18n();
  const { data, error } = useCached("industries", () => api.get<Industries>("/reference/industries"));
  return useMemo(() => {
    const sections = data?.sections ?? [];
    const divisions = data?.divisions ?? [];
    const sectionMap = new Map(sections.map((s) => [s.code, s]));
    const divisionMap = new Map(divisions.map((d) => [d.code, d]));
    const sectionName = (code: string | null | undefined) => {
      if (!code) return "";
      const s = sectionMap.get(code);
      return s ? pick(s.name, s.en) : code;
    };
    const divisionName = (code: string | null | undefined) => {
      if (!code) return "";
      const d = divisionMap.get(code);
      return d ? pick(d.name, d.en) : code;
    };
    /** Sections and divisions as select options, labelled "code name". */
    const sectionOptions = sections.map((x) => ({
      value: x.code,
      label: `${x.code} ${sectionName(x.code)}`,
    }));
    const divisionOptions = divisions.map((x) => ({
      value: x.code,
      label: `${x.code} ${divisionName(x.code)}`,
    }));
    return { sections, divisions, sectionName, divisionName, sectionOptions, divisionOptions, error };
  }, [data, error, pick]);
}

export function useCatalog() {
  const { pick } = useI18n();
  const { data, error } = useCached("catalog", () => api.get<Catalog>("/catalog"));
  return useMemo(() => {
    const categories = data?.categories ?? [];
    const byCode = new Map(categories.map((c) => [c.code, c]));
    const categoryName = (code: string) => {
      const c = byCode.get(code);
      return c ? pick(c.zh, c.en) : code;
    };
    const columnLabel = (category: CatalogCategory | undefined, key: string) => {
      const col = category?.columns.find((c) => c.key === key);
      return col ? pick(col.zh, col.en) : key;
    };
    /** A field key's name from any category that has it (problems name fields, not categories). */
    const fieldLabel = (key: string | undefined) => {
      if (!key) return "";
      for (const c of categories) {
        const col = c.columns.find((x) => x.key === key);
        if (col) return pick(col.zh, col.en);
      }
      return key;
    };
    return {
      catalog: data,
      categories,
      category: (code: string) => byCode.get(code),
      categoryName,
      columnLabel,
      fieldLabel,
      error,
    };
  }, [data, error, pick]);
}

const NO_DEPARTMENTS: Department[] = [];

export interface DepartmentName {
  code: string;
  zh: string;
  en: string;
}

/**
 * Departments from the catalog, overlaid with the platform's department table when this user may read it
 * (`departments.read`; failing is not an error here: the catalog's list is enough to name them).
 */
export function useDepartments() {
  const { pick } = useI18n();
  const { can } = useAuth();
  const { catalog } = useCatalog();
  // Asked only of users who may read it: a refused request is written to the audit log as "denied".
  const { data } = useCached("departments", () => api.get<Department[]>("/departments"), {
    fallback: NO_DEPARTMENTS,
    enabled: can("departments.read"),
  });
  const list = useMemo(() => {
    const map = new Map<string, DepartmentName>();
    for (const d of catalog?.departments ?? []) map.set(d.code, { code: d.code, zh: d.zh, en: d.en });
    for (const d of Array.isArray(data) ? data : [])
      map.set(d.code, { code: d.code, zh: d.nameZh, en: d.nameEn });
    return [...map.values()];
  }, [catalog, data]);
  const name = useCallback(
    (code: string | null | undefined) => {
      if (!code) return "";
      const d = list.find((x) => x.code === code);
      return d ? pick(d.zh, d.en) : code;
    },
    [list, pick],
  );
  return { list, name };
}

const NO_MODELS: ModelInfo[] = [];

/**
 * The evaluation models in force (`GET /models`, permission `catalog.read`): the public model first, then
 * the industry models. Empty when the user may not read them (pages fall back to what they already have).
 */
export function useModels() {
  const { pick } = useI18n();
  const { can } = useAuth();
  const { data } = useCached("models", () => api.get<ModelInfo[]>("/models"), {
    fallback: NO_MODELS,
    enabled: can("catalog.read"),
  });
  return useMemo(() => {
    const list = [...(data ?? NO_MODELS)].sort(
      (a, b) => Number(b.kind === "public") - Number(a.kind === "public") || a.id.localeCompare(b.id),
    );
    const byId = new Map(list.map((m) => [m.id, m]));
    const title = (id: string) => {
      const m = byId.get(id);
      return m ? pick(m.title.zh, m.title.en) : id;
    };
    return { list, loaded: data !== undefined, model: (id: string) => byId.get(id), title };
  }, [data, pick]);
}
