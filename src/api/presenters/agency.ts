import type { Agency } from "../../contract/ratings.ts";
import type { AgencyMember } from "../../services/ratings/agencies.ts";
import type { CreditAgency } from "../../store/schema-models-ratings.ts";

/** A registered credit agency; its members only where the caller may see them (the city credit office). */
export function presentAgency(row: CreditAgency, members?: AgencyMember[]): Agency {
  return {
    code: row.code,
    name: row.name,
    qualification: row.qualification,
    scale: row.scale,
    status: row.status as Agency["status"],
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(members ? { members } : {}),
  };
}
