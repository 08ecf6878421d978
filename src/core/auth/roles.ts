/**
 * Who may do what — declared here, in one place, and enforced on the server for every route.
 * A route names one permission; a role has a fixed set of permissions. Which department's or subject's data a
 * caller sees within a permission, and who may act on one item, is decided per resource in src/policies/.
 */
export const ROLES = [
  "city_admin",
  "dept_admin",
  "dept_staff",
  "inspector",
  "enterprise",
  "agency",
  "auditor",
  "security_admin",
] as const;
export type Role = (typeof ROLES)[number];

/** Callers that are not accounts: anyone, a department system, the server's operator at the command line. */
export type NonAccountRole = "public" | "token" | "operator";

export const ROLE_LABELS: Record<Role | NonAccountRole, { zh: string; en: string }> = {
  city_admin: { zh: "市信用办管理员", en: "City credit office administrator" },
  dept_admin: { zh: "部门管理员", en: "Department administrator" },
  dept_staff: { zh: "部门工作人员", en: "Department staff" },
  inspector: { zh: "执法检查人员", en: "Inspector" },
  enterprise: { zh: "企业用户", en: "Enterprise user" },
  agency: { zh: "信用服务机构", en: "Credit agency" },
  auditor: { zh: "审计管理员", en: "Auditor" },
  security_admin: { zh: "安全管理员", en: "Security administrator" },
  public: { zh: "公众", en: "Public" },
  token: { zh: "部门系统（接口令牌）", en: "Department system (API token)" },
  operator: { zh: "服务器操作员（命令行）", en: "Server operator (command line)" },
};

/** Roles that belong to a department and see its data. */
export const DEPARTMENT_ROLES: readonly Role[] = ["dept_admin", "dept_staff", "inspector"];

export const PERMISSIONS = {
  /** Anyone, signed in or not. */
  public: [] as Role[],
  /** Any signed-in user (own account, own password). */
  "self.account": [...ROLES],
  /** An enterprise user's own subject. */
  "self.read": ["enterprise"],
  "subjects.read": ["city_admin", "dept_admin", "dept_staff", "inspector"],
  /** A record's versions: government roles (shared city-wide), an enterprise for its own subject (scoped). */
  "records.read": ["city_admin", "dept_admin", "dept_staff", "inspector", "enterprise"],
  "catalog.read": ["city_admin", "dept_admin", "dept_staff", "inspector", "agency", "enterprise"],
  "records.submit": ["city_admin", "dept_admin", "dept_staff"],
  "records.revoke": ["city_admin", "dept_admin"],
  "imports.read": ["city_admin", "dept_admin", "dept_staff"],
  "users.manage": ["city_admin", "dept_admin", "security_admin"],
  "departments.manage": ["city_admin"],
  "departments.read": ["city_admin", "dept_admin", "dept_staff", "inspector", "security_admin", "auditor"],
  "tokens.manage": ["city_admin", "dept_admin"],
  "allowlist.manage": ["city_admin"],
  "audit.read": ["auditor"],
  /** Register credit agencies, change their status, bind agency users (the city credit office). */
  "agencies.manage": ["city_admin"],
  /** The register of agencies (an agency user sees its own). */
  "agencies.read": ["city_admin", "dept_admin", "dept_staff", "inspector", "agency"],
  /** An agency user submits its agency's market ratings. */
  "ratings.submit": ["agency"],
  /** Market ratings as submitted (an agency user sees its own agency's). */
  "ratings.read": ["city_admin", "dept_admin", "dept_staff", "inspector", "agency"],
  /** Grades from other systems (tax, SAMR risk class…), by the issuing department or the city office. */
  "grades.submit": ["city_admin", "dept_admin", "dept_staff"],
  /** What-if and publication of a model version, by its owning department's administrator. */
  "models.manage": ["city_admin", "dept_admin"],
  /** The measures lists in force (监管措施清单). */
  "measures.read": ["city_admin", "dept_admin", "dept_staff", "inspector"],
  /** A credit check for a scenario (信用核查), logged with caller and purpose; approval systems use a token. */
  "credit_checks.create": ["city_admin", "dept_admin", "dept_staff", "inspector"],
  /** The credit check log: the city credit office all, a department its own. */
  "credit_checks.read": ["city_admin", "dept_admin", "dept_staff", "inspector"],
  /** Random inspections (双随机): plans, draws, tasks, the directories, statistics — scoped to the department. */
  "inspections.read": ["city_admin", "dept_admin", "dept_staff", "inspector"],
  /** Define a plan, freeze its pool, draw, close it: the department's own. */
  "inspections.manage": ["city_admin", "dept_admin", "dept_staff"],
  /** Enter an inspection's result: an assigned inspector, or department staff on their behalf. */
  "inspections.results": ["dept_admin", "dept_staff", "inspector"],
  /** The inspector directory of a department. */
  "inspectors.manage": ["city_admin", "dept_admin"],
  /** Declare a conflict of interest (回避): the inspector themself, or the department's administrator. */
  "inspectors.conflicts": ["city_admin", "dept_admin", "inspector"],
} satisfies Record<string, Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** Permissions an API token may carry (a department system submits and reads; it administers nothing). */
export const TOKEN_SCOPES: readonly Permission[] = [
  "records.submit",
  "imports.read",
  "subjects.read",
  "catalog.read",
  "credit_checks.create",
];

export interface Actor {
  kind: "user" | "token" | "public";
  id: number | null;
  name: string;
  role: Role | NonAccountRole;
  department: string | null;
  subjectCode: string | null;
  /** For tokens: the scopes granted. */
  scopes?: Permission[];
  /** A user whose password was set by someone else may only change it (and sign out) until they do. */
  mustChangePassword?: boolean;
}

export const PUBLIC_ACTOR: Actor = {
  kind: "public",
  id: null,
  name: "public",
  role: "public",
  department: null,
  subjectCode: null,
};

export function can(actor: Actor, permission: Permission): boolean {
  if (permission === "public") return true;
  if (actor.kind === "public") return false;
  if (actor.kind === "token") return actor.scopes?.includes(permission) ?? false;
  return (PERMISSIONS[permission] as readonly string[]).includes(actor.role);
}

export function permissionsOf(actor: Actor): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => p !== "public" && can(actor, p));
}
