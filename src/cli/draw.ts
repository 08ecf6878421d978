/**
 * `credit draw verify --pool FILE --seed SEED --ratios A=300,… [--json]`: recomputes a published draw from the
 * published material alone (docs/draw-algorithm.md). Prints the pool digest, then the drawn codes one a line in
 * ticket order (with --json: {"poolDigest","drawn":[{"code","stratum","ticket"}]}); a summary per stratum goes
 * to stderr. Needs no database. docs/verify_draw.py prints the same bytes.
 *
 * `--commitment sha256:<hex>` (the commitment published at the freeze) also checks that the seed is the committed
 * one; when it is, the output is the same bytes, with one more stderr line; when not, exit 1 and nothing on stdout.
 */
import fs from "node:fs";
import type { Command } from "commander";
import { InputError, problem } from "../core/problem.ts";
import {
  checkSeed,
  checkSeedCommitment,
  DRAW_ALGORITHM,
  drawPool,
  parseCommitment,
  parseRatios,
} from "../core/sampling/draw.ts";
import { parsePoolFile, poolDigest } from "../core/sampling/pool-file.ts";

export function registerDrawCommands(program: Command): void {
  const draw = program.command("draw").description("双随机抽查的抽取 / random inspection draws");
  draw
    .command("verify")
    .description(
      `复算一次公开的抽取（算法 ${DRAW_ALGORITHM}）：池摘要，然后按签号顺序列出抽中的代码 / recompute a published draw (algorithm ${DRAW_ALGORITHM})`,
    )
    .requiredOption("--pool <file>", "池文件 / the pool file (CODE,STRATUM lines)")
    .requiredOption("--seed <seed>", "抽取时公开录入的种子 / the seed entered at the draw")
    .requiredOption(
      "--ratios <list>",
      "各层比例（万分比）/ basis points per stratum, e.g. A=300,B=500,C=1000,D=3000,E=10000,NR=500",
    )
    .option(
      "--commitment <sha256:hex>",
      "冻结时公布的种子承诺，核对种子与之相符 / the seed commitment published at the freeze: check the seed matches it",
    )
    .option("--json", "JSON output")
    .action((o: { pool: string; seed: string; ratios: string; commitment?: string; json?: boolean }) => {
      checkSeed(o.seed);
      const commitment = o.commitment === undefined ? null : parseCommitment(o.commitment);
      if (commitment) checkSeedCommitment(o.seed, commitment, { field: "--seed", verifying: true });
      const ratios = parseRatios(o.ratios);
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(o.pool);
      } catch (e) {
        throw new InputError([
          problem(
            "pool.file",
            {
              zh: `无法读取池文件 ${o.pool}（${(e as NodeJS.ErrnoException).code ?? "error"}）`,
              en: `Cannot read the pool file ${o.pool} (${(e as NodeJS.ErrnoException).code ?? "error"})`,
              fixZh: "给出计划公示页上下载的池文件的路径",
              fixEn: "Give the path of the pool file downloaded from the plan's public page",
            },
            { field: "--pool", value: o.pool },
          ),
        ]);
      }
      const entries = parsePoolFile(bytes);
      const r = drawPool(entries, o.seed, ratios);
      const digest = poolDigest(bytes);
      if (o.json) process.stdout.write(`${JSON.stringify({ poolDigest: digest, drawn: r.drawn })}\n`);
      else {
        const lines = new Array<string>(r.drawn.length + 1);
        lines[0] = digest;
        for (let i = 0; i < r.drawn.length; i++) lines[i + 1] = r.drawn[i]!.code;
        process.stdout.write(`${lines.join("\n")}\n`);
      }
      for (const [s, x] of Object.entries(r.perStratum))
        process.stderr.write(`${s}: pool ${x.pool}, ratio ${x.ratioBp} bp, drawn ${x.drawn}\n`);
      if (commitment) process.stderr.write(`commitment: the seed matches sha256:${commitment.digest}\n`);
    });
}
