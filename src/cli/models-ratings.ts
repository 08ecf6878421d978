/**
 * The `credit` commands for market ratings, other systems' grades and model versions:
 *   credit agencies add|list|bind · credit ratings import FILE --agency CODE
 *   credit grades import FILE --source tax|samr-risk|… · credit model diff|publish --draft FILE
 */

import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { formatProblem } from "../core/problem.ts";
import { catalog } from "../policy/load.ts";
import { audit } from "../services/auth/audit.ts";
import { type Caller, commandLineCaller } from "../services/command.ts";
import { evaluate } from "../services/evaluate/run.ts";
import { publishModelVersion } from "../services/models/commands.ts";
import { diffDraft, formatDiff } from "../services/models/diff.ts";
import { currentModelSet } from "../services/models/versions.ts";
import { reevaluateImport } from "../services/ratings/after-import.ts";
import { listAgencies } from "../services/ratings/agencies.ts";
import { bindCreditAgencyUser, registerCreditAgency } from "../services/ratings/commands.ts";
import { importRatings, RATING_COLUMNS } from "../services/ratings/market.ts";
import { GRADE_COLUMNS, gradeSource, importOtherGrades } from "../services/ratings/other-grades.ts";
import { fileRows, type ImportResult } from "../services/ratings/table-import.ts";
import { DEFAULT_SQLITE_FILE, isPostgresUrl, type Store } from "../store/db.ts";
import { err, out, withStore } from "./common.ts";

function rejectsDir(): string {
  const url = process.env.DATABASE_URL;
  const dir =
    url && !isPostgresUrl(url)
      ? path.dirname(path.resolve(url.replace(/^file:/, "")))
      : path.resolve(path.dirname(DEFAULT_SQLITE_FILE));
  return path.join(dir, "rejects");
}

function mustExist(file: string): boolean {
  if (fs.existsSync(file)) return true;
  err(`文件不存在 / file not found: ${file}`);
  process.exitCode = 2;
  return false;
}

function report(r: ImportResult, json: boolean | undefined): void {
  const { problems, ...summary } = r;
  if (json) out(JSON.stringify({ ...summary, subjects: summary.subjects.length }));
  else {
    out(
      `批次 batch ${r.batchId}: ${r.status === "committed" ? "已提交 committed" : "未提交 NOT committed (all-or-nothing)"}`,
    );
    out(`接收 accepted ${r.accepted}, 拒绝 rejected ${r.rejected}`);
    for (const p of problems.slice(0, 20)) err(`${formatProblem(p, "zh")}\n  ${formatProblem(p, "en")}`);
    if (r.rejectsFile) out(`错误报告 rejects report: ${r.rejectsFile}`);
  }
  if (r.status === "rejected") process.exitCode = 1;
}

/** The audit entry of a command-line import, as the API records one (the import keeps its own transactions). */
async function auditImport(store: Store, caller: Caller, action: string, r: ImportResult): Promise<void> {
  await audit(store, caller.actor, action, r.batchId, r.status === "committed" ? "ok" : "failed", caller.ip);
}

interface ImportOpts {
  acceptValid?: boolean;
  by?: string;
  json?: boolean;
  evaluate: boolean;
}

/**
 * The options every import command takes after its own, and its action: the file must exist; `prepare` checks
 * the command's options before the store is opened; `run` imports; the subjects are re-evaluated; the result
 * is reported.
 */
function importAction<O extends ImportOpts, C>(
  cmd: Command,
  action: "ratings.import" | "grades.import",
  prepare: (o: O) => C,
  run: (
    store: Store,
    file: string,
    o: O,
    batch: {
      submitter: string;
      channel: "cli";
      fileName: string;
      acceptValid: boolean;
      rejectsDir: string;
    },
    prepared: C,
  ) => Promise<ImportResult>,
): void {
  cmd
    .option("--accept-valid", "提交有效行、其余写入错误报告 / commit the valid rows, report the rest")
    .option("--by <user>", "报送人账号，缺省为操作系统用户 / the account submitting (default: the OS user)")
    .option("--json", "JSON output")
    .option("--no-evaluate", "导入后不重新评价所涉主体 / do not re-evaluate the subjects")
    .action(async (file: string, o: O) => {
      if (!mustExist(file)) return;
      const prepared = prepare(o);
      const r = await withStore(async (s) => {
        const caller = await commandLineCaller(s, o.by);
        const res = await run(
          s,
          file,
          o,
          {
            submitter: caller.actor.name,
            channel: "cli",
            fileName: path.basename(file),
            acceptValid: !!o.acceptValid,
            rejectsDir: rejectsDir(),
          },
          prepared,
        );
        if (o.evaluate) await reevaluateImport(s, catalog(), res);
        await auditImport(s, caller, action, res);
        return res;
      });
      report(r, o.json);
    });
}

export function registerModelRatingCommands(program: Command): void {
  const agencies = program
    .command("agencies")
    .description("信用服务机构名录 / the register of credit agencies");
  agencies
    .command("add")
    .description("登记信用服务机构 / register a credit agency")
    .argument("<code>")
    .requiredOption("--name <name>", "机构名称 / name")
    .requiredOption("--qualification <text>", "资质或备案 / qualification or filing")
    .requiredOption("--scale <id>", "评级标度 / rating scale (aaa-c, 0-100: policy/grades/agency-scales)")
    .option("--by <user>", "操作人账号，缺省为操作系统用户 / the account acting (default: the OS user)")
    .action(async (code: string, o: { name: string; qualification: string; scale: string; by?: string }) => {
      const a = await withStore(async (s) => {
        return registerCreditAgency(s, await commandLineCaller(s, o.by), { code, ...o });
      });
      out(JSON.stringify(a));
    });
  agencies
    .command("list")
    .description("列出机构 / list agencies")
    .action(async () => {
      for (const a of await withStore((s) => listAgencies(s))) out(JSON.stringify(a));
    });
  agencies
    .command("bind")
    .description("把 agency 角色的用户绑定到机构 / bind a user of role agency to an agency")
    .argument("<code>")
    .argument("<username>")
    .option("--by <user>", "操作人账号，缺省为操作系统用户 / the account acting (default: the OS user)")
    .action(async (code: string, username: string, o: { by?: string }) => {
      const bound = await withStore(async (s) => {
        return bindCreditAgencyUser(s, await commandLineCaller(s, o.by), code, username);
      });
      out(JSON.stringify(bound));
    });

  const ratings = program
    .command("ratings")
    .description("市场信用评价 / market ratings")
    .command("import")
    .description("导入评级机构的评级（CSV/XLSX）/ import an agency's ratings")
    .argument("<file>")
    .requiredOption("--agency <code>", "评级机构代码 / the agency's code");
  importAction(
    ratings,
    "ratings.import",
    (_o: ImportOpts & { agency: string }) => undefined,
    async (s, file, o, batch) =>
      importRatings(s, await fileRows(file, RATING_COLUMNS), { agency: o.agency.toUpperCase(), ...batch }),
  );

  const grades = program
    .command("grades")
    .description("其他评价体系的等级 / grades from other systems")
    .command("import")
    .description("导入其他体系的等级（纳税信用、风险分类…）/ import another system's grades")
    .argument("<file>")
    .requiredOption("--source <id>", "评价体系 / the system (policy/other-grades.yaml: tax, samr-risk, …)")
    .option("--department <code>", "发布部门 / issuing department (default: the source's first)");
  importAction(
    grades,
    "grades.import",
    // The source is checked before the store is opened.
    (o: ImportOpts & { source: string; department?: string }) => {
      const source = gradeSource(o.source);
      return {
        source: source.id,
        department: (o.department ?? source.departments?.[0] ?? catalog().cityOffice).toUpperCase(),
      };
    },
    async (s, file, _o, batch, target) =>
      importOtherGrades(s, await fileRows(file, GRADE_COLUMNS), { ...target, ...batch }),
  );

  const model = program.command("model").description("评价模型版本 / evaluation model versions");
  model
    .command("diff")
    .description("试算草案版本：等级迁移矩阵与 PSI / what-if of a draft version: transition matrix and PSI")
    .requiredOption("--draft <file>", "草案模型文件（YAML）/ the draft model file")
    .option("--as-of <date>", "评价基准日 / as-of date (YYYY-MM-DD), default today")
    .option("--json", "JSON output")
    .action(async (o: { draft: string; asOf?: string; json?: boolean }) => {
      if (!mustExist(o.draft)) return;
      const text = fs.readFileSync(o.draft, "utf8");
      const d = await withStore((s) =>
        diffDraft(s, catalog(), text, { name: path.basename(o.draft), ...(o.asOf ? { asOf: o.asOf } : {}) }),
      );
      out(o.json ? JSON.stringify(d) : formatDiff(d));
    });
  model
    .command("publish")
    .description("发布草案为现行版本 / publish a draft as the model's current version")
    .requiredOption("--draft <file>", "草案模型文件（YAML）/ the draft model file")
    .option("--by <user>", "发布人账号，缺省为操作系统用户 / the account publishing (default: the OS user)")
    .option("--note <text>", "说明 / a note")
    .option("--evaluate", "发布后立即全量评价 / evaluate every subject at once")
    .option("--json", "JSON output")
    .action(async (o: { draft: string; by?: string; note?: string; evaluate?: boolean; json?: boolean }) => {
      if (!mustExist(o.draft)) return;
      const text = fs.readFileSync(o.draft, "utf8");
      const r = await withStore(async (s) => {
        const p = await publishModelVersion(s, await commandLineCaller(s, o.by), catalog(), text, {
          name: path.basename(o.draft),
          ...(o.note ? { note: o.note } : {}),
        });
        const run = o.evaluate
          ? await evaluate(s, catalog(), { models: await currentModelSet(s, catalog()) })
          : undefined;
        return { ...p, ...(run ? { evaluated: run.subjects, changed: run.changed } : {}) };
      });
      if (o.json) out(JSON.stringify(r));
      else {
        out(
          `已发布 published ${r.modelId} v${r.version} (替换 replaces v${r.previousVersion}), digest ${r.digest.slice(0, 12)}`,
        );
        if (r.evaluated !== undefined)
          out(`已评价 evaluated ${r.evaluated} 个主体 subjects, ${r.changed} 项结果变化 changed`);
        else out("下次评价起使用 used from the next evaluation (credit evaluate)");
      }
    });
}
