/** The batch run, its worker threads and the explanation use the published model versions and the market ratings. */
import fs from "node:fs";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../demo/load.ts";
import { catalog } from "../../policy/load.ts";
import { MODELS_DIR } from "../../policy/models.ts";
import {
  currentEvaluation,
  currentModelVersions,
  openTestStore,
  type TestStore,
} from "../../store/testing.ts";
import { explainSubject } from "../evaluate/explain.ts";
import { evaluate } from "../evaluate/run.ts";
import { registerAgency } from "../ratings/agencies.ts";
import { importRatings } from "../ratings/market.ts";
import { jsonRows } from "../ratings/table-import.ts";
import { publishModel } from "./versions.ts";

const TODAY = "2026-11-29";

let store: TestStore;
let code: string;
beforeAll(async () => {
  store = await openTestStore();
  await loadDemo(store, { subjects: 3000, seed: "published-run", today: TODAY });
  const P = fs.readFileSync(`${MODELS_DIR}/public.yaml`, "utf8").replace(/^version: "1"$/m, 'version: "9"');
  await publishModel(store, catalog(), P, { by: "t" });
  code = (
    await store.db
      .selectFrom("subjects")
      .select("code")
      .where("type", "=", "enterprise")
      .orderBy("code")
      .limit(1)
      .executeTakeFirstOrThrow()
  ).code;
  await registerAgency(store, { code: "AG", name: "某评级公司", qualification: "备案", scale: "aaa-c" }, "t");
  await importRatings(
    store,
    jsonRows([{ subject_code: code, rating: "AAA", rating_date: "2026-01-01", valid_until: "2026-12-31" }]),
    { agency: "AG", submitter: "t", channel: "rest", rejectsDir: os.tmpdir() },
  );
});
afterAll(async () => store.dispose());

describe("published versions and ratings in the evaluation", () => {
  it("a default batch run (threaded on SQLite, and not) uses them", async () => {
    for (const threads of store.engine === "sqlite" ? [2, 0] : [undefined]) {
      await evaluate(store, catalog(), { asOf: TODAY, ...(threads === undefined ? {} : { threads }) });
      const v = await currentModelVersions(store);
      expect(v).toEqual([{ model_version: "9" }]);
      const row = (await currentEvaluation(store, code))!;
      // AAA = 1000 × 3% = 30 points.
      expect(JSON.parse(row.indicators).market_rating).toBe(30);
    }
  });

  it("the explanation uses them", async () => {
    const e = await explainSubject(store, catalog(), code, TODAY);
    const pub = e!.models.find((m) => m.modelId === "public")!;
    expect(pub.version).toBe("9");
    expect(pub.indicators.find((i) => i.id === "market_rating")!.points).toBe(30);
  });
});
