import { passwordProblems } from "../../core/auth/password.ts";
import type { Actor, Role } from "../../core/auth/roles.ts";
import { InputError, problem } from "../../core/problem.ts";
import { security } from "../../policy/load.ts";
import type { Store } from "../../store/db.ts";
import type { User } from "../../store/schema.ts";
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
        zh: "用户名或口令不正确",
        en: "Wrong user name or password",
        fixZh: "核对后重试；连续失败多次账号将被暂时锁定",
        fixEn: "Check and try again; repeated failures lock the account for a while",
      }),
    ],
    401,
  );

/** Signs in: checks the lock, the password, counts failures (登录失败处理) and opens a session. */
export async function login(
  store: Store,
  username: string,
  password: string,
  ip: string | null,
): Promise<{ user: User; cookie: string }> {
  const policy = security();
  const now = new Date();
  const user = await store.db
    .selectFrom("users")
    .selectAll()
    .where("username", "=", username)
    .executeTakeFirst();
  if (user?.status !== "active") {
    await verifyPassword(password, DUMMY_HASH); // same work either way: no user enumeration by timing
    throw badLogin();
  }
  if (user.locked_until && user.locked_until > now.toISOString()) {
    throw new InputError(
      [
        problem("auth.locked", {
          zh: `登录失败次数过多，账号已锁定至 ${user.locked_until.slice(0, 16).replace("T", " ")} (UTC)`,
          en: `Too many failed sign-ins; the account is locked until ${user.locked_until.slice(0, 16)} UTC`,
          fixZh: "稍后再试，或请管理员重置口令",
          fixEn: "Try again later, or ask an administrator to reset the password",
        }),
      ],
      423,
    );
  }
  if (!(await verifyPassword(password, user.password_hash))) {
    const failures = user.failed_logins + 1;
    const lock = failures >= policy.login.max_failures;
    await store.db
      .updateTable("users")
      .set({
        failed_logins: lock ? 0 : failures,
        locked_until: lock
          ? new Date(now.getTime() + policy.login.lock_minutes * 60_000).toISOString()
          : null,
      })
      .where("id", "=", user.id)
      .execute();
    throw badLogin();
  }
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

export async function changePassword(
  store: Store,
  userId: number,
  current: string,
  next: string,
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
      department: "XYB",
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
