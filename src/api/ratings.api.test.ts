import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usccCheckChar } from "../core/uscc/uscc.ts";
import { writeXlsx } from "../io/export.ts";
import { catalog } from "../policy/load.ts";
import { evalExtrasOf } from "../services/evaluate/extras.ts";
import { modelSet } from "../services/evaluate/models.ts";
import { evaluate, evaluateSubject } from "../services/evaluate/run.ts";
import { currentEvaluation } from "../store/testing.ts";
import { insertTestSubject, multipartFile, openTestApp, type TestApp } from "./testing.ts";

const uscc = (n: number) => {
  const first = `91350582MA2Y${String(n).padStart(5, "0")}`;
  return first + usccCheckChar(first);
};
const FIRM = "91350100M000100Y43"; // the test enterprise user's subject
const OTHER = uscc(7);

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  for (const code of [FIRM, OTHER])
    await insertTestSubject(t.store, code, `泉州${code.slice(-4)}有限公司`, { registered_on: "2012-05-01" });
});
afterAll(async () => t.close());

const as = (u: string) => ({ cookie: t.cookies[u]! });

const multipart = multipartFile;

describe("credit agencies and market ratings API", () => {
  it("the city credit office registers an agency; others may not", async () => {
    const body = {
      code: "XYPJ01",
      name: "某信用评级有限公司",
      qualification: "征信机构备案 闽0001",
      scale: "AAA-C",
    };
    const denied = await t.call("POST", "/agencies", "t-dadmin", body);
    expect(denied.statusCode).toBe(403);
    const r = await t.call("POST", "/agencies", "t-city", body);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ code: "XYPJ01", scale: "aaa-c", status: "active", createdBy: "t-city" });
    expect(r.json()).not.toHaveProperty("created_at");
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/agencies",
      headers: { ...as("t-city"), "accept-language": "en" },
      payload: { ...body, code: "X2", scale: "stars" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/no rating scale "stars"/);
    const list = await t.call("GET", "/agencies", "t-staff");
    expect(list.json().map((a: { code: string }) => a.code)).toEqual(["XYPJ01"]);
  });

  it("an agency user must be bound to an agency before it submits", async () => {
    const payload = {
      ratings: [{ subject_code: FIRM, rating: "AA", rating_date: "2026-03-01", valid_until: "2027-02-28" }],
    };
    const unbound = await t.app.inject({
      method: "POST",
      url: "/api/v1/ratings",
      headers: as("t-agency"),
      payload,
    });
    expect(unbound.statusCode).toBe(403);
    expect(unbound.json().problems[0].code).toBe("agency.unbound");
    expect((await t.call("GET", "/agencies", "t-agency")).json()).toEqual([]);
    const bind = await t.call("POST", "/agencies/XYPJ01/members", "t-city", { username: "t-agency" });
    expect(bind.statusCode).toBe(201);
    expect(bind.json()).toMatchObject({ username: "t-agency", agency: "XYPJ01" });
    const notAgency = await t.call("POST", "/agencies/XYPJ01/members", "t-city", { username: "t-staff" });
    expect(notAgency.statusCode).toBe(400);
    expect((await t.call("GET", "/agencies", "t-agency")).json()).toHaveLength(1);
  });

  it("imports an XLSX of ratings: a bad row refuses the file (422) and its report can be downloaded", async () => {
    const file = path.join(t.dataDir, "ratings.xlsx");
    await writeXlsx(
      file,
      "评级",
      ["统一社会信用代码", "信用等级", "评级日期", "有效期至"],
      [
        [FIRM, "AA+", "2026-03-01", "2027-02-28"],
        [OTHER, "Z", "2026-03-01", "2027-02-28"],
      ],
    );
    const m = multipart("评级.xlsx", fs.readFileSync(file));
    const r = await t.upload("/ratings/imports", "t-agency", m);
    expect(r.statusCode).toBe(422);
    const body = r.json();
    expect(body).toMatchObject({
      status: "rejected",
      accepted: 0,
      rejected: 1,
      error: "invalid_input",
      rejectsUrl: `/api/v1/grade-imports/${body.batchId}/rejects`,
    });
    // The answer names no server path, nor the subjects the import wrote (those are for re-evaluation).
    expect(body).not.toHaveProperty("rejectsFile");
    expect(body).not.toHaveProperty("subjects");
    expect(body.problems[0]).toMatchObject({ row: 2, code: "rating.unknown", field: "信用等级", value: "Z" });
    const report = await t.call("GET", `/grade-imports/${body.batchId}/rejects`, "t-agency");
    expect(report.statusCode).toBe(200);
    expect(report.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(report.body).toContain("rating.unknown");
    const foreign = await t.call("GET", `/grade-imports/${body.batchId}/rejects`, "t-staff");
    expect(foreign.statusCode).toBe(404);

    const ok = await t.upload("/ratings/imports?acceptValid=true", "t-agency", m);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: "committed", accepted: 1, rejected: 1 });
    expect(ok.json()).not.toHaveProperty("subjects");
  });

  it("a department submits its own system's grades only; the original grade stays beside the unified one", async () => {
    const grades = [
      { subject_code: FIRM, grade: "B", grade_date: "2026-04-15" },
      { subject_code: OTHER, grade: "M", grade_date: "2026-04-15" },
    ];
    const wrongDept = await t.call("POST", "/other-grades", "t-staff", { source: "tax", grades });
    expect(wrongDept.statusCode).toBe(403);
    expect(wrongDept.json().problems[0].code).toBe("grades.department");
    const city = await t.call("POST", "/other-grades", "t-city", { source: "tax", department: "SW", grades });
    expect(city.statusCode).toBe(200);
    expect(city.json()).toMatchObject({ status: "committed", accepted: 2 });
    const samr = await t.call("POST", "/other-grades", "t-staff", {
      source: "samr-risk",
      grades: [{ subject_code: FIRM, grade: "A", grade_date: "2026-10-01" }],
    });
    expect(samr.statusCode).toBe(200);
    const list = await t.call("GET", `/other-grades?subject=${OTHER}`, "t-insp");
    expect(list.json().items.map((g: { original: string; grade: string }) => [g.original, g.grade])).toEqual([
      ["M", "NR"],
    ]);
    expect(list.json().items[0]).toMatchObject({
      subjectCode: OTHER,
      source: "tax",
      department: "SW",
      gradeDate: "2026-04-15",
      validUntil: null,
      submittedBy: "t-city",
    });
  });

  it("lists the import batches each caller may see, and the agency's bound users to the city office", async () => {
    const list = async (u: string, query = "") => {
      const r = await t.app.inject({ url: `/api/v1/grade-imports${query}`, headers: as(u) });
      expect(r.statusCode).toBe(200);
      return r.json() as { items: Record<string, unknown>[]; total: number };
    };
    const all = await list("t-city");
    expect(all.total).toBe(4);
    // camelCase, and where the report lies on the server is not shown: only that there is one.
    expect(Object.keys(all.items[0]!).sort()).toEqual(
      [
        "id",
        "kind",
        "source",
        "department",
        "submitter",
        "channel",
        "fileName",
        "status",
        "accepted",
        "rejected",
        "hasRejects",
        "startedAt",
        "finishedAt",
      ].sort(),
    );
    const agency = await list("t-agency");
    expect(
      agency.items.map((b) => [b.kind, b.source, b.status, b.accepted, b.rejected, b.hasRejects]),
    ).toEqual([
      ["ratings", "XYPJ01", "committed", 1, 1, true],
      ["ratings", "XYPJ01", "rejected", 0, 1, true],
    ]);
    // The SCJG staff: the samr-risk batch it submitted; not the agency's, not the tax batch (SW).
    const staff = await list("t-staff");
    expect(staff.items.map((b) => [b.kind, b.source, b.department])).toEqual([
      ["grades", "samr-risk", "SCJG"],
    ]);
    expect((await list("t-zj")).total).toBe(0);
    expect((await list("t-city", "?kind=grades&source=tax")).items).toMatchObject([{ department: "SW" }]);

    const agencies = await t.call("GET", "/agencies", "t-city");
    expect(agencies.json()[0].members).toMatchObject([{ username: "t-agency", boundBy: "t-city" }]);
    const asStaff = await t.call("GET", "/agencies", "t-staff");
    expect(asStaff.json()[0]).not.toHaveProperty("members");
  });

  it("shows a subject its rating and grades; the enterprise sees only its own", async () => {
    const r = await t.call("GET", `/subjects/${FIRM}/external-grades?asOf=2026-11-29`, "t-ent");
    expect(r.statusCode).toBe(200);
    const b = r.json();
    expect(b.marketRating).toMatchObject({
      agency: "XYPJ01",
      rating: "AA+",
      score: 950,
      rule: "aaa-c@2014-06-14",
      ratingDate: "2026-03-01",
      validUntil: "2027-02-28",
    });
    expect(b.otherGrades[0]).toMatchObject({ department: "SCJG", gradeDate: "2026-10-01", validUntil: null });
    // The history names the subject once, at the top, not in every row.
    expect(b.history.ratings[0]).toMatchObject({
      agencyCode: "XYPJ01",
      rating: "AA+",
      ratingDate: "2026-03-01",
    });
    expect(b.history.ratings[0]).not.toHaveProperty("subjectCode");
    expect(b.history.grades.map((g: { gradeDate: string }) => g.gradeDate)).toEqual([
      "2026-10-01",
      "2026-04-15",
    ]);
    expect(
      b.otherGrades.map((g: { source: string; original: string; grade: string }) => [
        g.source,
        g.original,
        g.grade,
      ]),
    ).toEqual([
      ["samr-risk", "A", "B"],
      ["tax", "B", "B"],
    ]);
    const other = await t.call("GET", `/subjects/${OTHER}/external-grades`, "t-ent");
    expect(other.statusCode).toBe(404);
    const mine = await t.call("GET", "/ratings", "t-agency");
    expect(mine.json().total).toBe(1);
    expect(mine.json().items[0]).toMatchObject({
      agencyCode: "XYPJ01",
      subjectCode: FIRM,
      rating: "AA+",
      scale: "aaa-c",
      ratingDate: "2026-03-01",
      submittedBy: "t-agency",
    });
  });

  it("the evaluation folds the rating and grades in (EvalInput.marketRating / otherGrades)", async () => {
    const subject = await t.store.db
      .selectFrom("subjects")
      .selectAll()
      .where("code", "=", FIRM)
      .executeTakeFirstOrThrow();
    const extras = (await evalExtrasOf(t.store, [FIRM], "2026-11-29")).get(FIRM);
    const [bare] = evaluateSubject(modelSet(catalog()), subject, [], "2026-11-29");
    const [folded] = evaluateSubject(modelSet(catalog()), subject, [], "2026-11-29", { extras });
    // 950 × 3% = 29 (rounded) for the rating; tax B → B and SAMR A → B: 20 for a good grade elsewhere.
    expect(folded!.result.indicators).toMatchObject({ market_rating: 29, good_grade_elsewhere: 20 });
    expect(folded!.result.score - bare!.result.score).toBe(49);

    await evaluate(t.store, catalog(), { asOf: "2026-11-29", codes: [FIRM] });
    const row = (await currentEvaluation(t.store, FIRM))!;
    expect(JSON.parse(row.indicators)).toMatchObject({ market_rating: 29, good_grade_elsewhere: 20 });
  });
});
