/**
 * 市场信用评价 Market ratings: an agency's ratings of subjects on its own scale, stored beside their
 * normalised 0–1000 score, and the latest valid rating per subject for the evaluation (EvalInput.marketRating).
 */
import { InputError, type Problem, problem } from "../../core/problem.ts";
import type { HeaderDef } from "../../io/headers.ts";
import type { Store } from "../../store/db.ts";
import type { MarketRatingTable } from "../../store/schema-models-ratings.ts";
import { chinaToday } from "../collect/ingest.ts";
import { getAgency } from "./agencies.ts";
import { normaliseRating, ratingScales } from "./scales.ts";
import {
  allowList,
  checkDate,
  checkSubject,
  type ImportResult,
  type RowSource,
  runImport,
  SUBJECT_COLUMN,
  SUBJECT_NAME_COLUMN,
  upsertGrades,
} from "./table-import.ts";

export const RATING_COLUMNS: HeaderDef[] = [
  SUBJECT_COLUMN,
  SUBJECT_NAME_COLUMN,
  {
    key: "rating",
    zh: "信用等级",
    en: "Rating",
    aliases: ["评级结果", "评级", "等级", "评价结果", "信用评分", "评分", "分数", "grade", "score"],
    required: true,
  },
  {
    key: "rating_date",
    zh: "评级日期",
    en: "Rating date",
    aliases: ["评价日期", "评定日期", "出具日期", "date"],
    required: true,
  },
  {
    key: "valid_until",
    zh: "有效期至",
    en: "Valid until",
    aliases: ["有效期截止日期", "到期日期", "有效期", "expires", "expiry date"],
    required: true,
  },
];
const col = (k: string) => RATING_COLUMNS.find((c) => c.key === k)!;

export interface RatingImportOptions {
  agency: string;
  submitter: string;
  channel: "rest" | "file" | "cli";
  fileName?: string;
  acceptValid?: boolean;
  rejectsDir: string;
  /** Today (for the future-date check); default today in China. */
  today?: string;
}

interface RatingRow {
  subject_code: string;
  rating: string;
  score: number;
  rule: string;
  rating_date: string;
  valid_until: string;
}

/** Imports an agency's ratings: subject USCC, rating on the agency's scale, rating date, valid until. */
export async function importRatings(
  store: Store,
  rows: RowSource,
  opts: RatingImportOptions,
): Promise<ImportResult> {
  const agency = await getAgency(store, opts.agency);
  if (!agency)
    throw new InputError(
      [
        problem(
          "agency.unknown",
          {
            zh: `评级机构 ${opts.agency} 未登记`,
            en: `Agency ${opts.agency} is not registered`,
            fixZh: "由市信用办先登记该机构",
            fixEn: "Have the city credit office register the agency first",
          },
          { field: "agency", value: opts.agency },
        ),
      ],
      404,
    );
  if (agency.status !== "active")
    throw new InputError(
      [
        problem(
          "agency.suspended",
          {
            zh: `评级机构 ${agency.code} 已暂停，不接收其评级`,
            en: `Agency ${agency.code} is suspended: its ratings are not accepted`,
            fixZh: "联系市信用办恢复机构状态",
            fixEn: "Ask the city credit office to reinstate the agency",
          },
          { field: "agency", value: agency.code },
        ),
      ],
      409,
    );
  const scale = ratingScales().get(agency.scale);
  if (!scale)
    throw new Error(`agency ${agency.code}: scale ${agency.scale} is not under policy/grades/agency-scales`);
  const allow = await allowList(store);
  const today = opts.today ?? chinaToday();
  const now = new Date().toISOString();
  return runImport<RatingRow>(store, rows, {
    kind: "ratings",
    source: agency.code,
    department: null,
    submitter: opts.submitter,
    channel: opts.channel,
    ...(opts.fileName ? { fileName: opts.fileName } : {}),
    acceptValid: !!opts.acceptValid,
    rejectsDir: opts.rejectsDir,
    check(r) {
      const problems: Problem[] = [];
      const subject = checkSubject(r, allow, problems);
      const ratingDate = checkDate(r, col("rating_date"), problems, { required: true, notAfter: today });
      const validUntil = checkDate(r, col("valid_until"), problems, { required: true });
      const raw = r.values.rating ?? "";
      let mapped: ReturnType<typeof normaliseRating> | undefined;
      if (!raw)
        problems.push(
          problem(
            "value.required",
            {
              zh: "“信用等级”不能为空",
              en: '"Rating" is required',
              fixZh: `填写机构按其标度（${scale.title_zh}）给出的等级`,
              fixEn: `Fill in the rating on the agency's scale (${scale.title_en})`,
            },
            { row: r.row, field: col("rating").zh },
          ),
        );
      else if (ratingDate) {
        mapped = normaliseRating(scale, raw, ratingDate);
        if (!mapped.ok)
          problems.push(
            problem(
              mapped.why === "no_rule" ? "rating.no_rule" : "rating.unknown",
              mapped.why === "no_rule"
                ? {
                    zh: `${ratingDate} 没有有效的“${scale.title_zh}”换算规则`,
                    en: `No mapping of "${scale.title_en}" is in force on ${ratingDate}`,
                    fixZh: "核对评级日期",
                    fixEn: "Check the rating date",
                  }
                : {
                    zh: `“${raw}”不是机构标度“${scale.title_zh}”中的等级`,
                    en: `"${raw}" is not a rating on the agency's scale "${scale.title_en}"`,
                    fixZh: `可选：${mapped.choices}`,
                    fixEn: `Use one of: ${mapped.choices}`,
                  },
              { row: r.row, field: col("rating").zh, value: raw },
            ),
          );
      }
      if (ratingDate && validUntil && validUntil < ratingDate)
        problems.push(
          problem(
            "rating.valid_until",
            {
              zh: `有效期至 ${validUntil} 早于评级日期 ${ratingDate}`,
              en: `Valid until ${validUntil} is before the rating date ${ratingDate}`,
              fixZh: "核对有效期",
              fixEn: "Check the validity date",
            },
            { row: r.row, field: col("valid_until").zh, value: validUntil },
          ),
        );
      if (problems.length || !subject || !ratingDate || !validUntil || !mapped?.ok) return problems;
      return {
        subject,
        value: {
          subject_code: subject,
          rating: mapped.rating,
          score: mapped.score,
          rule: mapped.rule,
          rating_date: ratingDate,
          valid_until: validUntil,
        },
      };
    },
    async write(tx, rows, batchId) {
      await upsertGrades(tx, "market_ratings", rows, {
        key: ["agency_code", "subject_code", "rating_date"],
        batch: {
          agency_code: agency.code,
          scale: scale.id,
          batch_id: batchId,
          submitted_by: opts.submitter,
          submitted_at: now,
        },
      });
    },
  });
}

/** A subject's current market rating: the stored rating's columns, its agency's code as `agency`. */
export type CurrentRating = { agency: string } & Pick<
  MarketRatingTable,
  "rating" | "scale" | "score" | "rule" | "rating_date" | "valid_until"
>;

/**
 * The latest valid rating of each subject on `asOf` (rated on or before it, valid through it, by an agency
 * that is active): the newest rating date wins, then the latest submission. Codes without one are absent.
 */
export async function currentRatingsOf(
  store: Store,
  codes: readonly string[],
  asOf = chinaToday(),
): Promise<Map<string, CurrentRating>> {
  const out = new Map<string, CurrentRating & { id: number }>();
  for (let i = 0; i < codes.length; i += 5000) {
    const slice = codes.slice(i, i + 5000);
    if (slice.length === 0) continue;
    const rows = await store.db
      .selectFrom("market_ratings as r")
      .innerJoin("credit_agencies as a", "a.code", "r.agency_code")
      .select([
        "r.id",
        "r.subject_code",
        "r.agency_code",
        "r.rating",
        "r.scale",
        "r.score",
        "r.rule",
        "r.rating_date",
        "r.valid_until",
      ])
      .where("a.status", "=", "active")
      .where("r.subject_code", "in", slice)
      .where("r.rating_date", "<=", asOf)
      .where("r.valid_until", ">=", asOf)
      .execute();
    for (const r of rows) {
      const cur = out.get(r.subject_code);
      const id = Number(r.id);
      if (cur && (cur.rating_date > r.rating_date || (cur.rating_date === r.rating_date && cur.id > id)))
        continue;
      out.set(r.subject_code, {
        id,
        agency: r.agency_code,
        rating: r.rating,
        scale: r.scale,
        score: Number(r.score),
        rule: r.rule,
        rating_date: r.rating_date,
        valid_until: r.valid_until,
      });
    }
  }
  return new Map([...out].map(([k, { id: _id, ...v }]) => [k, v]));
}

/** EvalInput.marketRating per subject: the latest valid rating (agency code, normalised 0–1000 score). */
export async function marketRatingOf(
  store: Store,
  codes: readonly string[],
  asOf = chinaToday(),
): Promise<Map<string, { agency: string; score: number }>> {
  const cur = await currentRatingsOf(store, codes, asOf);
  return new Map([...cur].map(([k, v]) => [k, { agency: v.agency, score: v.score }]));
}
