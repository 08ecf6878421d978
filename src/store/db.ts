import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.ts";

export type Engine = "sqlite" | "postgres";

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** Raw better-sqlite3 handle (SQLite only) for bulk paths that must avoid per-row promises. */
  sqlite?: SQLite.Database;
  /** Raw pool (PostgreSQL only) for COPY. */
  pool?: pg.Pool;
  /** PostgreSQL schema in use when not the default (tests, benchmarks). */
  schema?: string;
  /** Human-readable location, never containing a password. */
  location: string;
  close(): Promise<void>;
}

export const DEFAULT_SQLITE_FILE = "./data/credit.db";

export function isPostgresUrl(url: string | undefined): boolean {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

export interface OpenOptions {
  /** `postgres://…` or a SQLite file path; defaults to DATABASE_URL, then ./data/credit.db. */
  url?: string;
  /** PostgreSQL schema to use (tests isolate each file in its own schema). */
  schema?: string;
}

export function openStore(opts: OpenOptions = {}): Store {
  const url = opts.url ?? process.env.DATABASE_URL ?? DEFAULT_SQLITE_FILE;
  // CREDIT_PG_SCHEMA lets a child process reopen a test schema; production uses the default schema.
  opts = { ...opts, schema: opts.schema ?? process.env.CREDIT_PG_SCHEMA };
  if (isPostgresUrl(url)) {
    // NUMERIC/BIGINT come back as strings by default; counts here fit in a double.
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({
      connectionString: url as string,
      max: 10,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const u = new URL(url);
    return {
      db,
      engine: "postgres",
      pool,
      ...(opts.schema ? { schema: opts.schema } : {}),
      location: `postgres://${u.host}${u.pathname}${opts.schema ? `?schema=${opts.schema}` : ""}`,
      close: () => db.destroy(),
    };
  }
  const file = url.startsWith("file:") ? url.slice(5) : url;
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, engine: "sqlite", sqlite, location: path.resolve(file), close: () => db.destroy() };
}
