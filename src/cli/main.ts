import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { buildApp } from "../api/app.ts";
import { categoriesInForce, categoryColumns, findCategory } from "../core/catalog/catalog.ts";
import { GRADES_OR_NR } from "../core/grades.ts";
import { formatProblem, InputError } from "../core/problem.ts";
import { checkUscc, normalizeCode } from "../core/uscc/uscc.ts";
import { loadDemo } from "../demo/load.ts";
import { templateFor } from "../io/export.ts";
import { catalog } from "../policy/load.ts";
import { ensureAdministrator } from "../services/auth/accounts.ts";
import { audit } from "../services/auth/audit.ts";
import { createDemoAccounts, DEMO_ACCOUNTS, DEMO_PASSWORD } from "../services/auth/demo.ts";
import { prepareStore } from "../services/bootstrap.ts";
import { importFile } from "../services/collect/file.ts";
import { chinaToday } from "../services/collect/ingest.ts";
import { audited, commandLineCaller } from "../services/command.ts";
import { reevaluateBatch } from "../services/evaluate/after-ingest.ts";
import { explainSubject } from "../services/evaluate/explain.ts";
import { evaluate } from "../services/evaluate/run.ts";
import { DEFAULT_SQLITE_FILE, isPostgresUrl, openStore, type Store } from "../store/db.ts";
import { migrate } from "../store/migrations/index.ts";
import { err, out, withStore } from "./common.ts";
import { registerDrawCommands } from "./draw.ts";
import { registerModelRatingCommands } from "./models-ratings.ts";

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError("expected a positive whole number 应为正整数");
  return n;
}

function dataDir(): string {
  const url = process.env.DATABASE_URL;
  if (url && !isPostgresUrl(url)) return path.dirname(path.resolve(url.replace(/^file:/, "")));
  return path.resolve(path.dirname(DEFAULT_SQLITE_FILE));
}

const program = new Command("credit")
  .description("信用分级分类监管平台 Credit Grading & Supervision Platform")
  .showHelpAfterError();

program
  .command("uscc")
  .description("校验统一社会信用代码，每个代码输出一行 JSON / check codes, one JSON line each")
  .argument("<code...>")
  .action(async (codes: string[]) => {
    // The allow-list lives in the database; without one (a fresh machine) nothing is allow-listed.
    const url = process.env.DATABASE_URL ?? DEFAULT_SQLITE_FILE;
    let allow = new Set<string>();
    if (isPostgresUrl(url) || fs.existsSync(url)) {
      allow = await withStore(
        async (s) =>
          new Set((await s.db.selectFrom("uscc_allowlist").select("code").execute()).map((r) => r.code)),
      );
    }
    for (const code of codes) out(JSON.stringify(checkUscc(code, (c) => allow.has(c))));
  });

program
  .command("allowlist")
  .description("把注册在先、校验位不符的历史代码加入白名单 / allow-list a legacy code")
  .argument("<code>")
  .requiredOption("--note <text>", "依据，如登记机关证明 / the basis, e.g. the registrar's letter")
  .option("--by <user>", "操作人账号，缺省为操作系统用户 / the account acting (default: the OS user)")
  .action(async (code: string, o: { note: string; by?: string }) => {
    const normalized = normalizeCode(code);
    await withStore(async (s) => {
      const caller = await commandLineCaller(s, o.by);
      await audited(
        s,
        caller,
        "uscc.allowlist",
        (tx) =>
          tx.db
            .insertInto("uscc_allowlist")
            .values({
              code: normalized,
              note: o.note,
              added_by: caller.actor.name,
              added_at: new Date().toISOString(),
            })
            .onConflict((oc) => oc.column("code").doNothing())
            .execute(),
        () => `${normalized} ${o.note}`,
      );
    });
    out(JSON.stringify(checkUscc(normalized, () => true)));
  });

program
  .command("catalog")
  .description("现行公共信用信息目录 / the categories in force")
  .option("--json", "JSON output")
  .option("--date <date>", "as of this date (YYYY-MM-DD)")
  .action((o: { json?: boolean; date?: string }) => {
    const c = catalog();
    const date = o.date ?? chinaToday();
    const cats = categoriesInForce(c, date).map((cat) => ({
      code: cat.code,
      zh: cat.zh,
      en: cat.en,
      kind: cat.kind,
      severity: cat.severity,
      departments: cat.departments,
      publicity: cat.publicity,
      effective_from: cat.effective_from,
      ...(cat.effective_to ? { effective_to: cat.effective_to } : {}),
      requiredFields: categoryColumns(c, cat)
        .filter((x) => x.required)
        .map((x) => x.def.key),
      optionalFields: categoryColumns(c, cat)
        .filter((x) => !x.required)
        .map((x) => x.def.key),
    }));
    if (o.json) out(JSON.stringify({ date, categories: cats }, null, 2));
    else
      for (const x of cats)
        out(`${x.code.padEnd(20)} ${x.zh}\t${x.en}\t必填 required: ${x.requiredFields.join(", ")}`);
  });

program
  .command("template")
  .description("导出某类别的导入模板 / write a header template for a category")
  .argument("<category>")
  .option("--lang <lang>", "zh | en", "zh")
  .option("--format <format>", "csv | xlsx", "csv")
  .option("-o, --out <file>", "output file (default: stdout for CSV)")
  .action(async (name: string, o: { lang: "zh" | "en"; format: "csv" | "xlsx"; out?: string }) => {
    const c = catalog();
    const cat = findCategory(c, name);
    if (!cat) {
      err(
        `未知类别 unknown category: ${name}. 可选 choose one of: ${c.categories.map((x) => x.code).join(", ")}`,
      );
      process.exitCode = 2;
      return;
    }
    const cols = categoryColumns(c, cat).map(({ def, required }) => ({ zh: def.zh, en: def.en, required }));
    const body = await templateFor(cols, o.lang, o.format);
    if (o.out) fs.writeFileSync(o.out, body);
    else process.stdout.write(body);
  });

program
  .command("import")
  .description("导入信用记录文件（CSV UTF-8/GB18030、XLSX）/ import a file of credit records")
  .argument("<file>")
  .option("--department <code>", "来源部门 / source department, when the file has no department column")
  .option("--category <code>", "信息类别 / category, when the file has no category column")
  .option("--accept-valid", "提交有效行、其余写入错误报告 / commit the valid rows, report the rest")
  .option(
    "--submitter <user>",
    "报送人账号，缺省为操作系统用户 / the account submitting (default: the OS user)",
  )
  .option("--json", "JSON output")
  .option("--progress", "在标准错误输出进度 / print progress lines to stderr")
  .option("--no-evaluate", "导入后不重新评价所涉主体 / do not re-evaluate the subjects the file touches")
  .action(
    async (
      file: string,
      o: {
        department?: string;
        category?: string;
        acceptValid?: boolean;
        submitter?: string;
        json?: boolean;
        progress?: boolean;
        evaluate: boolean;
      },
    ) => {
      if (!fs.existsSync(file)) {
        err(`文件不存在 / file not found: ${file}`);
        process.exitCode = 2;
        return;
      }
      const result = await withStore(async (store) => {
        const caller = await commandLineCaller(store, o.submitter);
        const r = await importFile(store, catalog(), file, {
          channel: "cli",
          submitter: caller.actor.name,
          department: o.department,
          category: o.category,
          acceptValid: !!o.acceptValid,
          rejectsDir: path.join(dataDir(), "rejects"),
          onProgress: (n) => {
            if (o.progress) err(`progress ${n}`);
            else if (process.stderr.isTTY) process.stderr.write(`\r${n} rows…`);
          },
        });
        if (o.evaluate) await reevaluateBatch(store, catalog(), r);
        const outcome = r.status === "committed" ? "ok" : "failed";
        await audit(
          store,
          caller.actor,
          "imports.file",
          `${r.batchId} ${path.basename(file)}`,
          outcome,
          null,
        );
        return r;
      });
      const { problems, status, ...summary } = result;
      if (o.json) out(JSON.stringify(summary));
      else {
        out(
          `批次 batch ${summary.batchId}: ${status === "committed" ? "已提交 committed" : "未提交 NOT committed (all-or-nothing)"}`,
        );
        out(
          `接收 accepted ${summary.accepted}, 其中新版本 of which new versions ${summary.versions}, 重复 duplicates ${summary.duplicates}, 拒绝 rejected ${summary.rejected}`,
        );
        for (const p of problems.slice(0, 20)) err(`${formatProblem(p, "zh")}\n  ${formatProblem(p, "en")}`);
        if (summary.rejectsFile) out(`错误报告 rejects report: ${summary.rejectsFile}`);
      }
      if (status === "rejected") process.exitCode = 1;
    },
  );

program
  .command("demo")
  .description("生成演示城市（泉州模型）/ create the demo city")
  .requiredOption("--subjects <n>", "number of subjects (up to 2,000,000)", positiveInt)
  .option("--seed <seed>", "seed: the same seed gives the same city", "quanzhou")
  .action(async (o: { subjects: number; seed: string }) => {
    if (o.subjects > 2_000_000) {
      err("最多 2,000,000 个主体 / at most 2,000,000 subjects");
      process.exitCode = 2;
      return;
    }
    const r = await withStore((s) => createDemoCity(s, o.subjects, o.seed));
    out(JSON.stringify(r));
    err(
      `演示账号 demo accounts (口令 password ${DEMO_PASSWORD}): ${DEMO_ACCOUNTS.map((a) => a.username).join(", ")}`,
    );
  });

program
  .command("evaluate")
  .description("全量信用评价（公共信用综合评价及行业模型）/ evaluate every subject with every model")
  .option("--as-of <date>", "评价基准日 / as-of date (YYYY-MM-DD), default today")
  .option("--model <id>", "只显示该模型的结果 / show this model's counts only")
  .option("--json", "JSON output")
  .action(async (o: { asOf?: string; model?: string; json?: boolean }) => {
    const run = await withStore((s) => evaluate(s, catalog(), { ...(o.asOf ? { asOf: o.asOf } : {}) }));
    const grades = o.model ? { [o.model]: run.grades[o.model] ?? {} } : run.grades;
    if (o.json) out(JSON.stringify({ ...run, grades }));
    else {
      out(
        `评价基准日 as of ${run.asOf}: ${run.subjects} 个主体 subjects, ${run.changed} 项结果变化 changed, ${run.seconds.toFixed(1)} s`,
      );
      for (const [model, counts] of Object.entries(grades))
        out(`${model.padEnd(18)} ${GRADES_OR_NR.map((g) => `${g} ${counts?.[g] ?? 0}`).join("  ")}`);
    }
  });

program
  .command("explain")
  .description("解释一个主体的评价结果 / explain a subject's grades")
  .argument("<code>")
  .option("--as-of <date>", "as-of date (YYYY-MM-DD)")
  .option("--json", "JSON output")
  .action(async (code: string, o: { asOf?: string; json?: boolean }) => {
    const e = await withStore((s) => explainSubject(s, catalog(), normalizeCode(code), o.asOf));
    if (!e) {
      err(`主体不存在 / no such subject: ${code}`);
      process.exitCode = 1;
      return;
    }
    if (o.json) {
      out(JSON.stringify(e, null, 2));
      return;
    }
    out(`${e.subject.name} ${e.subject.code}`);
    if (e.models.length === 0)
      out(
        `不在任何评价模型的适用范围内（${e.subject.type}，${e.subject.status}） / no evaluation model applies to this subject`,
      );
    for (const m of e.models) {
      out(
        `\n${m.title.zh} ${m.modelId} v${m.version}: ${m.score} 分 → ${m.grade}${m.blockedBy.length ? `  (受限 blocked by ${m.blockedBy.join(", ")})` : ""}`,
      );
      for (const i of m.indicators.filter((x) => x.points !== 0))
        out(
          `  ${String(i.points).padStart(6)}  ${i.zh} ${i.records.length ? `(${i.records.length} 条记录 records)` : ""}`,
        );
      if (m.nextGrade)
        out(
          `  距 ${m.nextGrade.grade} 级还差 ${m.nextGrade.distance} 分 / ${m.nextGrade.distance} points to ${m.nextGrade.grade}`,
        );
      for (const r of m.repairs.slice(0, 5))
        out(
          `  修复记录 ${r.record}（${r.category} ${r.decision_date}）可提升 ${r.lift} 分${r.grades ? `，升 ${r.grades} 级` : ""} / repairing it adds ${r.lift} points`,
        );
    }
  });

program
  .command("openapi")
  .description("输出 OpenAPI 文档 / print the OpenAPI document (the API contract) as JSON")
  .option("-o, --output <file>", "写入文件 / write to a file")
  .action(async (o: { output?: string }) => {
    // The document describes routes, not data: built on a throwaway embedded database.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-openapi-"));
    const store = openStore({ url: path.join(dir, "contract.db") });
    try {
      await prepareStore(store, catalog());
      const app = await buildApp({ store, catalog: catalog(), dataDir: dir });
      await app.ready();
      const doc = `${JSON.stringify(app.swagger(), null, 2)}\n`;
      await app.close();
      if (o.output) {
        fs.mkdirSync(path.dirname(path.resolve(o.output)), { recursive: true });
        fs.writeFileSync(o.output, doc);
      } else out(doc.trimEnd());
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

program
  .command("migrate")
  .description("建立或升级数据库 / create or upgrade the database")
  .action(async () => {
    const applied = await withStore(async (s) => migrate(s));
    out(JSON.stringify({ applied }));
  });

program
  .command("serve")
  .description("启动平台 / serve the platform")
  .option("--port <port>", "port", (v) => positiveInt(v), Number(process.env.PORT ?? 3000))
  .option("--host <host>", "address to listen on", process.env.HOST ?? "0.0.0.0")
  .option(
    "--demo-if-empty",
    "默认嵌入式数据库为空时生成 50,000 主体的演示城市（npm start）/ create a 50,000-subject demo city when the default embedded database is empty (npm start)",
  )
  .option(
    "--demo",
    "任何数据库为空时都生成演示城市和演示账号 / create the demo city and demo accounts in an empty database, whichever it is",
  )
  .action(async (o: { port: number; host: string; demoIfEmpty?: boolean; demo?: boolean }) => {
    const store = openStore();
    await prepareStore(store, catalog());
    const admin = await ensureAdministrator(store);
    if (admin)
      err(
        `\n首次启动：已创建管理员 ${admin.username}，一次性口令（只显示这一次，首次登录后须修改）：${admin.password}\n` +
          `First start: administrator ${admin.username} created; one-time password (shown only now, change it at first sign-in): ${admin.password}\n`,
      );
    // Demo accounts share a published password: never create them in a database someone configured (production)
    // unless asked in so many words. `npm start` on the default embedded database is the newcomer's demo.
    const configured = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== "";
    if (o.demo || o.demoIfEmpty) {
      const any = await store.db.selectFrom("subjects").select("id").limit(1).executeTakeFirst();
      if (!any && !o.demo && configured)
        err(
          "数据库由 DATABASE_URL 指定且为空：不生成演示城市和演示账号（如确需演示，请运行 credit demo 或 credit serve --demo）\n" +
            "The database named by DATABASE_URL is empty: no demo city or demo accounts created (for a demo, run credit demo or credit serve --demo)",
        );
      else if (!any) {
        const n = Number(process.env.DEMO_SUBJECTS ?? 50_000);
        err(`空数据库：正在生成 ${n} 个主体的演示城市… / empty database: creating a ${n}-subject demo city…`);
        const r = await createDemoCity(store, n, "quanzhou");
        err(
          `演示城市已生成并完成评价 demo city ready and graded: ${r.subjects} subjects, ${r.records} records, ${r.seconds.toFixed(1)} s; evaluation ${r.evaluationSeconds} s`,
        );
        err(
          `演示账号 demo accounts (口令 password ${DEMO_PASSWORD}): ${DEMO_ACCOUNTS.map((a) => a.username).join(", ")}`,
        );
      }
    }
    // Subjects that were never graded (a database loaded before its first batch run): grade them now, so that
    // grades, measures and inspection strata exist from the first page on.
    if (await needsFirstEvaluation(store)) {
      err("首次全量评价… / first full evaluation…");
      const run = await evaluate(store, catalog());
      err(`评价完成 evaluated: ${run.subjects} subjects, ${run.seconds.toFixed(1)} s`);
    }
    const app = await buildApp({ store, catalog: catalog(), dataDir: dataDir() }, { logger: true });
    const close = async () => {
      await app.close();
      await store.close();
      process.exit(0);
    };
    process.on("SIGINT", close);
    process.on("SIGTERM", close);
    await app.listen({ port: o.port, host: o.host });
    err(
      `平台已启动 serving on http://localhost:${o.port}  (API docs: /api/docs, database: ${store.location})`,
    );
  });

/** The demo city: subjects and records, one account per role, the inspector directory, and a first batch run. */
async function createDemoCity(store: Store, subjects: number, seed: string) {
  const loaded = await loadDemo(store, { subjects, seed });
  await createDemoAccounts(store);
  const run = await evaluate(store, catalog());
  return { ...loaded, evaluated: run.subjects, evaluationSeconds: Number(run.seconds.toFixed(1)) };
}

/** Subjects registered, but no batch evaluation ever finished. */
async function needsFirstEvaluation(store: Store): Promise<boolean> {
  const subject = await store.db.selectFrom("subjects").select("id").limit(1).executeTakeFirst();
  if (!subject) return false;
  const run = await store.db
    .selectFrom("evaluation_runs")
    .select("id")
    .where("kind", "=", "batch")
    .where("finished_at", "is not", null)
    .limit(1)
    .executeTakeFirst();
  return run === undefined;
}

registerModelRatingCommands(program);
registerDrawCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof InputError) {
    for (const p of e.problems) err(`${formatProblem(p, "zh")}\n  ${formatProblem(p, "en")}`);
    process.exitCode = 1;
  } else {
    err(`错误 error: ${(e as Error).message}`);
    if (process.env.CREDIT_DEBUG) err((e as Error).stack ?? "");
    process.exitCode = 1;
  }
}
