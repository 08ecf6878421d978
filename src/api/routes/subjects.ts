import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  CodeParams,
  IdNumberCheckSchema,
  IndustriesSchema,
  RegionListSchema,
  SubjectPageSchema,
  SubjectProfileSchema,
  SubjectSearchQuery,
  UsccCheckSchema,
} from "../../contract/subjects.ts";
import { checkIdNumber, isIdNumberLike } from "../../core/idcard/idcard.ts";
import { notFound } from "../../core/problem.ts";
import { industries, regions } from "../../core/reference/reference.ts";
import { checkUscc, normalizeCode } from "../../core/uscc/uscc.ts";
import { mayReadSubject } from "../../policies/records.ts";
import { audit } from "../../services/auth/audit.ts";
import { chinaToday } from "../../services/collect/ingest.ts";
import { recordsOfSubject } from "../../services/records/queries.ts";
import {
  getSubject,
  presentSubject as maskSubject,
  searchSubjects,
} from "../../services/subjects/queries.ts";
import type { AppContext } from "../context.ts";
import { operations } from "../operation.ts";
import { presentRecord } from "../presenters/record.ts";
import { presentSubject } from "../presenters/subject.ts";

const referenceOp = operations(["reference"]);
const subjectsOp = operations(["subjects"]);

export const subjectRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { store } = ctx;

    app.get(
      "/uscc/:code",
      subjectsOp("public", "校验统一社会信用代码 Check a unified social credit code", {
        params: CodeParams,
        response: { 200: UsccCheckSchema },
      }),
      async (req) => {
        const allow = await store.db
          .selectFrom("uscc_allowlist")
          .select("code")
          .where("code", "=", normalizeCode(req.params.code))
          .executeTakeFirst();
        return checkUscc(req.params.code, () => !!allow);
      },
    );

    app.get(
      "/subjects",
      subjectsOp("subjects.read", "市场主体查询 Search subjects", {
        querystring: SubjectSearchQuery,
        response: { 200: SubjectPageSchema },
      }),
      async (req) => {
        const { items, total } = await searchSubjects(store, req.query);
        return { items: items.map(presentSubject), total };
      },
    );

    app.get(
      "/subjects/:code",
      subjectsOp("records.read", "主体档案 A subject's profile and records", {
        params: CodeParams,
        response: { 200: SubjectProfileSchema },
      }),
      async (req) => {
        // `id:123` opens a subject by id: lists show natural persons' numbers masked.
        const byId = /^id:(\d{1,15})$/.exec(req.params.code);
        const found = byId
          ? await store.db
              .selectFrom("subjects")
              .selectAll()
              .where("id", "=", Number(byId[1]))
              .executeTakeFirst()
          : await getSubject(store, normalizeCode(req.params.code));
        const subject = found && mayReadSubject(req.actor, found.code) ? found : undefined;
        if (!subject) throw notFound({ zh: `主体 ${req.params.code}`, en: `Subject ${req.params.code}` });
        const code = subject.code;
        const records = await recordsOfSubject(store, code);
        await audit(store, req.actor, "subjects.profile", code, "ok", req.ip);
        const presented = maskSubject(subject);
        return {
          subject: presentSubject(presented),
          records: records.map((r) => presentRecord(r, presented.masked ? presented.code : r.subject_code)),
        };
      },
    );

    app.get(
      "/reference/regions",
      referenceOp("public", "行政区划 Administrative divisions (GB/T 2260)", {
        response: { 200: RegionListSchema },
      }),
      async () => [...regions()],
    );
    app.get(
      "/reference/industries",
      referenceOp("public", "国民经济行业分类 Industry sections and divisions (GB/T 4754)", {
        response: { 200: IndustriesSchema },
      }),
      async () => {
        const { sections, divisions } = industries();
        return { sections: [...sections], divisions: [...divisions] };
      },
    );

    app.get(
      "/idcheck/:code",
      subjectsOp(
        "public",
        "校验身份证号（结果中号码已脱敏）Check an identity number (masked in the answer)",
        { params: CodeParams, response: { 200: IdNumberCheckSchema } },
      ),
      async (req) => {
        const code = normalizeCode(req.params.code);
        if (!isIdNumberLike(code)) return { status: "invalid" as const };
        // The number itself is not repeated: the answer's schema has no field for it.
        const { status, reason, birthDate } = checkIdNumber(code, chinaToday());
        return { status, reason, birthDate };
      },
    );
  };
