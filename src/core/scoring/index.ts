/** The pure scoring core: model loading and compiling, evaluation, explanations, grade mappings. */
export { type CompiledModel, checkModel, compileModel, type IndicatorInfo, ModelError } from "./compile.ts";
export { inputDigest } from "./digest.ts";
export { type Explanation, explain, type Repair } from "./explain.ts";
export {
  checkGradeTables,
  gradeOfScore,
  type MappedGrade,
  mapGrade,
  mapScore,
  otherGradesOf,
} from "./grades.ts";
export { type GradeTables, loadCases, loadGradeTables, loadModels } from "./load.ts";
export { type PointsRow, pointsRows, pointsTable } from "./points-table.ts";
export type * from "./types.ts";
export { GRADE_LABELS, GRADES } from "./types.ts";
