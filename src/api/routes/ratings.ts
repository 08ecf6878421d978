/**
 * Market ratings (市场信用评价) and grades from other systems: the register of credit agencies, agency users'
 * rating submissions (JSON or file), departments' submissions of their own systems' grades (tax, SAMR risk
 * class…), and what a subject has from both — the original grade always beside the unified one.
 */

import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { type SqlBool, sql } from "kysely";
import { fileResponse } from "../../contract/common.ts";
import {
  AgencyBindingSchema,
  AgencyCodeParams,
  AgencyCreateBody,
  AgencyListSchema,
  AgencyMemberBody,
  AgencySchema,
  AgencyUpdateBody,
  type ExternalGrades,
  ExternalGradesParams,
  ExternalGradesQuery,
  ExternalGradesSchema,
  GradeImportListQuery,
  GradeImportPageSchema,
  GradeImportParams,
  type GradeImportResult,
  GradeImportResultSchema,
  GradeImportUnprocessableSchema,
  GradesBody,
  GradesImportQuery,
  MAX_JSON_ROWS,
  MarketRatingPageSchema,
  OtherGradeListQuery,
  OtherGradePageSchema,
  OtherGradeSourceListSchema,
  RatingListQuery,
  RatingScaleListSchema,
  RatingsBody,
  RatingsImportQuery,
} from "../../contract/ratings.ts";
import type { Actor } from "../../core/auth/roles.ts";
import { maskIfIdNumber } from "../../core/idcard/idcard.ts";
import { forbidden, InputError, notFound, problem } from "../../core/problem.ts";
import { normalizeCode } from "../../core/uscc/uscc.ts";
import type { HeaderDef } from "../../io/headers.ts";
import {
  actsForAgency,
  issuingDepartment,
  mayReadGradeImport,
  seesAgencyMembers,
  visibleGradeImports,
  visibleRatingsAgency,
} from "../../policies/ratings.ts";
import { mayReadSubject } from "../../policies/records.ts";
import { audit } from "../../services/auth/audit.ts";
import { chinaToday, newBatchId } from "../../services/collect/ingest.ts";
import { reevaluateImport } from "../../services/ratings/after-import.ts";
import { agencyMembers, agencyOfUser, listAgencies } from "../../services/ratings/agencies.ts";
import {
  bindCreditAgencyUser,
  changeCreditAgency,
  registerCreditAgency,
} from "../../services/ratings/commands.ts";
import { type CurrentRating, importRatings, RATING_COLUMNS } from "../../services/ratings/market.ts";
import {
  GRADE_COLUMNS,
  gradeSource,
  importOtherGrades,
  type StoredGrade,
} from "../../services/ratings/other-grades.ts";
import { otherGradeSources, ratingScales } from "../../services/ratings/scales.ts";
import { externalGradesOf } from "../../services/ratings/subject.ts";
import {
  type FileRowSource,
  fileRows,
  type ImportResult,
  jsonRows,
  type RowSource,
} from "../../services/ratings/table-import.ts";
import { paged } from "../../store/paged.ts";
import { callerOf } from "../caller.ts";
import type { AppContext } from "../context.ts";
import { langOf, problemBody } from "../errors.ts";
import { operations } from "../operation.ts";
import { presentAgency } from "../presenters/agency.ts";
import { presentGradeImport } from "../presenters/grade-import.ts";
import { presentMarketRating } from "../presenters/market-rating.ts";
import { presentOtherGrade } from "../presenters/other-grade.ts";

export { MAX_JSON_ROWS };

/**
 * An import result as callers see it: the rejects report as a download URL under the API, never the server's
 * path to the file (nor the subjects written, which are for re-evaluation).
 */
function resultView(r: ImportResult): GradeImportResult {
  return {
    batchId: r.batchId,
    status: r.status,
    accepted: r.accepted,
    rejected: r.rejected,
    problems: r.problems,
    ...(r.rejectsFile
      ? { rejectsUrl: `/api/v1/grade-imports/${encodeURIComponent(r.batchId)}/rejects` }
      : {}),
  };
}

/** The answers of an import: done (200), or refused (422: as a whole with its batch and counts, or the file before any batch). */
const importResponses = { 200: GradeImportResultSchema, 422: GradeImportUnprocessableSchema };

const presentCurrentRating = (r: CurrentRating): NonNullable<ExternalGrades["marketRating"]> => ({
  agency: r.agency,
  rating: r.rating,
  scale: r.scale,
  score: r.score,
  rule: r.rule,
  ratingDate: r.rating_date,
  validUntil: r.valid_until,
});

const presentStoredGrade = (g: StoredGrade): ExternalGrades["otherGrades"][number] => ({
  source: g.source,
  original: g.original,
  grade: g.grade,
  rule: g.rule,
  department: g.department,
  gradeDate: g.grade_date,
  validUntil: g.valid_until,
});

function sendResult(req: FastifyRequest, reply: FastifyReply, r: ImportResult) {
  if (r.status !== "rejected") return reply.status(200).send(resultView(r));
  const lang = langOf(req.headers["accept-language"], req.query);
  const { message } = problemBody(r.problems, lang, 422);
  return reply.status(422).send({ ...resultView(r), error: "invalid_input", message });
}

const unbound = () =>
  new InputError(
    [
      problem("agency.unbound", {
        zh: "你的账号尚未绑定信用服务机构",
        en: "Your account is not bound to a credit agency",
        fixZh: "请市信用办将账号绑定到你所在的机构",
        fixEn: "Ask the city credit office to bind your account to your agency",
      }),
    ],
    403,
  );

const noFile = () =>
  new InputError([
    problem("upload.missing", {
      zh: "没有收到文件",
      en: "No file was received",
      fixZh: "以 multipart/form-data 上传，字段名 file",
      fixEn: "Upload as multipart/form-data with the field name file",
    }),
  ]);

/** The department a caller submits other grades for (src/policies/ratings.ts), or 403. */
function issuingDepartmentOf(actor: Actor, requested: string | undefined, cityOffice: string): string {
  const department = issuingDepartment(actor, requested, cityOffice);
  if (!department) throw forbidden();
  return department;
}

const ratingsOp = operations(["ratings"]);

export const ratingRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { store, catalog } = ctx;
    const rejectsDir = path.join(ctx.dataDir, "rejects");
    /** The agency an agency user's account is bound to (null: none, or not an agency user). */
    const ownAgencyOf = async (actor: Actor) =>
      actsForAgency(actor) ? ((await agencyOfUser(store, actor.id)) ?? null) : null;

    /**
     * Saves an uploaded file, runs `fn` on its rows, and removes it. An uploaded file is untrusted: it is read in
     * a worker thread (services/collect/threaded.ts).
     */
    async function withUploadedRows<T>(
      req: FastifyRequest,
      columns: readonly HeaderDef[],
      fn: (rows: FileRowSource, name: string) => Promise<T>,
    ): Promise<T> {
      const part = await req.file();
      if (!part) throw noFile();
      const dir = path.join(ctx.dataDir, "uploads");
      fs.mkdirSync(dir, { recursive: true });
      const tmp = path.join(
        dir,
        `${newBatchId()}${path
          .extname(part.filename)
          .replace(/[^.A-Za-z0-9]/g, "")
          .slice(0, 8)}`,
      );
      try {
        await pipeline(part.file, fs.createWriteStream(tmp));
        if (part.file.truncated)
          throw new InputError([
            problem("upload.too_large", {
              zh: "上传文件过大",
              en: "The file is too large",
              fixZh: "拆分文件，或用命令行导入",
              fixEn: "Split the file, or import it with the command line",
            }),
          ]);
        const rows = await fileRows(tmp, columns, part.filename, { worker: true });
        try {
          return await fn(rows, part.filename);
        } finally {
          rows.close();
        }
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    }

    async function finish(req: FastifyRequest, reply: FastifyReply, action: string, r: ImportResult) {
      await reevaluateImport(store, catalog, r);
      await audit(store, req.actor, action, r.batchId, r.status === "committed" ? "ok" : "failed", req.ip);
      return sendResult(req, reply, r);
    }

    // ---- agencies ----
    app.get(
      "/agencies",
      ratingsOp("agencies.read", "信用服务机构名录 Registered credit agencies", {
        response: { 200: AgencyListSchema },
      }),
      async (req) => {
        if (actsForAgency(req.actor)) {
          const own = await agencyOfUser(store, req.actor.id);
          return own ? (await listAgencies(store, own)).map((a) => presentAgency(a)) : [];
        }
        const agencies = await listAgencies(store);
        if (!seesAgencyMembers(req.actor)) return agencies.map((a) => presentAgency(a));
        // The city credit office, which binds them, also sees the users acting for each agency.
        const members = await agencyMembers(store);
        return agencies.map((a) => presentAgency(a, members.get(a.code) ?? []));
      },
    );

    app.get(
      "/agency-scales",
      ratingsOp("catalog.read", "评级标度及其折算 Rating scales and their mapping to 0–1000", {
        response: { 200: RatingScaleListSchema },
      }),
      async () => {
        const today = chinaToday();
        return [...ratingScales().values()].map((s) => ({
          id: s.id,
          kind: s.kind,
          title: { zh: s.title_zh, en: s.title_en },
          ...(s.kind === "letters" ? { grades: s.grades } : { min: s.min, max: s.max }),
          points: s.points.find((p) => p.from <= today && (!p.to || today <= p.to)) ?? null,
        }));
      },
    );

    app.post(
      "/agencies",
      ratingsOp("agencies.manage", "登记信用服务机构 Register a credit agency", {
        body: AgencyCreateBody,
        response: { 201: AgencySchema },
      }),
      async (req, reply) => {
        const a = await registerCreditAgency(store, callerOf(req), req.body);
        return reply.status(201).send(presentAgency(a));
      },
    );

    app.patch(
      "/agencies/:code",
      ratingsOp(
        "agencies.manage",
        "修改机构（暂停后其评级不再计入评价）Update an agency (a suspended agency's ratings stop counting)",
        { params: AgencyCodeParams, body: AgencyUpdateBody, response: { 200: AgencySchema } },
      ),
      async (req) => {
        return presentAgency(await changeCreditAgency(store, callerOf(req), req.params.code, req.body));
      },
    );

    app.post(
      "/agencies/:code/members",
      ratingsOp("agencies.manage", "绑定机构用户 Bind an agency user to the agency", {
        params: AgencyCodeParams,
        body: AgencyMemberBody,
        response: { 201: AgencyBindingSchema },
      }),
      async (req, reply) => {
        const m = await bindCreditAgencyUser(store, callerOf(req), req.params.code, req.body.username);
        return reply.status(201).send(m);
      },
    );

    /** How a batch of ratings or grades was submitted: by whom, as JSON or a file, and what to do with bad rows. */
    const batchOf = (req: FastifyRequest, acceptValid: boolean, fileName?: string) => ({
      submitter: req.actor.name,
      channel: fileName ? ("file" as const) : ("rest" as const),
      ...(fileName ? { fileName } : {}),
      acceptValid,
      rejectsDir,
    });

    // ---- market ratings ----
    const ratingsFor = async (
      req: FastifyRequest,
      rows: RowSource,
      acceptValid: boolean,
      fileName?: string,
    ) => {
      const agency = await agencyOfUser(store, req.actor.id);
      if (!agency) throw unbound();
      return importRatings(store, rows, { agency, ...batchOf(req, acceptValid, fileName) });
    };

    app.post(
      "/ratings",
      ratingsOp(
        "ratings.submit",
        `报送市场信用评价（最多 ${MAX_JSON_ROWS} 条）Submit market ratings (up to ${MAX_JSON_ROWS})`,
        { body: RatingsBody, response: importResponses },
        { bodyLimit: 16 * 1024 * 1024 },
      ),
      async (req, reply) => {
        const r = await ratingsFor(req, jsonRows(req.body.ratings), req.body.acceptValid);
        return finish(req, reply, "ratings.submit", r);
      },
    );

    app.post(
      "/ratings/imports",
      ratingsOp("ratings.submit", "上传评级文件（CSV/XLSX）Import a file of market ratings", {
        consumes: ["multipart/form-data"],
        querystring: RatingsImportQuery,
        response: importResponses,
      }),
      async (req, reply) => {
        const r = await withUploadedRows(req, RATING_COLUMNS, (rows, name) =>
          ratingsFor(req, rows, req.query.acceptValid === "true", name),
        );
        return finish(req, reply, "ratings.import", r);
      },
    );

    app.get(
      "/ratings",
      ratingsOp(
        "ratings.read",
        "市场信用评价（原始等级与折算分）Market ratings as given, with their normalised score",
        { querystring: RatingListQuery, response: { 200: MarketRatingPageSchema } },
      ),
      async (req) => {
        const visible = visibleRatingsAgency(req.actor, await ownAgencyOf(req.actor), req.query.agency);
        let q = store.db.selectFrom("market_ratings");
        if (visible === "none") q = q.where(sql<SqlBool>`1 = 0`);
        else if (visible.agency) q = q.where("agency_code", "=", visible.agency);
        if (req.query.subject) q = q.where("subject_code", "=", normalizeCode(req.query.subject));
        const { items, total } = await paged(q, req.query, (q) =>
          q.selectAll().orderBy("rating_date", "desc").orderBy("id", "desc"),
        );
        return { items: items.map(presentMarketRating), total };
      },
    );

    // ---- grades of other systems ----
    app.get(
      "/other-grades/sources",
      ratingsOp("catalog.read", "其他评价体系 Other grading systems and their issuers", {
        response: { 200: OtherGradeSourceListSchema },
      }),
      async () => [...otherGradeSources().values()],
    );

    const gradesFor = async (
      req: FastifyRequest,
      source: string,
      department: string | undefined,
      rows: RowSource,
      acceptValid: boolean,
      fileName?: string,
    ) =>
      importOtherGrades(store, rows, {
        source: gradeSource(source).id,
        department: issuingDepartmentOf(req.actor, department, catalog.cityOffice),
        ...batchOf(req, acceptValid, fileName),
      });

    app.post(
      "/other-grades",
      ratingsOp(
        "grades.submit",
        `报送其他体系的等级（最多 ${MAX_JSON_ROWS} 条）Submit grades of another system`,
        { body: GradesBody, response: importResponses },
        { bodyLimit: 16 * 1024 * 1024 },
      ),
      async (req, reply) => {
        const b = req.body;
        const r = await gradesFor(req, b.source, b.department, jsonRows(b.grades), b.acceptValid);
        return finish(req, reply, "grades.submit", r);
      },
    );

    app.post(
      "/other-grades/imports",
      ratingsOp("grades.submit", "上传其他体系等级文件（CSV/XLSX）Import a file of another system's grades", {
        consumes: ["multipart/form-data"],
        querystring: GradesImportQuery,
        response: importResponses,
      }),
      async (req, reply) => {
        const q = req.query;
        // The source and the department are checked before the file is read.
        gradeSource(q.source);
        issuingDepartmentOf(req.actor, q.department, catalog.cityOffice);
        const r = await withUploadedRows(req, GRADE_COLUMNS, (rows, name) =>
          gradesFor(req, q.source, q.department, rows, q.acceptValid === "true", name),
        );
        return finish(req, reply, "grades.import", r);
      },
    );

    app.get(
      "/other-grades",
      ratingsOp(
        "subjects.read",
        "其他体系的等级（原始等级与统一等级）Other systems' grades, original and unified",
        { querystring: OtherGradeListQuery, response: { 200: OtherGradePageSchema } },
      ),
      async (req) => {
        let q = store.db.selectFrom("other_grades");
        if (req.query.source) q = q.where("source", "=", req.query.source);
        if (req.query.subject) q = q.where("subject_code", "=", normalizeCode(req.query.subject));
        const { items, total } = await paged(q, req.query, (q) =>
          q.selectAll().orderBy("grade_date", "desc").orderBy("id", "desc"),
        );
        return { items: items.map(presentOtherGrade), total };
      },
    );

    // ---- import batches (ratings and grades) ----
    app.get(
      "/grade-imports",
      ratingsOp(
        "ratings.read",
        "评级与其他体系等级的导入批次 Import batches of ratings and other systems' grades, newest first",
        { querystring: GradeImportListQuery, response: { 200: GradeImportPageSchema } },
      ),
      async (req) => {
        const a = req.actor;
        let q = store.db.selectFrom("grade_imports");
        if (req.query.kind) q = q.where("kind", "=", req.query.kind);
        if (req.query.source) q = q.where("source", "=", req.query.source);
        const scope = visibleGradeImports(a, await ownAgencyOf(a));
        if (scope.kind === "agency")
          q =
            scope.agency === null
              ? q.where(sql<SqlBool>`1 = 0`)
              : q.where("kind", "=", "ratings").where("source", "=", scope.agency);
        else if (scope.kind === "own")
          q = q.where((eb) =>
            eb.or([
              eb("submitter", "=", scope.submitter),
              ...(scope.department === null
                ? []
                : [eb.and([eb("kind", "=", "grades"), eb("department", "=", scope.department)])]),
            ]),
          );
        const { items, total } = await paged(q, req.query, (q) =>
          q.selectAll().orderBy("started_at", "desc").orderBy("id", "desc"),
        );
        return { items: items.map(presentGradeImport), total };
      },
    );

    // ---- rejects reports ----
    app.get(
      "/grade-imports/:id/rejects",
      ratingsOp(
        "ratings.read",
        "下载评级/等级导入的错误报告 Rejects report of a rating or grade import (CSV)",
        { params: GradeImportParams, response: { 200: fileResponse("错误报告 The rejects report (CSV)") } },
      ),
      async (req, reply) => {
        const b = await store.db
          .selectFrom("grade_imports")
          .selectAll()
          .where("id", "=", req.params.id)
          .executeTakeFirst();
        const own = b && mayReadGradeImport(visibleGradeImports(req.actor, await ownAgencyOf(req.actor)), b);
        if (!own || !b.rejects_file || !fs.existsSync(b.rejects_file))
          throw notFound({
            zh: `导入批次 ${req.params.id} 的错误报告`,
            en: `Rejects report of ${req.params.id}`,
          });
        return reply
          .header("content-disposition", `attachment; filename="${b.id}-rejects.csv"`)
          .type("text/csv; charset=utf-8")
          .send(fs.createReadStream(b.rejects_file));
      },
    );

    // ---- a subject's ratings and other grades ----
    app.get(
      "/subjects/:code/external-grades",
      ratingsOp(
        "records.read",
        "主体的市场信用评价与其他体系等级（原始与统一等级并列）A subject's market rating and other systems' grades",
        {
          params: ExternalGradesParams,
          querystring: ExternalGradesQuery,
          response: { 200: ExternalGradesSchema },
        },
      ),
      async (req) => {
        const code = normalizeCode(req.params.code);
        if (!mayReadSubject(req.actor, code))
          throw notFound({ zh: `主体 ${req.params.code}`, en: `Subject ${req.params.code}` });
        const asOf = req.query.asOf ?? chinaToday();
        const [current, ratingHistory, gradeHistory] = await Promise.all([
          externalGradesOf(store, code, asOf),
          store.db
            .selectFrom("market_ratings")
            .selectAll()
            .where("subject_code", "=", code)
            .orderBy("rating_date", "desc")
            .limit(100)
            .execute(),
          store.db
            .selectFrom("other_grades")
            .selectAll()
            .where("subject_code", "=", code)
            .orderBy("grade_date", "desc")
            .limit(100)
            .execute(),
        ]);
        await audit(store, req.actor, "subjects.external_grades", code, "ok", req.ip);
        // The history leaves out the subject's code: the answer names the subject once, masked if need be.
        return {
          subject: maskIfIdNumber(code),
          asOf,
          marketRating: current.marketRating ? presentCurrentRating(current.marketRating) : null,
          otherGrades: current.otherGrades.map(presentStoredGrade),
          history: {
            ratings: ratingHistory.map((r) => {
              const { subjectCode: _s, ...rest } = presentMarketRating(r);
              return rest;
            }),
            grades: gradeHistory.map((g) => {
              const { subjectCode: _s, ...rest } = presentOtherGrade(g);
              return rest;
            }),
          },
        };
      },
    );
  };
