/**
 * The writes of random inspections (双随机), each with its audit entry in the same transaction: routes and the
 * command line call these, never the functions they wrap. Freezing, drawing and entering a result read much
 * before they write, so they keep their own transaction (short, writes only) and record the entry in it.
 */

import type { ResultInput } from "../../contract/inspection-plans.ts";
import type { Catalog } from "../../core/catalog/types.ts";
import type { Store } from "../../store/db.ts";
import { audited, type Caller } from "../command.ts";
import { addInspector, declareConflict, updateInspector, withdrawConflict } from "./inspectors.ts";
import {
  auditedCommitment,
  closePlan,
  commitmentOf,
  commitPlan,
  createPlan,
  drawPlan,
  freezePlan,
  type PlanInput,
} from "./plans.ts";
import { enterResult } from "./tasks.ts";

type InspectorInput = Parameters<typeof addInspector>[2];
type InspectorPatch = Parameters<typeof updateInspector>[3];

export const registerInspector = (store: Store, caller: Caller, input: InspectorInput) =>
  audited(
    store,
    caller,
    "inspector.add",
    (tx) => addInspector(tx, caller.actor, input),
    (r) => r.id,
  );

export const changeInspector = (store: Store, caller: Caller, id: string, patch: InspectorPatch) =>
  audited(
    store,
    caller,
    "inspector.update",
    (tx) => updateInspector(tx, caller.actor, id, patch),
    (r) => r.id,
  );

export const declareInspectorConflict = (
  store: Store,
  caller: Caller,
  inspectorId: string,
  input: { subjectCode: string; reason: string },
) =>
  audited(
    store,
    caller,
    "inspector.conflict",
    (tx) => declareConflict(tx, caller.actor, inspectorId, input),
    () => `${inspectorId} ${input.subjectCode}`,
  );

export const withdrawInspectorConflict = (store: Store, caller: Caller, conflictId: number) =>
  audited(
    store,
    caller,
    "inspector.conflict_withdraw",
    (tx) => withdrawConflict(tx, caller.actor, conflictId),
    () => String(conflictId),
  );

export const createInspectionPlan = (
  store: Store,
  caller: Caller,
  input: PlanInput,
  modelIds: readonly string[],
) =>
  audited(
    store,
    caller,
    "plan.create",
    (tx) => createPlan(tx, caller.actor, input, modelIds),
    (p) => p.id,
  );

export const commitInspectionPlanSeed = (store: Store, caller: Caller, id: string, commitment: unknown) =>
  audited(
    store,
    caller,
    "plan.commit",
    (tx) => commitPlan(tx, caller.actor, id, commitment),
    (p) => `${p.id} ${auditedCommitment(commitmentOf(p))}`,
  );

export const closeInspectionPlan = (store: Store, caller: Caller, id: string) =>
  audited(
    store,
    caller,
    "plan.close",
    (tx) => closePlan(tx, caller.actor, id),
    (p) => p.id,
  );

/** Freezes the pool and publishes its digest and seed commitment (audited inside freezePlan's transaction). */
export const freezeInspectionPlan = freezePlan;

/** Draws with the committed seed (audited inside drawPlan's transaction). */
export const drawInspectionPlan = drawPlan;

/** Enters a task's result, which becomes a credit record (audited inside enterResult's transaction). */
export const enterInspectionResult = (
  store: Store,
  catalog: Catalog,
  caller: Caller,
  taskId: number,
  input: ResultInput,
  opts: { rejectsDir?: string } = {},
) => enterResult(store, catalog, caller, taskId, input, opts);
