import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../policy/load.ts";
import { prepareStore } from "../services/bootstrap.ts";
import { openTestStore, type TestStore } from "../store/testing.ts";
import { buildApp } from "./app.ts";

/** The request log never keeps a natural person's identity number, wherever the URL carries one. */
let store: TestStore;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "credit-log-"));
beforeAll(async () => {
  store = await openTestStore();
  await prepareStore(store, catalog());
});
afterAll(async () => {
  await store.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("request log", () => {
  it("masks identity numbers in logged URLs (path and query)", async () => {
    const log = new PassThrough();
    let text = "";
    log.on("data", (d: Buffer) => {
      text += d.toString();
    });
    const app = await buildApp({ store, catalog: catalog(), dataDir }, { logger: true, logStream: log });
    const id = "35058219900307123X";
    for (const url of [`/api/v1/idcheck/${id}`, `/api/v1/subjects?q=${id}`, `/api/v1/nothing/${id}`])
      await app.inject({ url });
    await app.close();
    expect(text).toContain("350582********123X");
    expect(text).toContain("/api/v1/idcheck/");
    expect(text).not.toContain(id);
    expect(text).not.toContain("19900307");
  });
});
