import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { machine, measure } from "./measure.ts";

/**
 * Import benchmark: a generated CSV of validated-looking penalty and inspection rows (default 10,000,000)
 * imported by `credit import` into SQLite and PostgreSQL, against the engines' own raw loaders as peers
 * (sqlite3 `.import`, psql `\copy`) which parse but check nothing.
 * Options: --rows N (default 10000000), --engines sqlite,postgres, --keep (keep the CSV).
 */
export async function run(args: string[]): Promise<void> {
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  const rows = Number(opt("rows", "10000000"));
  const engines = opt("engines", "sqlite,postgres").split(",");
  const pgUrl = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), "credit-bench-"));
  const csv = path.join(dir, "records.csv");
  console.error(`generating ${rows} rows → ${csv}`);
  const bytes = writeCsv(csv, rows);
  const lines: string[] = [];
  const row = (what: string, m: { seconds: number; peakRssMb: number }) => {
    const line = `| ${what} | ${rows.toLocaleString("en")} | ${m.seconds.toFixed(1)} | ${Math.round(rows / m.seconds).toLocaleString("en")} | ${m.peakRssMb} |`;
    lines.push(line);
    console.error(line);
  };
  const bin = path.resolve("bin/credit.js");
  try {
    if (engines.includes("sqlite")) {
      const db = path.join(dir, "credit.db");
      await measure(process.execPath, [bin, "migrate"], { DATABASE_URL: db });
      const m = await measure(process.execPath, [bin, "import", csv, "--department", "SCJG", "--json"], {
        DATABASE_URL: db,
      });
      if (m.code !== 0) throw new Error(`import failed: ${m.stderr}\n${m.stdout}`);
      console.error(m.stdout.trim());
      row("credit import → SQLite (validated, versioned)", m);
      const peerDb = path.join(dir, "peer.db");
      const p = await measure("sqlite3", [peerDb], {}, `.mode csv\n.import ${csv} raw\n`);
      row("peer: sqlite3 .import (no checks)", p);
    }
    if (engines.includes("postgres")) {
      const schema = `bench_${process.pid}`;
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      try {
        const env = { DATABASE_URL: pgUrl, CREDIT_PG_SCHEMA: schema };
        await measure(process.execPath, [bin, "migrate"], env);
        const m = await measure(
          process.execPath,
          [bin, "import", csv, "--department", "SCJG", "--json"],
          env,
        );
        if (m.code !== 0) throw new Error(`import failed: ${m.stderr}\n${m.stdout}`);
        console.error(m.stdout.trim());
        row("credit import → PostgreSQL (COPY, validated, versioned)", m);
        await admin.query(
          `create table ${schema}.raw (category text, subject_code text, subject_name text, doc_no text, decision_date text, result text)`,
        );
        const p = await measure("psql", [pgUrl, "-c", `\\copy ${schema}.raw from '${csv}' csv header`]);
        row("peer: psql \\copy (no checks)", p);
      } finally {
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
      }
    }
  } finally {
    if (!args.includes("--keep")) fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n### import — ${machine()}\n`);
  console.log(`File: ${(bytes / 2 ** 20).toFixed(0)} MiB CSV, UTF-8, ${rows.toLocaleString("en")} rows.\n`);
  console.log("| what | rows | seconds | rows/s | peak RSS MB |\n|---|---:|---:|---:|---:|");
  for (const l of lines) console.log(l);
}

/** A deterministic CSV of distinct inspection records over valid codes. */
function writeCsv(file: string, rows: number): number {
  const fd = fs.openSync(file, "w");
  let buf = "信息类别,统一社会信用代码,主体名称,文书号,决定日期,检查结果\n";
  let bytes = 0;
  const codes = ["91350100M000100Y43", "92310115MA1LAG5R9M", "91110000600037341L"];
  const results = ["pass", "pass", "pass", "problems", "fail"];
  for (let i = 0; i < rows; i++) {
    const d = `202${1 + (i % 5)}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`;
    buf += `INSPECTION,${codes[i % 3]},泉州市某某鞋服有限公司,晋市监检〔2024〕${i}号,${d},${results[i % 5]}\n`;
    if (buf.length > 1 << 20) {
      bytes += fs.writeSync(fd, buf);
      buf = "";
    }
  }
  bytes += fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return bytes;
}
