/**
 * Administration: user accounts, departments, API tokens and the audit log — requests and answers
 * (src/api/routes/admin.ts). Accounts are disabled, never deleted; a token's secret is shown once.
 */
import { z } from "zod";
import { type Permission, ROLES, TOKEN_SCOPES } from "../core/auth/roles.ts";
import { paged, pagingQuery } from "./common.ts";

/** The administration lists page at most 200 rows (the web's largest page size). */
const adminPaging = pagingQuery(200, 20);

// ---- users ----

export const UserSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    department: z.string().nullable(),
    /** For an enterprise user: the one subject they act for. */
    subjectCode: z.string().nullable(),
    status: z.enum(["active", "disabled"]).describe("Accounts are disabled, never deleted"),
    mustChangePassword: z.boolean().describe("Must choose a new password at the next sign-in"),
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: "User" });
export type User = z.output<typeof UserSchema>;

export const UserPageSchema = paged(UserSchema);

export const UserListQuery = z.object({
  ...adminPaging,
  q: z.string().max(64).optional().describe("Part of the user name or display name"),
});

export const UserIdParams = z.object({ id: z.coerce.number().int().positive() });

export const CreateUserBody = z.object({
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{3,64}$/),
  displayName: z.string().trim().min(1).max(64),
  role: z.enum(ROLES),
  department: z.string().max(32).nullish(),
  subjectCode: z.string().max(32).nullish(),
  password: z.string().min(1).max(256),
});

export const UpdateUserBody = z.object({
  displayName: z.string().trim().min(1).max(64).optional(),
  role: z.enum(ROLES).optional(),
  department: z.string().max(32).nullish(),
  status: z.enum(["active", "disabled"]).optional(),
  password: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe("Set by an administrator: ends the user's sessions"),
});

// ---- departments ----

export const DepartmentSchema = z
  .object({
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: "Department" });
export type Department = z.output<typeof DepartmentSchema>;

export const DepartmentListSchema = z.array(DepartmentSchema);

export const DepartmentCodeParams = z.object({ code: z.string().max(16) });

export const CreateDepartmentBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Z]{2,16}$/),
  nameZh: z.string().trim().min(1).max(64),
  nameEn: z.string().trim().min(1).max(128),
});

/** At least one of the names (the route says so in both languages when neither is given). */
export const UpdateDepartmentBody = z.object({
  nameZh: z.string().trim().min(1).max(64).optional(),
  nameEn: z.string().trim().min(1).max(128).optional(),
});

// ---- API tokens ----

export const ApiTokenSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    department: z.string(),
    // Plain strings, not the current scope list: a token issued before a permission was renamed still lists.
    scopes: z.array(z.string()).describe("Permissions the token carries (token scopes)"),
    createdBy: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: "ApiToken" });
export type ApiToken = z.output<typeof ApiTokenSchema>;

export const ApiTokenListSchema = z.array(ApiTokenSchema);

/** A token just issued: the only time its text (`ct_<id>_<secret>`) is shown; the platform keeps a hash. */
export const IssuedApiTokenSchema = z
  .object({
    id: z.number().int(),
    token: z.string().describe("ct_<id>_<secret>: shown once, stored only as a hash"),
  })
  .meta({ id: "IssuedApiToken" });
export type IssuedApiToken = z.output<typeof IssuedApiTokenSchema>;

export const TokenIdParams = z.object({ id: z.coerce.number().int().positive() });

export const CreateTokenBody = z.object({
  name: z.string().trim().min(1).max(64),
  department: z.string().max(32).optional().describe("Only the city credit office names another department"),
  scopes: z.array(z.enum(TOKEN_SCOPES as [Permission, ...Permission[]])).min(1),
  expiresInDays: z.number().int().min(1).describe("At most policy/security.yaml tokens.max_days"),
});

// ---- audit log ----

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string().describe("User name, or token:<name> for a department system"),
    role: z.string(),
    department: z.string().nullable(),
    action: z.string(),
    object: z.string().nullable(),
    result: z.enum(["ok", "denied", "failed"]),
    ip: z.string().nullable(),
  })
  .meta({ id: "AuditEntry" });
export type AuditEntry = z.output<typeof AuditEntrySchema>;

export const AuditPageSchema = paged(AuditEntrySchema);

export const AuditQuery = z.object({
  ...adminPaging,
  actor: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
});
