/** Actors of the service tests. */
import type { Actor } from "./roles.ts";

/** The staff member t-staff of the market regulator (SCJG), signed in. */
export const STAFF: Actor = {
  kind: "user",
  id: 1,
  name: "t-staff",
  role: "dept_staff",
  department: "SCJG",
  subjectCode: null,
};
