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
