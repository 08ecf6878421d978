/**
 * 信用服务机构 Credit agencies: registered by the city credit office (code, name, qualification, rating
 * scale, status), and the agency users who act for each (agency_members: a user of role `agency` is bound to
 * one agency; the users table stays as it is — `department` keeps meaning a government department).
 */
import { AGENCY_STATUSES } from "../../contract/ratings.ts";
import { InputError, problem } from "../../core/problem.ts";
import type { Store } from "../../store/db.ts";
import type { CreditAgency } from "../../store/schema-models-ratings.ts";
import { ratingScales, scaleKey } from "./scales.ts";

export { AGENCY_STATUSES };
export type AgencyStatus = (typeof AGENCY_STATUSES)[number];
export const AGENCY_CODE = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

export interface AgencyInput {
  code: string;
  name: string;
  qualification: string;
  scale: string;
  status?: AgencyStatus;
}

function unknownScale(scale: string): InputError {
  const choices = [...ratingScales().values()].map((s) => `${s.id}（${s.title_zh}）`).join("、");
  return new InputError([
    problem(
      "agency.scale_unknown",
      {
        zh: `评级标度“${scale}”不存在`,
        en: `There is no rating scale "${scale}"`,
        fixZh: `选择已登记的标度：${choices}；新的标度由市信用办在 policy/grades/agency-scales/ 中增加`,
        fixEn: `Choose a registered scale: ${[...ratingScales().keys()].join(", ")}; the city credit office adds new ones under policy/grades/agency-scales/`,
      },
      { field: "scale", value: scale },
    ),
  ]);
}

export async function registerAgency(store: Store, input: AgencyInput, by: string): Promise<CreditAgency> {
  const code = input.code.trim().toUpperCase();
  if (!AGENCY_CODE.test(code))
    throw new InputError([
      problem(
        "agency.code",
        {
          zh: `机构代码“${input.code}”格式不对`,
          en: `Agency code "${input.code}" is not valid`,
          fixZh: "2–32 位大写字母、数字、- 或 _，如 XYPJ01",
          fixEn: "2–32 capital letters, digits, - or _, e.g. XYPJ01",
        },
        { field: "code", value: input.code },
      ),
    ]);
  const scale = scaleKey(input.scale);
  if (!ratingScales().has(scale)) throw unknownScale(input.scale);
  const exists = await store.db
    .selectFrom("credit_agencies")
    .select("code")
    .where("code", "=", code)
    .executeTakeFirst();
  if (exists)
    throw new InputError(
      [
        problem(
          "agency.exists",
          {
            zh: `机构代码 ${code} 已登记`,
            en: `Agency code ${code} is already registered`,
            fixZh: "换一个代码，或修改已登记的机构",
            fixEn: "Choose another code, or update the registered agency",
          },
          { field: "code", value: code },
        ),
      ],
      409,
    );
  const now = new Date().toISOString();
  const row = {
    code,
    name: input.name.trim(),
    qualification: input.qualification.trim(),
    scale,
    status: input.status ?? "active",
    created_by: by,
    created_at: now,
    updated_at: now,
  };
  await store.db.insertInto("credit_agencies").values(row).execute();
  return row;
}

export async function updateAgency(
  store: Store,
  code: string,
  patch: Partial<Omit<AgencyInput, "code">>,
): Promise<CreditAgency | undefined> {
  const set: Record<string, string> = { updated_at: new Date().toISOString() };
  if (patch.name) set.name = patch.name.trim();
  if (patch.qualification) set.qualification = patch.qualification.trim();
  if (patch.status) set.status = patch.status;
  if (patch.scale) {
    const scale = scaleKey(patch.scale);
    if (!ratingScales().has(scale)) throw unknownScale(patch.scale);
    set.scale = scale;
  }
  const r = await store.db
    .updateTable("credit_agencies")
    .set(set)
    .where("code", "=", code)
    .executeTakeFirst();
  if (!Number(r.numUpdatedRows)) return undefined;
  return getAgency(store, code);
}

export function getAgency(store: Store, code: string): Promise<CreditAgency | undefined> {
  return store.db.selectFrom("credit_agencies").selectAll().where("code", "=", code).executeTakeFirst();
}

export function listAgencies(store: Store, only?: string): Promise<CreditAgency[]> {
  let q = store.db.selectFrom("credit_agencies").selectAll();
  if (only !== undefined) q = q.where("code", "=", only);
  return q.orderBy("code").execute();
}

/** Binds a user of role `agency` to an agency (re-binding moves it). */
export async function bindAgencyUser(
  store: Store,
  agencyCode: string,
  username: string,
  by: string,
): Promise<{ userId: number; username: string; agency: string }> {
  const user = await store.db
    .selectFrom("users")
    .select(["id", "username", "role"])
    .where("username", "=", username)
    .executeTakeFirst();
  if (user?.role !== "agency")
    throw new InputError([
      problem(
        "agency.user_role",
        {
          zh: `用户 ${username} 不存在或不是“信用服务机构”角色`,
          en: `User ${username} does not exist or does not have the role agency`,
          fixZh: "先以 agency 角色建立用户，再绑定机构",
          fixEn: "Create the user with the role agency first, then bind it",
        },
        { field: "username", value: username },
      ),
    ]);
  const now = new Date().toISOString();
  await store.db
    .insertInto("agency_members")
    .values({ user_id: Number(user.id), agency_code: agencyCode, bound_by: by, bound_at: now })
    .onConflict((oc) =>
      oc.column("user_id").doUpdateSet({ agency_code: agencyCode, bound_by: by, bound_at: now }),
    )
    .execute();
  return { userId: Number(user.id), username: user.username, agency: agencyCode };
}

/** The agency a user acts for, if bound. */
export async function agencyOfUser(store: Store, userId: number | null): Promise<string | undefined> {
  if (userId === null) return undefined;
  const r = await store.db
    .selectFrom("agency_members")
    .select("agency_code")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return r?.agency_code;
}

export interface AgencyMember {
  username: string;
  displayName: string;
  boundBy: string;
  boundAt: string;
}

/** The users bound to each agency, by agency code. */
export async function agencyMembers(store: Store): Promise<Map<string, AgencyMember[]>> {
  const rows = await store.db
    .selectFrom("agency_members")
    .innerJoin("users", "users.id", "agency_members.user_id")
    .select([
      "agency_members.agency_code as agency",
      "users.username as username",
      "users.display_name as displayName",
      "agency_members.bound_by as boundBy",
      "agency_members.bound_at as boundAt",
    ])
    .orderBy("users.username")
    .execute();
  const out = new Map<string, AgencyMember[]>();
  for (const { agency, ...m } of rows) out.set(agency, [...(out.get(agency) ?? []), m]);
  return out;
}
