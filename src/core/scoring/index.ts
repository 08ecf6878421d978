/** The pure scoring core: compiling, evaluation, explanations, grade mappings (files are read by src/policy/). */

export { GRADE_LABELS, GRADES, type Grade, type GradeOrNR } from "../grades.ts";
export { type CompiledModel, checkModel, compileModel, type IndicatorInfo, ModelError } from "./compile.ts";
export { inputDigest } from "./digest.ts";
export {
  type ByScore,
  type Explanation,
  explain,
  type Limit,
  type LimitEffect,
  limitsOf,
  type Repair,
  type StoredResult,
  scoreBeforeLimits,
  storedLimits,
} from "./explain.ts";
export {
  checkGradeTables,
  gradeOfScore,
  type MappedGrade,
  mapGrade,
  mapScore,
  otherGradesOf,
} from "./grades.ts";
export { type PointsRow, pointsRows, pointsTable } from "./points-table.ts";
export type * from "./types.ts";
