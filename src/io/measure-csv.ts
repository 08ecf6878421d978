/**
 * Local speed measurement for the CSV reader (not a test): `npx tsx src/io/measure-csv.ts [rows]`.
 * Generates a file of simple ~150-byte rows (UTF-8 and GB18030) in the temp dir and reads it with openTable.
 * Reports the best of 3 runs, by wall time and by process CPU time (the latter is steadier on a busy machine;
 * it includes V8's helper threads, so it slightly understates single-core speed).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import iconv from "iconv-lite";
import { openTable } from "./table.ts";

const rows = Number(process.argv[2] ?? 2_000_000);
const dir = mkdtempSync(join(tmpdir(), "csv-measure-"));

function generate(): string {
  const header = "统一社会信用代码,企业名称,行政区划,处罚日期,处罚金额,处罚事由,数据来源部门,备注";
  const parts: string[] = [`${header}\n`];
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const code = `91110000${String(100000000 + i)}X`;
    chunk += `${code},Company Name Number ${i} Co Ltd,110105,2024-03-${String((i % 28) + 1).padStart(2, "0")},${(i % 9973) * 10.5},late filing of the annual report,Market Regulation Bureau,none given\n`;
    if (chunk.length > 1 << 20) {
      parts.push(chunk);
      chunk = "";
    }
  }
  parts.push(chunk);
  return parts.join("");
}

async function measure(label: string, path: string): Promise<void> {
  const bytes = statSync(path).size;
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  let n = 0;
  let encoding: string | undefined;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const reader = await openTable({ path });
    encoding = reader.encoding;
    n = 0;
    for await (const batch of reader.rows) n += batch.length;
    const cpu = process.cpuUsage(c0);
    best = Math.min(best, (performance.now() - t0) / 1000);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
  }
  const rate = (s: number) =>
    `${Math.round(n / s).toLocaleString("en")} rows/s, ${(bytes / 1e6 / s).toFixed(0)} MB/s`;
  console.log(
    `${label} (${encoding}): ${n.toLocaleString("en")} rows, ${(bytes / 1e6).toFixed(0)} MB, avg ${(bytes / n).toFixed(0)} B/row — ` +
      `best of 3: wall ${best.toFixed(2)} s → ${rate(best)}; CPU ${bestCpu.toFixed(2)} s → ${rate(bestCpu)}`,
  );
}

try {
  const text = generate();
  const utf8 = join(dir, "utf8.csv");
  writeFileSync(utf8, text);
  const gb = join(dir, "gb18030.csv");
  writeFileSync(gb, iconv.encode(text, "gb18030"));
  await measure("UTF-8  ", utf8);
  await measure("GB18030", gb);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
