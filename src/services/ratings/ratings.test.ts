import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRADE_ROW_FIELDS, RATING_ROW_FIELDS } from "../../contract/ratings.ts";
import { usccCheckChar } from "../../core/uscc/uscc.ts";
import { openTestStore, type TestStore } from "../../store/testing.ts";
import { evalExtrasOf } from "../evaluate/extras.ts";
import { bindAgencyUser, registerAgency, updateAgency } from "./agencies.ts";
import { currentRatingsOf, importRatings, marketRatingOf, RATING_COLUMNS } from "./market.ts";
import {
  currentGradesOf,
  GRADE_COLUMNS,
  gradeSource,
  importOtherGrades,
  mapOtherGrade,
  otherGradesInputOf,
} from "./other-grades.ts";
import { loadRatingScales, normaliseRating } from "./scales.ts";
import { fileRows, jsonRows } from "./table-import.ts";

const uscc = (n: number) => {
  const first = `91350582MA2Y${String(n).padStart(5, "0")}`;
  return first + usccCheckChar(first);
};
const A = uscc(1);
const B = uscc(2);
const C = uscc(3);

let store: TestStore;
let dir: string;
beforeAll(async () => {
  store = await openTestStore();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ratings-test-"));
});
afterAll(async () => {
  await store.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("rating scales (policy/grades/agency-scales)", () => {
  const scales = loadRatingScales();
  it("normalises letter ratings by the table in force, +/− and full-width forms included", () => {
    const s = scales.get("aaa-c")!;
    expect(normaliseRating(s, "AAA", "2026-01-01")).toMatchObject({ ok: true, score: 1000 });
    expect(normaliseRating(s, " aa－", "2026-01-01")).toMatchObject({ ok: true, rating: "AA-", score: 850 });
    expect(normaliseRating(s, "C", "2026-01-01")).toMatchObject({ ok: true, score: 0 });
    expect(normaliseRating(s, "D", "2026-01-01")).toMatchObject({ ok: false, why: "unknown" });
    expect(normaliseRating(s, "AAA", "2010-01-01")).toMatchObject({ ok: false, why: "no_rule" });
  });
  it("interpolates numeric scales and refuses scores outside them", () => {
    const s = scales.get("0-100")!;
    expect(normaliseRating(s, "87.5", "2026-01-01")).toMatchObject({
      ok: true,
      score: 875,
      rule: "0-100@2014-06-14",
    });
    expect(normaliseRating(s, "101", "2026-01-01")).toMatchObject({ ok: false, why: "out_of_range" });
    expect(normaliseRating(s, "", "2026-01-01")).toMatchObject({ ok: false });
  });
});

describe("other systems' grades mapped by policy/grades tables", () => {
  const tax = gradeSource("tax");
  const samr = gradeSource("samr-risk");
  it("tax A→A, B→B, M→NR, C→D, D→E, each with its dated rule", () => {
    const got = ["A", "B", "M", "C", "D"].map((g) => mapOtherGrade(tax, g, "2026-05-01"));
    expect(got.map((m) => ("grade" in m ? [m.original, m.grade, m.rule] : m))).toEqual([
      ["A", "A", "tax@2025-07-01"],
      ["B", "B", "tax@2025-07-01"],
      ["M", "NR", "tax@2025-07-01"],
      ["C", "D", "tax@2025-07-01"],
      ["D", "E", "tax@2025-07-01"],
    ]);
  });
  it("tax M did not exist before 2018-04-01; the message is bilingual and lists the grades then", () => {
    const m = mapOtherGrade(tax, "M", "2017-06-30");
    expect("grade" in m).toBe(false);
    expect(m).toMatchObject({ fixZh: "可选：A、B、C、D", fixEn: "Use one of: A, B, C, D" });
  });
  it("SAMR risk classes A→B, B→C, C→D, D→E", () => {
    expect(
      ["A", "B", "C", "D"].map((g) => {
        const m = mapOtherGrade(samr, g, "2024-01-01");
        return "grade" in m ? m.grade : "?";
      }),
    ).toEqual(["B", "C", "D", "E"]);
  });
});

describe("market ratings", () => {
  it("registers an agency on a known scale, refuses an unknown scale and a second registration", async () => {
    const a = await registerAgency(
      store,
      {
        code: "xypj01",
        name: "某信用评级有限公司",
        qualification: "人民银行征信机构备案 闽0001",
        scale: "AAA-C",
      },
      "tester",
    );
    expect(a).toMatchObject({ code: "XYPJ01", scale: "aaa-c", status: "active" });
    await expect(
      registerAgency(store, { code: "X2", name: "n", qualification: "q", scale: "stars" }, "t"),
    ).rejects.toMatchObject({ problems: [{ code: "agency.scale_unknown" }] });
    await expect(
      registerAgency(store, { code: "XYPJ01", name: "n", qualification: "q", scale: "aaa-c" }, "t"),
    ).rejects.toMatchObject({ status: 409 });
    await registerAgency(
      store,
      { code: "PF100", name: "某协会", qualification: "行业协会", scale: "0-100" },
      "t",
    );
    await expect(bindAgencyUser(store, "XYPJ01", "nobody", "t")).rejects.toMatchObject({
      problems: [{ code: "agency.user_role" }],
    });
  });

  it("imports a CSV all-or-nothing: a bad row rejects the file and the report names row, field and fix", async () => {
    const file = path.join(dir, "ratings.csv");
    fs.writeFileSync(
      file,
      [
        "统一社会信用代码,主体名称,信用等级,评级日期,有效期至",
        `${A},甲公司,AA+,2026-03-01,2027-02-28`,
        `${B},乙公司,AAAA,2026-03-01,2027-02-28`,
        "91350582MA2Y000010,丙公司,A,2026-03-01,2027-02-28",
        `${C},丁公司,BBB,2026-03-01,2025-02-28`,
        `${C},丁公司,BBB,2099-03-01,2099-12-31`,
      ].join("\n"),
    );
    const opts = {
      agency: "XYPJ01",
      submitter: "t",
      channel: "cli" as const,
      rejectsDir: dir,
      today: "2026-11-29",
    };
    const r = await importRatings(store, await fileRows(file, RATING_COLUMNS), opts);
    expect(r).toMatchObject({ status: "rejected", accepted: 0, rejected: 4 });
    expect(r.problems.map((p) => [p.row, p.code])).toEqual([
      [2, "rating.unknown"],
      [3, "uscc.check"],
      [4, "rating.valid_until"],
      [5, "date.future"],
    ]);
    expect(r.problems[0]).toMatchObject({ field: "信用等级", value: "AAAA" });
    expect(r.problems[0]!.fixEn).toContain("AA+");
    const report = fs.readFileSync(r.rejectsFile!, "utf8");
    expect(report.split("\n")[0]).toContain("行号 row");
    expect(report).toContain("rating.unknown");
    expect(await store.db.selectFrom("market_ratings").selectAll().execute()).toEqual([]);
    const batch = await store.db
      .selectFrom("grade_imports")
      .selectAll()
      .where("id", "=", r.batchId)
      .executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ kind: "ratings", source: "XYPJ01", status: "rejected", rejected: 4 });

    const ok = await importRatings(store, await fileRows(file, RATING_COLUMNS), {
      ...opts,
      acceptValid: true,
    });
    expect(ok).toMatchObject({ status: "committed", accepted: 1, rejected: 4, subjects: [A] });
    const stored = await store.db.selectFrom("market_ratings").selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      agency_code: "XYPJ01",
      subject_code: A,
      rating: "AA+",
      score: 950,
      rule: "aaa-c@2014-06-14",
      rating_date: "2026-03-01",
      valid_until: "2027-02-28",
    });
  });

  it("refuses a file whose header misses a required column, before reading any row", async () => {
    const file = path.join(dir, "no-date.csv");
    fs.writeFileSync(file, `统一社会信用代码,信用等级\n${A},AA\n`);
    await expect(fileRows(file, RATING_COLUMNS)).rejects.toMatchObject({
      problems: [{ code: "header.missing" }, { code: "header.missing" }],
    });
  });

  it("gives the evaluation the latest valid rating of an active agency per subject", async () => {
    const opts = { submitter: "t", channel: "rest" as const, rejectsDir: dir, today: "2026-11-29" };
    await importRatings(
      store,
      jsonRows([
        { subject_code: B, rating: "BBB", rating_date: "2025-01-01", valid_until: "2025-12-31" },
        { subject_code: B, rating: "A", rating_date: "2026-01-01", valid_until: "2026-12-31" },
      ]),
      { ...opts, agency: "XYPJ01" },
    );
    await importRatings(
      store,
      jsonRows([{ subject_code: B, rating: 90, rating_date: "2026-06-01", valid_until: "2026-06-30" }]),
      { ...opts, agency: "PF100" },
    );
    expect(await marketRatingOf(store, [A, B, C], "2026-06-15")).toEqual(
      new Map([
        [A, { agency: "XYPJ01", score: 950 }],
        [B, { agency: "PF100", score: 900 }],
      ]),
    );
    // The association's rating has expired on 2026-07-01; the agency's 2026 rating counts again.
    expect((await marketRatingOf(store, [B], "2026-07-01")).get(B)).toEqual({ agency: "XYPJ01", score: 750 });
    expect((await currentRatingsOf(store, [B], "2025-06-01")).get(B)).toMatchObject({
      rating: "BBB",
      score: 600,
    });
    // Before any rating date nothing counts; a suspended agency's ratings stop counting.
    expect((await marketRatingOf(store, [A], "2026-02-28")).size).toBe(0);
    await updateAgency(store, "XYPJ01", { status: "suspended" });
    expect((await marketRatingOf(store, [A, B], "2026-07-01")).size).toBe(0);
    await expect(
      importRatings(store, jsonRows([{ subject_code: A }]), { ...opts, agency: "XYPJ01" }),
    ).rejects.toMatchObject({ problems: [{ code: "agency.suspended" }] });
    await updateAgency(store, "XYPJ01", { status: "active" });
  });
});

describe("grades of other systems", () => {
  const opts = { submitter: "t", channel: "cli" as const, rejectsDir: "", today: "2026-11-29" };
  beforeAll(() => {
    opts.rejectsDir = dir;
  });

  it("only the issuing department (or the city credit office) submits a source", async () => {
    await expect(
      importOtherGrades(store, jsonRows([]), { ...opts, source: "tax", department: "SCJG" }),
    ).rejects.toMatchObject({ status: 403, problems: [{ code: "grades.department" }] });
    await expect(
      importOtherGrades(store, jsonRows([]), { ...opts, source: "stars", department: "SW" }),
    ).rejects.toMatchObject({ problems: [{ code: "grades.source_unknown" }] });
  });

  it("stores the original tax grade beside the unified one; M is kept as NR and says nothing to the engine", async () => {
    const file = path.join(dir, "tax.csv");
    fs.writeFileSync(
      file,
      [
        "纳税人识别号,纳税人名称,纳税信用级别,评价日期",
        `${A},甲,M,2026-04-15`,
        `${B},乙,c,2026-04-15`,
        `${C},丙,A,2025-04-15`,
        `${C},丙,D,2026-04-15`,
        `${A},甲,X,2026-04-15`,
      ].join("\n"),
    );
    const bad = await importOtherGrades(store, await fileRows(file, GRADE_COLUMNS), {
      ...opts,
      source: "tax",
      department: "SW",
    });
    expect(bad).toMatchObject({ status: "rejected", rejected: 1 });
    expect(bad.problems[0]).toMatchObject({ row: 5, code: "grades.unknown", field: "等级", value: "X" });
    const r = await importOtherGrades(store, await fileRows(file, GRADE_COLUMNS), {
      ...opts,
      source: "tax",
      department: "SW",
      acceptValid: true,
    });
    expect(r).toMatchObject({ status: "committed", accepted: 4, rejected: 1 });
    const cur = await currentGradesOf(store, [A, B, C], "2026-11-29");
    expect(cur.get(A)).toEqual([
      {
        source: "tax",
        original: "M",
        grade: "NR",
        rule: "tax@2025-07-01",
        department: "SW",
        grade_date: "2026-04-15",
        valid_until: null,
      },
    ]);
    expect(cur.get(B)?.map((g) => [g.original, g.grade])).toEqual([["C", "D"]]);
    expect(cur.get(C)?.map((g) => [g.original, g.grade])).toEqual([["D", "E"]]);
    expect((await currentGradesOf(store, [C], "2026-01-01")).get(C)?.map((g) => g.original)).toEqual(["A"]);

    await importOtherGrades(
      store,
      jsonRows([{ subject_code: A, grade: "A", grade_date: "2026-10-01", valid_until: "2026-10-31" }]),
      { ...opts, source: "samr-risk", department: "SCJG" },
    );
    const input = await otherGradesInputOf(store, [A, B, C], "2026-10-15");
    expect(input).toEqual(
      new Map([
        [A, [{ source: "samr-risk", grade: "B" }]],
        [B, [{ source: "tax", grade: "D" }]],
        [C, [{ source: "tax", grade: "E" }]],
      ]),
    );
    // The SAMR class has expired by November: A has nothing but its NR tax grade.
    expect((await otherGradesInputOf(store, [A], "2026-11-29")).has(A)).toBe(false);
  });

  it("evalExtrasOf puts a subject's rating and grades together, as EvalInput wants them", async () => {
    const x = await evalExtrasOf(store, [A, B, C, uscc(4)], "2026-10-15");
    expect(x.get(A)).toEqual({
      marketRating: { agency: "XYPJ01", score: 950 },
      otherGrades: [{ source: "samr-risk", grade: "B" }],
    });
    expect(x.get(C)).toEqual({ otherGrades: [{ source: "tax", grade: "E" }] });
    expect(x.has(uscc(4))).toBe(false);
  });
});

describe("the API contract's JSON rows", () => {
  // The contract declares a JSON row's fields by name (it imports no service); they must stay the file's
  // column keys, or a field the importer reads would be dropped by the request schema.
  it("have the fields of the file columns", () => {
    expect([...RATING_ROW_FIELDS]).toEqual(RATING_COLUMNS.map((c) => c.key));
    expect([...GRADE_ROW_FIELDS]).toEqual(GRADE_COLUMNS.map((c) => c.key));
  });
});
