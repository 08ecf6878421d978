import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { fileResponse } from "../../contract/common.ts";
import {
  BatchIdParams,
  BatchListQuery,
  CatalogQuery,
  CatalogSchema,
  CategoryParams,
  ImportBatchDetailSchema,
  ImportBatchPageSchema,
  ImportQuery,
  ImportStartedSchema,
  IngestResultSchema,
  RawRecord,
  RecordBatchBody,
  RecordHistorySchema,
  RecordIdParams,
  RevokeBody,
  TemplateQuery,
} from "../../contract/records.ts";
import type { Actor } from "../../core/auth/roles.ts";
import { categoriesInForce, categoryColumns, findCategory } from "../../core/catalog/catalog.ts";
import { maskIfIdNumber } from "../../core/idcard/idcard.ts";
import { forbidden, InputError, notFound, problem } from "../../core/problem.ts";
import { templateFor } from "../../io/export.ts";
import {
  mayReadBatch,
  mayReadSubject,
  mayRevokeRecord,
  rowsOnlyOf,
  submitDepartment,
  visibleBatches,
} from "../../policies/records.ts";
import { audit } from "../../services/auth/audit.ts";
import { importFile } from "../../services/collect/file.ts";
import {
  chinaToday,
  type IngestOptions,
  type IngestResult,
  ingest,
  newBatchId,
  type SourceRow,
} from "../../services/collect/ingest.ts";
import { importProgress, trackImport, untrackImport } from "../../services/collect/jobs.ts";
import { keepWorkerWarm } from "../../services/collect/threaded.ts";
import { reevaluateBatch } from "../../services/evaluate/after-ingest.ts";
import { revokeRecord } from "../../services/records/commands.ts";
import {
  getBatch,
  listBatches,
  recordHistory,
  subjectCorrectionsOfBatch,
} from "../../services/records/queries.ts";
import type { AppContext } from "../context.ts";
import { langOf, problemBody } from "../errors.ts";
import { operations } from "../operation.ts";
import { presentBatch, presentIngestResult } from "../presenters/batch.ts";
import { presentRecord } from "../presenters/record.ts";

/** Most records one JSON batch may carry; larger sets go through file import. */
const catalogOp = operations(["catalog"]);
const recordsOp = operations(["records"]);

export const MAX_JSON_BATCH = 10_000;

/** The department a caller submits for, and whether rows of other departments are refused. */
function submission(actor: Actor, requested: string | undefined) {
  const department = submitDepartment(actor, requested);
  if (department === false) throw forbidden();
  return {
    submitter: actor.name,
    submitterRole: actor.role,
    department,
    onlyDepartment: rowsOnlyOf(actor),
  };
}

/** 422 for a refused batch, with the first problem as the message in the caller's language. */
function sendResult(req: FastifyRequest, reply: FastifyReply, r: IngestResult) {
  if (r.status !== "rejected") return reply.status(200).send(presentIngestResult(r));
  const lang = langOf(req.headers["accept-language"], req.query);
  const { message } = problemBody(r.problems, lang, 422);
  return reply.status(422).send({ ...presentIngestResult(r), error: "invalid_input", message });
}

export const recordRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const { store, catalog } = ctx;
    // Uploaded files are read in worker threads; a server keeps one started, so an upload does not wait.
    keepWorkerWarm();

    /** A batch the caller may see; other departments' batches do not exist for them (404). */
    async function visibleBatch(actor: Actor, id: string) {
      const b = await getBatch(store, id);
      if (!b || !mayReadBatch(actor, b)) throw notFound({ zh: `导入批次 ${id}`, en: `Import batch ${id}` });
      return b;
    }

    /**
     * Resolves once the batch row of a background import exists (or after 30 seconds): the file is opened in
     * a worker thread first, which can take a second or more on a busy server, and a caller told 202 must
     * find the batch when it asks for it. Stops early once `settled()` (the import ended without a batch).
     */
    async function waitForBatch(id: string, settled: () => boolean): Promise<undefined> {
      for (let i = 0; i < 1500 && !settled(); i++) {
        if (await getBatch(store, id)) return undefined;
        await new Promise((r) => setTimeout(r, 20));
      }
      return undefined;
    }

    app.get(
      "/catalog",
      catalogOp("public", "公共信用信息目录 Categories in force", {
        querystring: CatalogQuery,
        response: { 200: CatalogSchema },
      }),
      async (req) => {
        const date = req.query.date ?? chinaToday();
        return {
          date,
          source: catalog.source,
          categories: categoriesInForce(catalog, date).map((c) => {
            const { effective_from, effective_to, ...rest } = c;
            return {
              ...rest,
              effectiveFrom: effective_from,
              effectiveTo: effective_to,
              columns: categoryColumns(catalog, c).map(({ def, required }) => ({ ...def, required })),
            };
          }),
          regimes: catalog.regimes.map(({ effective_from, effective_to, ...r }) => ({
            ...r,
            effectiveFrom: effective_from,
            effectiveTo: effective_to,
          })),
          departments: catalog.departments,
        };
      },
    );

    app.get(
      "/catalog/:category/template",
      catalogOp("public", "下载导入模板 Header template for a category", {
        params: CategoryParams,
        querystring: TemplateQuery,
        response: { 200: fileResponse("导入模板（CSV 或 XLSX）The template file (CSV or XLSX)") },
      }),
      async (req, reply) => {
        const category = findCategory(catalog, req.params.category);
        if (!category)
          throw notFound({ zh: `信息类别 ${req.params.category}`, en: `Category ${req.params.category}` });
        const columns = categoryColumns(catalog, category).map(({ def, required }) => ({
          zh: def.zh,
          en: def.en,
          required,
        }));
        const { format, lang } = req.query;
        const body = await templateFor(columns, lang, format);
        const name = `${category.code}-template-${lang}.${format}`;
        return reply
          .header("content-disposition", `attachment; filename="${name}"`)
          .type(
            format === "csv"
              ? "text/csv; charset=utf-8"
              : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          )
          .send(body);
      },
    );

    /** Records sent as JSON: ingested as one batch, the subjects re-evaluated, the submission audited. */
    const submitJson = async (
      req: FastifyRequest,
      reply: FastifyReply,
      action: "records.submit" | "records.batch",
      rows: SourceRow[],
      opts: Omit<IngestOptions, "channel" | "rejectsDir">,
    ) => {
      const r = await ingest(store, catalog, [rows], {
        ...opts,
        channel: "rest",
        rejectsDir: path.join(ctx.dataDir, "rejects"),
      });
      await reevaluateBatch(store, catalog, r);
      await audit(store, req.actor, action, r.batchId, r.status === "committed" ? "ok" : "failed", req.ip);
      return sendResult(req, reply, r);
    };

    app.post(
      "/records",
      recordsOp("records.submit", "报送一条信用记录 Submit one record", {
        body: RawRecord,
        response: { 200: IngestResultSchema },
      }),
      async (req, reply) => {
        const dept = typeof req.body.department === "string" ? req.body.department : undefined;
        return submitJson(
          req,
          reply,
          "records.submit",
          [{ row: 1, raw: req.body }],
          submission(req.actor, dept),
        );
      },
    );

    app.post(
      "/records/batch",
      recordsOp(
        "records.submit",
        `批量报送（最多 ${MAX_JSON_BATCH} 条）Submit a batch of up to ${MAX_JSON_BATCH} records`,
        { body: RecordBatchBody(MAX_JSON_BATCH), response: { 200: IngestResultSchema } },
        { bodyLimit: 64 * 1024 * 1024 },
      ),
      async (req, reply) => {
        const { records, department, category, acceptValid } = req.body;
        return submitJson(
          req,
          reply,
          "records.batch",
          records.map((raw, i) => ({ row: i + 1, raw })),
          { ...submission(req.actor, department), category, acceptValid },
        );
      },
    );

    app.post(
      "/imports",
      recordsOp(
        "records.submit",
        "上传文件导入（CSV UTF-8/GB18030、XLSX），后台执行，轮询批次查看进度 Import a file; runs in the background (wait=true: answer when done)",
        {
          consumes: ["multipart/form-data"],
          querystring: ImportQuery,
          response: { 200: IngestResultSchema, 202: ImportStartedSchema },
        },
      ),
      async (req, reply) => {
        const part = await req.file();
        if (!part)
          throw new InputError([
            problem("upload.missing", {
              zh: "没有收到文件",
              en: "No file was received",
              fixZh: "以 multipart/form-data 上传，字段名 file",
              fixEn: "Upload as multipart/form-data with the field name file",
            }),
          ]);
        const dir = path.join(ctx.dataDir, "uploads");
        fs.mkdirSync(dir, { recursive: true });
        const who = submission(req.actor, req.query.department);
        const batchId = newBatchId();
        const tmp = path.join(
          dir,
          `${batchId}${path
            .extname(part.filename)
            .replace(/[^.A-Za-z0-9]/g, "")
            .slice(0, 8)}`,
        );
        let started = false;
        try {
          await pipeline(part.file, fs.createWriteStream(tmp));
          if (part.file.truncated) throw new InputError([problem("upload.too_large", uploadTooLarge)], 413);
          const progress = trackImport(batchId);
          const job = importFile(store, catalog, tmp, {
            ...who,
            batchId,
            fileName: part.filename,
            category: req.query.category,
            acceptValid: req.query.acceptValid === "true",
            rejectsDir: path.join(ctx.dataDir, "rejects"),
            onProgress: progress,
            // An uploaded file is untrusted: it is read in a worker thread whatever its size (threaded.ts).
            worker: true,
          })
            .then(async (r) => {
              await reevaluateBatch(store, catalog, r);
              return r;
            })
            .finally(() => {
              untrackImport(batchId);
              fs.rmSync(tmp, { force: true });
            });
          started = true;
          const auditImport = (r: IngestResult) =>
            audit(
              store,
              req.actor,
              "imports.file",
              `${r.batchId} ${part.filename}`,
              r.status === "committed" ? "ok" : "failed",
              req.ip,
            );
          if (req.query.wait === "true") {
            const r = await job;
            await auditImport(r);
            return sendResult(req, reply, r);
          }
          // The batch row exists once the header is read; file-level problems (unknown columns) fail fast.
          let settled = false;
          const done = () => {
            settled = true;
          };
          job.then(done, done);
          const early = await Promise.race([job.then((r) => ({ r })), waitForBatch(batchId, () => settled)]);
          if (early && "r" in early) return sendResult(req, reply, early.r);
          job.then(auditImport, (e) => req.log.warn({ err: e, batchId }, "import failed"));
          return reply.status(202).send({ batchId, status: "running" as const });
        } finally {
          if (!started) fs.rmSync(tmp, { force: true });
        }
      },
    );

    app.get(
      "/imports",
      recordsOp("imports.read", "导入批次 Import batches", {
        querystring: BatchListQuery,
        response: { 200: ImportBatchPageSchema },
      }),
      async (req) => {
        const departments = visibleBatches(req.actor, req.query.department);
        const { items, total } = await listBatches(store, { ...req.query, departments });
        return { items: items.map(presentBatch), total };
      },
    );

    app.get(
      "/imports/:id",
      recordsOp("imports.read", "导入批次详情 An import batch, its progress and corrections of subject", {
        params: BatchIdParams,
        response: { 200: ImportBatchDetailSchema },
      }),
      async (req) => {
        const b = await visibleBatch(req.actor, req.params.id);
        const progress = importProgress(b.id);
        const corrections = (await subjectCorrectionsOfBatch(store, b.id)).map((c) => ({
          ...c,
          from: maskIfIdNumber(c.from),
          to: maskIfIdNumber(c.to),
        }));
        return { ...presentBatch(b), ...(progress ? { progress } : {}), subjectCorrections: corrections };
      },
    );

    app.get(
      "/imports/:id/rejects",
      recordsOp("imports.read", "下载错误报告 Download the rejects report (CSV)", {
        params: BatchIdParams,
        response: { 200: fileResponse("错误报告 The rejects report (CSV)") },
      }),
      async (req, reply) => {
        const b = await visibleBatch(req.actor, req.params.id);
        if (!b.rejects_file || !fs.existsSync(b.rejects_file))
          throw notFound({
            zh: `批次 ${req.params.id} 的错误报告`,
            en: `Rejects report of batch ${req.params.id}`,
          });
        return reply
          .header("content-disposition", `attachment; filename="${b.id}-rejects.csv"`)
          .type("text/csv; charset=utf-8")
          .send(fs.createReadStream(b.rejects_file));
      },
    );

    app.get(
      "/records/:id",
      recordsOp("records.read", "一条记录及其全部版本 A record with all its versions", {
        params: RecordIdParams,
        response: { 200: RecordHistorySchema },
      }),
      async (req) => {
        // Only the versions about a subject the caller may see: an enterprise sees its own subject's versions,
        // never a version (before or after a correction of the subject) that names another subject.
        const versions = (await recordHistory(store, req.params.id))?.filter((v) =>
          mayReadSubject(req.actor, v.subject_code),
        );
        if (!versions?.length) throw notFound({ zh: `记录 ${req.params.id}`, en: `Record ${req.params.id}` });
        // A natural person's identity number is masked in every output by default.
        const shown = versions.map((v) => presentRecord(v, maskIfIdNumber(v.subject_code)));
        return { id: req.params.id, versions: shown };
      },
    );

    app.post(
      "/records/:id/revoke",
      recordsOp("records.revoke", "撤销记录 Revoke a record (a new version; nothing is deleted)", {
        params: RecordIdParams,
        body: RevokeBody,
        response: { 200: IngestResultSchema },
      }),
      async (req, reply) => {
        const rec = await store.db
          .selectFrom("credit_records")
          .select("department")
          .where("id", "=", req.params.id)
          .executeTakeFirst();
        if (!rec) throw notFound({ zh: `记录 ${req.params.id}`, en: `Record ${req.params.id}` });
        if (!mayRevokeRecord(req.actor, rec)) throw forbidden();
        const r = await revokeRecord(store, catalog, req.params.id, req.body.reason, req.actor.name, {
          rejectsDir: path.join(ctx.dataDir, "rejects"),
        });
        if (!r) throw notFound({ zh: `记录 ${req.params.id}`, en: `Record ${req.params.id}` });
        await reevaluateBatch(store, catalog, r);
        await audit(
          store,
          req.actor,
          "records.revoke",
          String(req.params.id),
          r.status === "committed" ? "ok" : "failed",
          req.ip,
        );
        return sendResult(req, reply, r);
      },
    );
  };

const uploadTooLarge = {
  zh: "上传文件超过大小上限",
  en: "The uploaded file is over the size limit",
  fixZh: "拆分文件，或用命令行 credit import 导入大文件",
  fixEn: "Split the file, or import large files with the command line: credit import",
};
