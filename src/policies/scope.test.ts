import { describe, expect, it } from "vitest";
import type { Actor } from "../core/auth/roles.ts";
import { departmentScope, inScope, mayAccessDepartment, owningDepartment } from "./scope.ts";

const actor = (role: Actor["role"], department: string | null, kind: Actor["kind"] = "user"): Actor => ({
  kind,
  id: 1,
  name: "x",
  role,
  department,
  subjectCode: null,
});

describe("department scope", () => {
  it("gives the city office every department or the one it asks for, in any case", () => {
    expect(departmentScope(actor("city_admin", "XYB"))).toEqual({ kind: "all" });
    expect(departmentScope(actor("city_admin", "XYB"), "scjg")).toEqual({ kind: "one", department: "SCJG" });
  });

  it("gives everyone else their own department whatever they ask for, and a caller without one nothing", () => {
    expect(departmentScope(actor("dept_staff", "ZJ"), "SCJG")).toEqual({ kind: "one", department: "ZJ" });
    expect(departmentScope(actor("token", "ZJ", "token"), "SCJG")).toEqual({ kind: "one", department: "ZJ" });
    for (const role of ["enterprise", "agency", "auditor", "security_admin"] as const)
      expect(departmentScope(actor(role, null), "SCJG"), role).toEqual({ kind: "none" });
  });

  it("decides one item by the same scope", () => {
    expect(mayAccessDepartment(actor("dept_admin", "ZJ"), "SCJG")).toBe(false);
    expect(mayAccessDepartment(actor("dept_admin", "ZJ"), "ZJ")).toBe(true);
    expect(mayAccessDepartment(actor("city_admin", "XYB"), "SCJG")).toBe(true);
    // No department is not a department: a caller without one never matches an item without one.
    expect(mayAccessDepartment(actor("auditor", null), null)).toBe(false);
    expect(inScope({ kind: "none" }, null)).toBe(false);
  });

  it("lets only the city office create items for another department", () => {
    expect(owningDepartment(actor("city_admin", "XYB"), "SCJG")).toBe("SCJG");
    expect(owningDepartment(actor("city_admin", "XYB"), undefined)).toBe("XYB");
    expect(owningDepartment(actor("dept_admin", "ZJ"), "SCJG")).toBe("ZJ");
    expect(owningDepartment(actor("agency", null), "SCJG")).toBeNull();
  });
});
