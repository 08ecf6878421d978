/** Fixtures of the record tests. */
import type { RawRecord } from "./validate.ts";

/** An administrative penalty as a department submits it (Chinese date, thousands separator). */
export const PENALTY: RawRecord = {
  category: "行政处罚",
  department: "SCJG",
  subject_code: "91350100M000100Y43",
  subject_name: "泉州某某鞋业有限公司",
  doc_no: "泉市监处罚〔2025〕12号",
  decision_date: "2025年3月5日",
  penalty_type: "罚款",
  legal_basis: "《中华人民共和国食品安全法》第一百二十四条",
  amount: "1,200.5",
};

/** A listing on the serious violators' list (严重违法失信名单) of the market regulator. */
export function seriousViolator(
  subject_code: string,
  doc_no: string,
  decision_date: string,
  list_reason = "生产销售不合格食品，情节严重",
): RawRecord {
  return {
    category: "SERIOUS_VIOLATOR",
    subject_code,
    doc_no,
    decision_date,
    list_reason,
    legal_basis: "《市场监督管理严重违法失信名单管理办法》第九条",
  };
}
