/**
 * Reference data of the rating screens, fetched once per session: the rating scales, the other grading
 * systems, and the register of agencies (reloaded after an edit with `invalidate("agencies")`).
 */
import { useCallback, useMemo } from "react";
import type { Agency, OtherGradeSource, RatingScale } from "../../../src/contract/ratings.ts";
import { api } from "../api/client.ts";
import { useAuth } from "../auth.tsx";
import { useI18n } from "../i18n.ts";
import { useCached } from "../reference.ts";

const NONE: never[] = [];

function useCachedList<T>(
  key: string,
  path: string,
  enabled: boolean,
): { list: T[]; error: unknown; loaded: boolean } {
  const { data, error } = useCached(key, () => api.get<T[]>(path), { enabled });
  return useMemo(
    () => ({ list: Array.isArray(data) ? data : NONE, error, loaded: data !== undefined }),
    [data, error],
  );
}

/** The rating scales agencies rate on (GET /agency-scales). */
export function useRatingScales() {
  const { pick } = useI18n();
  const { can } = useAuth();
  const { list, error } = useCachedList<RatingScale>("agency-scales", "/agency-scales", can("catalog.read"));
  const name = useCallback(
    (id: string) => {
      const s = list.find((x) => x.id === id);
      return s ? pick(s.title.zh, s.title.en) : id;
    },
    [list, pick],
  );
  return { list, error, name };
}

/** The other grading systems (GET /other-grades/sources): tax, SAMR risk class … */
export function useGradeSources() {
  const { pick } = useI18n();
  const { can } = useAuth();
  const { list, error } = useCachedList<OtherGradeSource>(
    "other-grade-sources",
    "/other-grades/sources",
    can("catalog.read"),
  );
  const name = useCallback(
    (id: string) => {
      const s = list.find((x) => x.id === id);
      return s ? pick(s.zh, s.en) : id;
    },
    [list, pick],
  );
  return { list, error, name };
}

/** The register of credit agencies (GET /agencies; an agency user gets its own only). */
export function useAgencies() {
  const { can } = useAuth();
  const { list, error, loaded } = useCachedList<Agency>("agencies", "/agencies", can("agencies.read"));
  return useMemo(() => {
    const name = (code: string) => list.find((a) => a.code === code)?.name ?? code;
    return { list, error, loaded, name };
  }, [list, error, loaded]);
}
