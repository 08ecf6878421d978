/** Sign-in, the session and the caller's own account: requests and answers. */
import { z } from "zod";
import { PERMISSIONS, ROLES } from "../core/auth/roles.ts";

const permission = z.enum(
  Object.keys(PERMISSIONS) as [keyof typeof PERMISSIONS, ...(keyof typeof PERMISSIONS)[]],
);

export const LoginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const ChangePasswordBody = z.object({
  current: z.string().min(1).max(256),
  next: z.string().min(1).max(256),
});

/** The signed-in caller: a user account, or an API token's system (no account behind it). */
export const SessionUserSchema = z
  .object({
    id: z.number().int().nullable(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum([...ROLES, "token", "public", "operator"]),
    department: z.string().nullable(),
    subjectCode: z.string().nullable(),
    /** Set by an administrator (new account, reset): the user must choose a new password first. */
    mustChangePassword: z.boolean().optional(),
  })
  .meta({ id: "SessionUser" });

/** Who is calling and every permission they hold — the web app shows only what these allow. */
export const SessionSchema = z
  .object({ user: SessionUserSchema, permissions: z.array(permission) })
  .meta({ id: "Session" });
export type Session = z.infer<typeof SessionSchema>;
export type SessionUser = z.infer<typeof SessionUserSchema>;
