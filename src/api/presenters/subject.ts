import type { Subject } from "../../contract/subjects.ts";
import type { Subject as SubjectRow } from "../../store/schema.ts";

/**
 * A subject as callers see it. It takes the row as services/subjects/queries.ts `presentSubject` gives it: a
 * natural person's identity number already masked (`masked: true`).
 */
export function presentSubject(s: SubjectRow & { masked: boolean }): Subject {
  return {
    id: Number(s.id),
    code: s.code,
    codeStatus: s.code_status,
    name: s.name,
    type: s.type as Subject["type"],
    industrySection: s.industry_section,
    industryDivision: s.industry_division,
    region: s.region,
    registeredOn: s.registered_on,
    status: s.status,
    registeredCapital: s.registered_capital === null ? null : Number(s.registered_capital),
    createdAt: s.created_at,
    updatedAt: s.updated_at,
    masked: s.masked,
  };
}
