/** Fixtures of the scoring tests. */
import type { EvalInput } from "./types.ts";

/** A manufacturing enterprise of Jinjiang in operation since 2015. */
export const SUBJECT: EvalInput["subject"] = {
  code: "91350582MA2XXXXX0X",
  type: "enterprise",
  status: "存续",
  registered_on: "2015-03-01",
  region: "350582",
  industry_section: "C",
  industry_division: "19",
};
