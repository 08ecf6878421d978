import { maskIdNumber } from "../../core/idcard/idcard.ts";
import type { Store } from "../../store/db.ts";
import { containsText } from "../../store/like.ts";
import { paged } from "../../store/paged.ts";
import type { Subject } from "../../store/schema.ts";

export interface SubjectQuery {
  q?: string;
  region?: string;
  industry?: string;
  type?: string;
  status?: string;
  limit: number;
  offset: number;
}

/** What leaves the server about a subject: a natural person's identity number is masked by default. */
export function presentSubject(s: Subject, opts: { unmask?: boolean } = {}): Subject & { masked: boolean } {
  if (s.type === "natural_person" && !opts.unmask) return { ...s, code: maskIdNumber(s.code), masked: true };
  return { ...s, masked: false };
}

export async function searchSubjects(store: Store, query: SubjectQuery) {
  let q = store.db.selectFrom("subjects");
  if (query.q) {
    const term = query.q.trim();
    const upper = term.toUpperCase();
    // A code search is exact (indexed); a name search is a prefix or substring match.
    q = q.where((eb) => eb.or([eb("code", "=", upper), containsText("name", term)]));
  }
  if (query.region) q = q.where("region", "=", query.region);
  if (query.industry)
    q =
      query.industry.length === 1
        ? q.where("industry_section", "=", query.industry)
        : q.where("industry_division", "=", query.industry);
  if (query.type) q = q.where("type", "=", query.type);
  if (query.status) q = q.where("status", "=", query.status);
  const { items, total } = await paged(q, query, (q) => q.selectAll().orderBy("id"));
  return { items: items.map((s) => presentSubject(s)), total };
}

export async function getSubject(store: Store, code: string) {
  return store.db.selectFrom("subjects").selectAll().where("code", "=", code).executeTakeFirst();
}
