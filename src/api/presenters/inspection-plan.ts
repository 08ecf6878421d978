import type { InspectionPlan, PlanStatus, PublicPlanSummary } from "../../contract/inspection-plans.ts";
import { commitmentOf, settingsOf } from "../../services/inspections/plans.ts";
import type { InspectionPlan as PlanRow } from "../../store/schema-inspections.ts";

/** A stored plan as callers see it: its settings and seed commitment parsed, not who froze or closed it. */
export function presentPlan(p: PlanRow): InspectionPlan {
  return {
    id: p.id,
    department: p.department,
    title: p.title,
    status: p.status as PlanStatus,
    settings: settingsOf(p),
    createdBy: p.created_by,
    createdAt: p.created_at,
    frozenAt: p.frozen_at,
    poolDigest: p.pool_digest,
    poolSize: p.pool_size === null ? null : Number(p.pool_size),
    seed: p.seed,
    drawnAt: p.drawn_at,
    algorithm: p.algorithm,
    seedCommitment: commitmentOf(p),
    committedAt: p.committed_at,
  };
}

/** A published plan in the public list (一公开): what identifies it and fixes its draw, nothing internal. */
export function presentPublicPlanSummary(p: PlanRow): PublicPlanSummary {
  const { id, department, title, status, frozenAt, poolDigest, seedCommitment, drawnAt } = presentPlan(p);
  return { id, department, title, status, frozenAt, poolDigest, seedCommitment, drawnAt };
}
