/**
 * The writes of the credit-agency register, each with its audit entry in the same transaction: the API and the
 * command line call these. (Rating and grade imports keep their own transactions and audit after them.)
 */
import { notFound } from "../../core/problem.ts";
import type { Store } from "../../store/db.ts";
import type { CreditAgency } from "../../store/schema-models-ratings.ts";
import { audited, type Caller } from "../command.ts";
import { type AgencyInput, bindAgencyUser, getAgency, registerAgency, updateAgency } from "./agencies.ts";

export const registerCreditAgency = (
  store: Store,
  caller: Caller,
  input: AgencyInput,
): Promise<CreditAgency> =>
  audited(
    store,
    caller,
    "agency.create",
    (tx) => registerAgency(tx, input, caller.actor.name),
    (a) => `${a.code} scale=${a.scale}`,
  );

export const changeCreditAgency = (
  store: Store,
  caller: Caller,
  code: string,
  patch: Partial<Omit<AgencyInput, "code">>,
): Promise<CreditAgency> =>
  audited(
    store,
    caller,
    "agency.update",
    async (tx) => {
      const a = await updateAgency(tx, code, patch);
      if (!a) throw notFound({ zh: `机构 ${code}`, en: `Agency ${code}` });
      return a;
    },
    (a) => `${a.code} ${Object.keys(patch).join(",")}`,
  );

export const bindCreditAgencyUser = (store: Store, caller: Caller, code: string, username: string) =>
  audited(
    store,
    caller,
    "agency.bind",
    async (tx) => {
      const a = await getAgency(tx, code);
      if (!a) throw notFound({ zh: `机构 ${code}`, en: `Agency ${code}` });
      return bindAgencyUser(tx, a.code, username, caller.actor.name);
    },
    (m) => `${m.username} → ${m.agency}`,
  );
