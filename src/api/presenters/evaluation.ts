import type { SubjectEvaluation } from "../../contract/evaluation.ts";
import { maskIfIdNumber } from "../../core/idcard/idcard.ts";
import type { SubjectExplanation } from "../../services/evaluate/explain.ts";
import type { Subject } from "../../store/schema.ts";
import { presentSubject } from "./subject.ts";

/** The subject an explanation is about: its identity number masked when it is a natural person's. */
function presentEvaluationSubject(s: Subject): SubjectEvaluation["subject"] {
  const {
    createdAt: _c,
    updatedAt: _u,
    masked: _m,
    ...subject
  } = presentSubject({
    ...s,
    code: maskIfIdNumber(s.code),
    masked: false,
  });
  return subject;
}

/** A subject's grades explained, with the stored history of its results. */
export function presentSubjectEvaluation(e: SubjectExplanation): SubjectEvaluation {
  return {
    subject: presentEvaluationSubject(e.subject),
    asOf: e.asOf,
    models: e.models.map(({ repairs, ...m }) => ({
      ...m,
      repairs: repairs.map(({ decision_date, ...r }) => ({ ...r, decisionDate: decision_date })),
    })),
    history: e.history.map((h) => ({
      modelId: h.model_id,
      modelVersion: h.model_version,
      asOf: h.as_of,
      score: Number(h.score),
      grade: h.grade as SubjectEvaluation["history"][number]["grade"],
      firstEvaluatedAt: h.first_evaluated_at,
    })),
  };
}
