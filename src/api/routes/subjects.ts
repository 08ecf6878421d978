import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { scopeSubject } from "../../core/auth/roles.ts";
import { checkIdNumber, isIdNumberLike } from "../../core/idcard/idcard.ts";
import { industries, regions } from "../../core/reference/reference.ts";
import { checkUscc, normalizeCode } from "../../core/uscc/uscc.ts";
import { audit } from "../../services/auth/audit.ts";
import { chinaToday } from "../../services/collect/ingest.ts";
import { recordsOfSubject } from "../../services/records/queries.ts";
import { getSubject, presentSubject, searchSubjects } from "../../services/subjects/queries.ts";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";

const SUBJECT_TYPES = [
  "enterprise",
  "individual",
  "cooperative",
  "social_org",
  "institution",
  "natural_person",
] as const;

export const subjectRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { store } = ctx;

    app.get(
      "/uscc/:code",
      {
        config: { permission: "public" },
        schema: {
          tags: ["subjects"],
          summary: "校验统一社会信用代码 Check a unified social credit code",
          params: z.object({ code: z.string().max(64) }),
        },
      },
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
      {
        config: { permission: "subjects.read" },
        schema: {
          tags: ["subjects"],
          summary: "市场主体查询 Search subjects",
          querystring: z.object({
            q: z.string().max(100).optional(),
            region: z
              .string()
              .regex(/^\d{6}$/)
              .optional(),
            industry: z
              .string()
              .regex(/^([A-T]|\d{2})$/)
              .optional(),
            type: z.enum(SUBJECT_TYPES).optional(),
            status: z.enum(["存续", "吊销", "注销", "迁出"]).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(20),
            offset: z.coerce.number().int().min(0).default(0),
          }),
        },
      },
      async (req) => searchSubjects(store, req.query),
    );

    app.get(
      "/subjects/:code",
      {
        config: { permission: "records.read" },
        schema: {
          tags: ["subjects"],
          summary: "主体档案 A subject's profile and records",
          params: z.object({ code: z.string().max(64) }),
        },
      },
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
        const subject = found && scopeSubject(req.actor, found.code) ? found : undefined;
        if (!subject) throw notFound({ zh: `主体 ${req.params.code}`, en: `Subject ${req.params.code}` });
        const code = subject.code;
        const records = await recordsOfSubject(store, code);
        await audit(store, req.actor, "subjects.profile", code, "ok", req.ip);
        const presented = presentSubject(subject);
        return {
          subject: presented,
          records: records.map((r) => (presented.masked ? { ...r, subject_code: presented.code } : r)),
        };
      },
    );

    app.get(
      "/reference/regions",
      { config: { permission: "public" }, schema: { tags: ["reference"] } },
      async () => regions(),
    );
    app.get(
      "/reference/industries",
      { config: { permission: "public" }, schema: { tags: ["reference"] } },
      async () => industries(),
    );

    app.get(
      "/idcheck/:code",
      {
        config: { permission: "public" },
        schema: {
          tags: ["subjects"],
          summary: "校验身份证号（结果中号码已脱敏）Check an identity number (masked in the answer)",
          params: z.object({ code: z.string().max(64) }),
        },
      },
      async (req) => {
        const code = normalizeCode(req.params.code);
        if (!isIdNumberLike(code)) return { status: "invalid" };
        const r = checkIdNumber(code, chinaToday());
        return { ...r, normalized: undefined, code: undefined };
      },
    );
  };
