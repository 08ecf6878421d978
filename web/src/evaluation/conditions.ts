/**
 * Names of the models' direct-to-grade triggers and grade ceilings (policy/models/*.yaml, `triggers` and
 * `ceilings`). The evaluation API gives only their ids (`triggers`, `ceiling`, `blockedBy`, a repair's
 * `conditions`), so the UI keeps this copy to explain them in words; an id missing here is shown as it is.
 * Keep in step with the model files (or drop this once the API names them).
 */
export interface ConditionInfo {
  kind: "trigger" | "ceiling";
  /** The grade a trigger sets, or the best grade a ceiling allows. */
  grade: string;
  zh: string;
  en: string;
}

const T = (grade: string, zh: string, en: string): ConditionInfo => ({ kind: "trigger", grade, zh, en });
const C = (grade: string, zh: string, en: string): ConditionInfo => ({ kind: "ceiling", grade, zh, en });

const VIOLATOR_OR_DEFAULTER = T(
  "E",
  "列入严重失信主体名单或失信被执行人",
  "On a serious-violator list (or a judgment defaulter)",
);
const LICENCE_REVOKED = C("D", "营业执照被吊销，不得高于 D", "Business licence revoked — no better than D");

export const CONDITIONS: Record<string, Record<string, ConditionInfo>> = {
  public: {
    serious_violator: T("E", "列入严重失信主体名单", "On a serious-violator list"),
    judgment_defaulter: T("E", "失信被执行人", "Judgment defaulter"),
    major_accident: T("E", "发生重大及以上生产安全事故", "Major or extraordinary work-safety accident"),
    serious_penalty_1y: C(
      "B",
      "一年内受到严重行政处罚，本期不得评为 A",
      "A serious penalty within a year — cannot be A this cycle",
    ),
    larger_accident_1y: C(
      "C",
      "一年内发生较大生产安全事故，不得高于 C",
      "A larger work-safety accident within a year — no better than C",
    ),
    licence_revoked: LICENCE_REVOKED,
    tax_grade_d: C("C", "纳税信用 D 级，不得高于 C", "Tax credit grade D — no better than C"),
  },
  "samr-food": {
    serious_violator: VIOLATOR_OR_DEFAULTER,
    serious_quality_accident: T(
      "E",
      "发生造成人身伤亡或较大以上的产品质量事故",
      "A product-quality accident with casualties or of larger level",
    ),
    failed_inspection_1y: C(
      "B",
      "一年内检查不合格，本期不得评为 A",
      "A failed inspection within a year — cannot be A this cycle",
    ),
    serious_penalty_1y: C(
      "C",
      "一年内受到严重行政处罚，不得高于 C",
      "A serious penalty within a year — no better than C",
    ),
    licence_revoked: LICENCE_REVOKED,
  },
  "sthj-pollutant": {
    serious_violator: VIOLATOR_OR_DEFAULTER,
    seizure_1y: C(
      "B",
      "一年内排污设施被查封扣押，本期不得评为 A",
      "Discharge facilities seized within a year — cannot be A this cycle",
    ),
    serious_penalty_1y: C(
      "C",
      "一年内受到严重环境行政处罚，不得高于 C",
      "A serious environmental penalty within a year — no better than C",
    ),
    licence_revoked: LICENCE_REVOKED,
  },
  "zj-construction": {
    serious_violator: VIOLATOR_OR_DEFAULTER,
    major_accident: T("E", "发生重大及以上生产安全事故", "Major or extraordinary work-safety accident"),
    serious_penalty_1y: C(
      "B",
      "一年内受到严重行政处罚，本期不得评为 A",
      "A serious penalty within a year — cannot be A this cycle",
    ),
    fatal_accident_1y: C(
      "C",
      "一年内发生造成人员死亡的生产安全事故，不得高于 C",
      "A fatal work-safety accident within a year — no better than C",
    ),
    larger_accident_1y: C(
      "D",
      "一年内发生较大生产安全事故，不得高于 D",
      "A larger work-safety accident within a year — no better than D",
    ),
    licence_revoked: LICENCE_REVOKED,
  },
};

export function conditionInfo(modelId: string, id: string): ConditionInfo | undefined {
  return CONDITIONS[modelId]?.[id];
}
