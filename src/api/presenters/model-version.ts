import type { Selectable } from "kysely";
import type { ModelVersion } from "../../contract/models.ts";
import type { ModelVersionTable } from "../../store/schema-models-ratings.ts";

/** A published model version, without its YAML text (GET /models/:id/source gives the current one). */
export function presentModelVersion(row: Omit<Selectable<ModelVersionTable>, "yaml">): ModelVersion {
  return {
    id: Number(row.id),
    modelId: row.model_id,
    version: row.version,
    owner: row.owner,
    digest: row.digest,
    previousVersion: row.previous_version,
    previousDigest: row.previous_digest,
    publishedBy: row.published_by,
    publishedAt: row.published_at,
    note: row.note,
  };
}
