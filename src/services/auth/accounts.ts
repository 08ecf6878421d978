import { passwordProblems } from "../../core/auth/password.ts";
import type { Actor, Role } from "../../core/auth/roles.ts";
import { InputError, problem } from "../../core/problem.ts";
import { catalog, security } from "../../policy/load.ts";
import type { Store } from "../../store/db.ts";
import type { User } from "../../store/schema.ts";
import { Gate } from "./gate.ts";
import { hashPassword, oneTimePassword, randomSecret, sha256, verifyPassword } from "./password.ts";

export const SESSION_COOKIE = "credit_session";

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
  subjectCode: string | null;
  status: string;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
}

export function userView(u: User): UserView {
  return {
    id: Number(u.id),
    username: u.username,
    displayName: u.display_name,
    role: u.role as Role,
    department: u.department,
    subjectCode: u.subject_code,
    status: u.status,
    mustChangePassword: u.must_change_password === 1,
    lastLoginAt: u.last_login_at,
  };
}

export function actorOf(u: User): Actor {
  return {
    kind: "user",
    id: Number(u.id),
    name: u.username,
    role: u.role as Role,
    department: u.department,
    subjectCode: u.subject_code,
    ...(u.must_change_password === 1 ? { mustChangePassword: true } : {}),
  };
}

const badLogin = () =>
  new InputError(
    [
      problem("auth.invalid", {
        zh: "用户名或口令不正确，或因连续失败暂时不能登录",
        en: "Wrong user name or password, or sign-in is paused after repeated failures",
        fixZh: "核对后重试；连续失败多次后须等待一段时间，或请管理员重置口令",
        fixEn:
          "Check and try again; after repeated failures wait a while, or ask an administrator to reset the password",
      }),
    ],
    401,
  );

const addressPaused = (minutes: number) =>
  new InputError(
    [
      problem("auth.address_limited", {
        zh: `本地址登录失败次数过多，请 ${minutes} 分钟后再试`,
        en: `Too many failed sign-ins from your address; try again in ${minutes} minutes`,
        fixZh: "稍后再试；如为单位出口地址，请联系运维人员",
        fixEn: "Try again later; if many people share this address, contact the operators",
      }),
    ],
    429,
  );

const signInBusy = () =>
  new InputError(
    [
      problem("auth.busy", {
        zh: "登录请求过多，服务器繁忙",
        en: "Too many sign-ins at once; the server is busy",
        fixZh: "请几秒后重试",
        fixEn: "Try again in a few seconds",
      }),
    ],
    503,
  );

let passwordGate: Gate | undefined;
/** Bounds the scrypt work sign-ins can queue (policy/security.yaml login.concurrent_checks, queued_checks). */
function gate(): Gate {
  const p = security().login;
  passwordGate ??= new Gate(p.concurrent_checks, p.queued_checks);
  return passwordGate;
}

/**
 * Signs in (登录失败处理). The attempt is written before the password is checked, so parallel guesses each count.
 * Counted in the lock window since the account's last success (or reset): failures on this account from this
 * address, on this account from anywhere, and from this address on any account. An unknown name is counted and
 * answered exactly like a real one, and a closed account answers like a wrong password: neither tells a
 * stranger which names exist, and a stranger's failures close the account only to the stranger's address.
 */
export async function login(
  store: Store,
  username: string,
  password: string,
  ip: string | null,
): Promise<{ user: User; cookie: string }> {
  const policy = security();
  const limits = policy.login;
  const now = new Date();
  const address = ip ?? "-";
  const since = new Date(now.getTime() - limits.lock_minutes * 60_000).toISOString();
  const attempt = await store.db
    .insertInto("login_attempts")
    .values({ at: now.toISOString(), username, ip: address, outcome: "pending" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const settle = (outcome: string) =>
    store.db.updateTable("login_attempts").set({ outcome }).where("id", "=", attempt.id).execute();

  const fromAddress = await countFailures(store, since, { ip: address }, [...CHECKED, "refused"]);
  if (fromAddress > limits.address_max_failures) {
    await settle("refused");
    throw addressPaused(limits.lock_minutes);
  }
  const lastOk = await store.db
    .selectFrom("login_attempts")
    .select((e) => e.fn.max("at").as("at"))
    .where("username", "=", username)
    .where("outcome", "in", ["ok", "reset"])
    .executeTakeFirst();
  const from = lastOk?.at && lastOk.at > since ? lastOk.at : since;
  const onAccount = await countFailures(store, from, { username });
  const onAccountHere = await countFailures(store, from, { username, ip: address });
  if (onAccount > limits.account_max_failures || onAccountHere > limits.max_failures) {
    await settle("refused");
    throw badLogin();
  }

  const user = await store.db
    .selectFrom("users")
    .selectAll()
    .where("username", "=", username)
    .executeTakeFirst();
  const checked = await gate().run(() =>
    // Same work whether or not the name exists: no user enumeration by timing.
    verifyPassword(password, user?.status === "active" ? user.password_hash : DUMMY_HASH),
  );
  if (!checked) {
    await settle("refused");
    throw signInBusy();
  }
  if (!checked.value || user?.status !== "active") {
    await settle("failed");
    throw badLogin();
  }
  await settle("ok");
  await store.db
    .updateTable("users")
    .set({ failed_logins: 0, locked_until: null, last_login_at: now.toISOString() })
    .where("id", "=", user.id)
    .execute();
  const cookie = randomSecret();
  await store.db
    .insertInto("sessions")
    .values({
      id_hash: sha256(cookie),
      user_id: Number(user.id),
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + policy.session.absolute_hours * 3_600_000).toISOString(),
      ended_at: null,
      ip,
    })
    .execute();
  return { user, cookie };
}

/**
 * Attempts whose password was (or is being) checked. Refused ones count only against the address that sent
 * them: otherwise one stranger hammering a closed door would close the account to everyone.
 */
const CHECKED = ["pending", "failed"];

/** Failed and still-running attempts since a time, by name and/or address (the running one included). */
async function countFailures(
  store: Store,
  since: string,
  by: { username?: string; ip?: string },
  outcomes: string[] = CHECKED,
) {
  let q = store.db
    .selectFrom("login_attempts")
    .select((e) => e.fn.countAll<number>().as("n"))
    .where("at", ">", since)
    .where("outcome", "in", outcomes);
  if (by.username !== undefined) q = q.where("username", "=", by.username);
  if (by.ip !== undefined) q = q.where("ip", "=", by.ip);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** An administrator set a new password: the account's failure count starts again. */
export async function resetSignInFailures(store: Store, username: string): Promise<void> {
  await store.db
    .insertInto("login_attempts")
    .values({ at: new Date().toISOString(), username, ip: "-", outcome: "reset" })
    .execute();
}

const DUMMY_HASH = "scrypt$15$8$1$c2FsdHNhbHRzYWx0c2FsdA$ZHVtbXlkdW1teWR1bW15ZHVtbXlkdW1teWR1bW15ZHU";

/** The user behind a session cookie, if the session is open, not idle too long and not past its end. */
export async function userOfSession(store: Store, cookie: string): Promise<User | undefined> {
  const policy = security();
  const now = new Date();
  const s = await store.db
    .selectFrom("sessions")
    .selectAll()
    .where("id_hash", "=", sha256(cookie))
    .executeTakeFirst();
  if (!s || s.ended_at) return undefined;
  const idleLimit = new Date(now.getTime() - policy.session.idle_minutes * 60_000).toISOString();
  if (s.last_seen_at < idleLimit || s.expires_at < now.toISOString()) {
    await store.db
      .updateTable("sessions")
      .set({ ended_at: now.toISOString() })
      .where("id_hash", "=", s.id_hash)
      .execute();
    return undefined;
  }
  const user = await store.db.selectFrom("users").selectAll().where("id", "=", s.user_id).executeTakeFirst();
  if (user?.status !== "active") return undefined;
  // Touch at most once a minute: a page of requests is one write, not many.
  if (s.last_seen_at < new Date(now.getTime() - 60_000).toISOString())
    await store.db
      .updateTable("sessions")
      .set({ last_seen_at: now.toISOString() })
      .where("id_hash", "=", s.id_hash)
      .execute();
  return user;
}

export async function logout(store: Store, cookie: string): Promise<void> {
  await store.db
    .updateTable("sessions")
    .set({ ended_at: new Date().toISOString() })
    .where("id_hash", "=", sha256(cookie))
    .execute();
}

/** Changes one's own password and ends every other session of the account (a thief's included). */
export async function changePassword(
  store: Store,
  userId: number,
  current: string,
  next: string,
  keepSessionCookie?: string,
): Promise<void> {
  const user = await store.db
    .selectFrom("users")
    .selectAll()
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(current, user.password_hash)))
    throw new InputError([
      problem(
        "password.current_wrong",
        {
          zh: "当前口令不正确",
          en: "The current password is wrong",
          fixZh: "输入正确的当前口令",
          fixEn: "Enter the right current password",
        },
        { field: "current" },
      ),
    ]);
  const weak = passwordProblems(next, security().password, "next");
  if (next === current)
    weak.push(
      problem(
        "password.same",
        {
          zh: "新口令不能与当前口令相同",
          en: "The new password must differ from the current one",
          fixZh: "换一个新口令",
          fixEn: "Choose a new password",
        },
        { field: "next" },
      ),
    );
  if (weak.length) throw new InputError(weak);
  await store.db
    .updateTable("users")
    .set({
      password_hash: await hashPassword(next),
      must_change_password: 0,
      updated_at: new Date().toISOString(),
    })
    .where("id", "=", userId)
    .execute();
  await endSessions(store, userId, keepSessionCookie);
}

/** Ends the open sessions of a user, all or all but one. */
export async function endSessions(store: Store, userId: number, exceptCookie?: string): Promise<void> {
  let q = store.db
    .updateTable("sessions")
    .set({ ended_at: new Date().toISOString() })
    .where("user_id", "=", userId)
    .where("ended_at", "is", null);
  if (exceptCookie) q = q.where("id_hash", "!=", sha256(exceptCookie));
  await q.execute();
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  department?: string | null;
  subjectCode?: string | null;
  password: string;
  mustChangePassword?: boolean;
}

export async function createUser(
  store: Store,
  u: NewUser,
  opts: { skipStrength?: boolean } = {},
): Promise<User> {
  if (!opts.skipStrength) {
    const weak = passwordProblems(u.password, security().password);
    if (weak.length) throw new InputError(weak);
  }
  const exists = await store.db
    .selectFrom("users")
    .select("id")
    .where("username", "=", u.username)
    .executeTakeFirst();
  if (exists)
    throw new InputError(
      [
        problem(
          "user.exists",
          {
            zh: `用户名“${u.username}”已被使用`,
            en: `User name "${u.username}" is taken`,
            fixZh: "换一个用户名",
            fixEn: "Choose another user name",
          },
          { field: "username" },
        ),
      ],
      409,
    );
  const now = new Date().toISOString();
  return store.db
    .insertInto("users")
    .values({
      username: u.username,
      display_name: u.displayName,
      password_hash: await hashPassword(u.password),
      role: u.role,
      department: u.department ?? null,
      subject_code: u.subjectCode ?? null,
      status: "active",
      must_change_password: u.mustChangePassword ? 1 : 0,
      failed_logins: 0,
      locked_until: null,
      last_login_at: null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * On the first start: an administrator with a one-time password, returned so the caller prints it once.
 * Returns undefined when any user exists.
 */
export async function ensureAdministrator(
  store: Store,
): Promise<{ username: string; password: string } | undefined> {
  const any = await store.db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  if (any) return undefined;
  const password = oneTimePassword();
  await createUser(
    store,
    {
      username: "admin",
      displayName: "系统管理员",
      role: "city_admin",
      department: catalog().cityOffice,
      password,
      mustChangePassword: true,
    },
    { skipStrength: true },
  );
  return { username: "admin", password };
}

export async function getMeta(store: Store, key: string): Promise<string | undefined> {
  return (await store.db.selectFrom("meta").select("value").where("key", "=", key).executeTakeFirst())?.value;
}

export async function setMeta(store: Store, key: string, value: string): Promise<void> {
  await store.db
    .insertInto("meta")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}
