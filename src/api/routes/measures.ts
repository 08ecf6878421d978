/**
 * Supervision by grade: the measures lists in force (监管措施清单), a subject's applicable measures, credit checks
 * (信用核查) by departments and their approval systems, the check log, and the subject's view of who checked it.
 */

import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import {
  CreditCheckBody,
  CreditCheckListQuery,
  CreditCheckPageSchema,
  CreditCheckSchema,
  MeasureListsQuery,
  MeasureListsSchema,
  SelfCreditCheckQuery,
  SubjectMeasuresParams,
  SubjectMeasuresQuery,
  SubjectMeasuresSchema,
} from "../../contract/measures.ts";
import { InputError, notFound, problem } from "../../core/problem.ts";
import { normalizeCode } from "../../core/uscc/uscc.ts";
import { creditCheckFilter, visibleCreditChecks } from "../../policies/measures.ts";
import { mayReadSubject } from "../../policies/records.ts";
import { measuresPolicy } from "../../policy/measures.ts";
import { audit } from "../../services/auth/audit.ts";
import {
  listCreditChecks,
  listsInForceView,
  measuresOfSubject,
  runCreditCheck,
} from "../../services/measures/measures.ts";
import type { AppContext } from "../context.ts";
import { operations } from "../operation.ts";

const subjectNotFound = (code: string) => notFound({ zh: `主体 ${code}`, en: `Subject ${code}` });

const purposeProblem = () =>
  new InputError([
    problem(
      "credit_check.purpose",
      {
        zh: "核查事由须为 2～200 个字",
        en: "The purpose must be 2 to 200 characters",
        fixZh: "写明为何核查，如“食品经营许可审批”",
        fixEn: "Say why you check, e.g. “food business licence application”",
      },
      { field: "purpose" },
    ),
  ]);

const measuresOp = operations(["measures"]);

export const measureRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { store, catalog } = ctx;
    // A list that does not fit stops the server at start, naming every problem, not a credit check later.
    measuresPolicy();

    app.get(
      "/measures",
      measuresOp(
        "measures.read",
        "现行监管措施清单 Measures lists in force (a department's and those for all departments)",
        { querystring: MeasureListsQuery, response: { 200: MeasureListsSchema } },
      ),
      async (req) => listsInForceView(store, catalog, req.query),
    );

    app.get(
      "/subjects/:code/measures",
      measuresOp(
        "records.read",
        "主体当前适用的监管措施 The measures that apply to a subject now, from its current grades",
        {
          params: SubjectMeasuresParams,
          querystring: SubjectMeasuresQuery,
          response: { 200: SubjectMeasuresSchema },
        },
      ),
      async (req) => {
        // `id:123` names a subject by id, as profile links of natural persons (shown masked) do.
        const byId = /^id:(\d{1,15})$/.exec(req.params.code);
        const code = byId
          ? ((
              await store.db
                .selectFrom("subjects")
                .select("code")
                .where("id", "=", Number(byId[1]))
                .executeTakeFirst()
            )?.code ?? "")
          : normalizeCode(req.params.code);
        const m = mayReadSubject(req.actor, code)
          ? await measuresOfSubject(store, catalog, code, req.query)
          : undefined;
        if (!m) throw subjectNotFound(req.params.code);
        await audit(store, req.actor, "subjects.measures", code, "ok", req.ip);
        return m;
      },
    );

    app.post(
      "/credit-checks",
      measuresOp(
        "credit_checks.create",
        "信用核查：适用的等级、监管措施及理由（记录核查人和事由）A credit check: grades, measures and reasons, logged",
        { body: CreditCheckBody, response: { 201: CreditCheckSchema } },
      ),
      async (req, reply) => {
        const purpose = req.body.purpose.trim();
        if ([...purpose].length < 2 || [...purpose].length > 200) throw purposeProblem();
        const code = normalizeCode(req.body.subject);
        const r = await runCreditCheck(store, catalog, req.actor, { ...req.body, subject: code, purpose });
        if (!r) {
          await audit(store, req.actor, "credit_checks.create", `${code} not found`, "failed", req.ip);
          throw subjectNotFound(req.body.subject);
        }
        await audit(
          store,
          req.actor,
          "credit_checks.create",
          `#${r.id} ${code} ${r.scenario.id}`,
          "ok",
          req.ip,
        );
        return reply.status(201).send(r);
      },
    );

    app.get(
      "/credit-checks",
      measuresOp("credit_checks.read", "信用核查记录（市信用办看全部，部门看本部门）The credit check log", {
        querystring: CreditCheckListQuery,
        response: { 200: CreditCheckPageSchema },
      }),
      async (req) => {
        const a = req.actor;
        const subject = req.query.subject ? normalizeCode(req.query.subject) : undefined;
        const scope = visibleCreditChecks(a);
        const r =
          scope.kind === "none"
            ? { items: [], total: 0 }
            : await listCreditChecks(store, { ...req.query, ...creditCheckFilter(scope, subject) });
        await audit(store, a, "credit_checks.read", subject ?? null, "ok", req.ip);
        return r;
      },
    );

    app.get(
      "/self/credit-checks",
      measuresOp("self.read", "谁查询了我的信用（核查人、部门、事由）Who checked our credit, and why", {
        querystring: SelfCreditCheckQuery,
        response: { 200: CreditCheckPageSchema },
      }),
      async (req) => {
        const scope = visibleCreditChecks(req.actor);
        if (scope.kind === "none") return { items: [], total: 0 };
        return listCreditChecks(store, { ...req.query, ...creditCheckFilter(scope, undefined) });
      },
    );
  };
