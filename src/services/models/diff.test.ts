import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../demo/load.ts";
import { catalog } from "../../policy/load.ts";
import { MODELS_DIR } from "../../policy/models.ts";
import { currentModelVersions, openTestStore, type TestStore } from "../../store/testing.ts";
import { modelSet } from "../evaluate/models.ts";
import { evaluate } from "../evaluate/run.ts";
import { diffDraft, formatDiff, psi } from "./diff.ts";
import {
  currentModelSet,
  modelSetWith,
  parseModel,
  publishedModels,
  publishedVersions,
  publishModel,
} from "./versions.ts";

const TODAY = "2026-11-29";
const PUBLIC = fs.readFileSync(`${MODELS_DIR}/public.yaml`, "utf8");
const FOOD = fs.readFileSync(`${MODELS_DIR}/samr-food.yaml`, "utf8");
const PENALTIES_2026 = "{ minor: 10, general: 80, serious: 200 }, source: ndrc-2026";

/** The public model with general penalties weighing 160 points instead of 80 from 2026-04-01. */
const harsher = (version: string) => {
  expect(PUBLIC).toContain(PENALTIES_2026);
  return PUBLIC.replace(
    PENALTIES_2026,
    "{ minor: 10, general: 160, serious: 200 }, source: ndrc-2026",
  ).replace(/^version: "1"$/m, `version: "${version}"`);
};

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
  await loadDemo(store, { subjects: 2000, seed: "model-diff", today: TODAY });
});
afterAll(async () => store.dispose());

describe("psi", () => {
  it("is 0 for equal distributions, positive otherwise, and copes with empty bins", () => {
    expect(psi({ A: 10, B: 30, NR: 0 }, { A: 10, B: 30, NR: 0 })).toBe(0);
    expect(psi({ A: 50, B: 50 }, { A: 40, B: 60 })).toBeCloseTo(
      0.1 * Math.log(1.25) + 0.1 * Math.log(1.2),
      10,
    );
    expect(psi({ A: 100, B: 0 }, { A: 99, B: 1 })).toBeGreaterThan(0);
  });
});

describe("model diff (what-if of a draft)", () => {
  it("an identical draft gives the identity matrix and PSI 0", async () => {
    const d = await diffDraft(store, catalog(), PUBLIC, { asOf: TODAY });
    expect(d.grades).toEqual(["A", "B", "C", "D", "E", "NR"]);
    // The population: the subjects in the public model's scope (not natural persons, not deregistered).
    const pub = modelSet(catalog()).public;
    const inScope = (await store.db.selectFrom("subjects").selectAll().execute()).filter((s) => pub.scope(s));
    expect(inScope.length).toBeLessThan(2000);
    expect(d.subjects).toBe(inScope.length);
    for (const g1 of d.grades)
      for (const g2 of d.grades) if (g1 !== g2) expect(d.matrix[g1]![g2], `${g1}→${g2}`).toBe(0);
    expect(d.psi).toBe(0);
    expect(d.moves).toMatchObject({ up: 0, down: 0, other: 0, same: inScope.length });
    expect(d.currentCounts).toEqual(d.draftCounts);
    // The current grades are what the batch run stores.
    const run = await evaluate(store, catalog(), { asOf: TODAY });
    const stored = Object.fromEntries(d.grades.map((g) => [g, run.grades.public?.[g] ?? 0]));
    expect(d.currentCounts).toEqual(stored);
  });

  it("gives the event loop turns while it runs, so the server answers other requests (issue 9)", async () => {
    // Before, a diff on SQLite (a synchronous driver) held the request thread for its whole run: 5.5–7.2 s on a
    // 30,000-subject city with no turn for anything else.
    let turns = 0;
    let running = true;
    const spin = () => {
      if (!running) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const d = await diffDraft(store, catalog(), PUBLIC, { asOf: TODAY });
    running = false;
    // at least one turn per chunk of subjects read (2,000 subjects: 4 chunks)
    expect(d.subjects).toBeGreaterThan(1500);
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it("a draft with a heavier deduction moves subjects down only, and PSI > 0", async () => {
    const d = await diffDraft(store, catalog(), harsher("2"), { asOf: TODAY });
    expect(d.draft.version).toBe("2");
    expect(d.moves.down).toBeGreaterThan(0);
    expect(d.moves.up).toBe(0);
    expect(d.psi).toBeGreaterThan(0);
    expect(d.scoreChanges.mean).toBeLessThan(0);
    // Only moves down: nothing below the diagonal… except into/out of NR, which a deduction cannot cause.
    const order = ["A", "B", "C", "D", "E"];
    for (const [i, g1] of order.entries())
      for (const [j, g2] of order.entries()) if (j < i) expect(d.matrix[g1]![g2]).toBe(0);
    const text = formatDiff(d);
    expect(text).toContain("PSI");
    expect(text).toContain("现行\\草案");
  });

  it("an industry draft is evaluated on its scope, with the public score of the current public model", async () => {
    const d = await diffDraft(store, catalog(), FOOD, { asOf: TODAY });
    expect(d.psi).toBe(0);
    const inScope = (await store.db.selectFrom("subjects").selectAll().execute()).filter((s) =>
      modelSet(catalog())
        .industry.find((m) => m.id === "samr-food")!
        .scope(s),
    ).length;
    expect(d.subjects).toBe(inScope);
    expect(d.subjects).toBeLessThan(2000);
  });

  it("refuses a broken draft with every problem in Chinese and English", async () => {
    const broken = PUBLIC.replace("categories: [PENALTY]", "categories: [NO_SUCH_CATEGORY]").replace(
      "max_score: 1000",
      "max_score: 900",
    );
    const e = await diffDraft(store, catalog(), broken, { asOf: TODAY }).catch((x) => x);
    expect(e.problems.length).toBeGreaterThanOrEqual(2);
    for (const p of e.problems) {
      expect(p.code).toBe("model.invalid");
      expect(p.zh).toMatch(/无法编译/);
      expect(p.en).toMatch(/cannot be compiled/);
    }
    await expect(diffDraft(store, catalog(), "id: [", {})).rejects.toMatchObject({
      problems: [{ code: "model.yaml", row: 1 }],
    });
    await expect(diffDraft(store, catalog(), "id: public\nversion: 2\n", {})).rejects.toMatchObject({
      problems: expect.arrayContaining([expect.objectContaining({ code: "model.shape", row: 2 })]),
    });
    // Each problem names the line of the draft it is on.
    const lineOf = (text: string, needle: string) =>
      text.split("\n").findIndex((l) => l.includes(needle)) + 1;
    const wrongScore = PUBLIC.replace("max_score: 1000", "max_score: lots");
    await expect(diffDraft(store, catalog(), wrongScore, {})).rejects.toMatchObject({
      problems: [{ code: "model.shape", row: lineOf(wrongScore, "max_score: lots") }],
    });
    const compileLines = e.problems.map((p: { row?: number }) => p.row);
    expect(compileLines).toContain(lineOf(broken, "NO_SUCH_CATEGORY"));
    // "the dimensions' maxima add up to 1000, not max_score 900": the line of `dimensions:`.
    expect(compileLines).toContain(lineOf(broken, "dimensions:"));
    await expect(diffDraft(store, catalog(), PUBLIC, { id: "samr-food" })).rejects.toMatchObject({
      problems: expect.arrayContaining([expect.objectContaining({ code: "model.id_mismatch" })]),
    });
    await expect(diffDraft(store, catalog(), PUBLIC, { asOf: "2020-01-01" })).rejects.toMatchObject({
      problems: [{ code: "model.not_in_force" }],
    });
  });
});

describe("publish", () => {
  it("refuses the current version number and a changed owner", async () => {
    await expect(publishModel(store, catalog(), PUBLIC, { by: "t" })).rejects.toMatchObject({
      status: 409,
      problems: [{ code: "model.version_exists" }],
    });
    await expect(
      publishModel(store, catalog(), harsher("2").replace("owner: XYB", "owner: SCJG"), { by: "t" }),
    ).rejects.toMatchObject({ problems: [{ code: "model.owner_changed" }] });
  });

  it("makes the draft current: the model set and the next evaluation use the new version", async () => {
    const before = await currentModelSet(store, catalog());
    expect(before).toBe(modelSet(catalog()));
    const r = await publishModel(store, catalog(), harsher("2"), { by: "xyb-admin", note: "一般处罚加重" });
    expect(r).toMatchObject({
      modelId: "public",
      version: "2",
      previousVersion: "1",
      publishedBy: "xyb-admin",
    });
    expect(r.digest).toBe(parseModel(harsher("2"), catalog()).compiled.digest);

    const set = await currentModelSet(store, catalog());
    expect(set.public.version).toBe("2");
    expect(set.public.digest).toBe(r.digest);
    expect(set.industry.map((m) => m.id)).toEqual(modelSet(catalog()).industry.map((m) => m.id));
    expect(await currentModelSet(store, catalog())).toBe(set); // cached until the next publication
    // What a worker thread builds from the same published list is the same set.
    const published = await publishedModels(store);
    expect(published.map((p) => [p.model_id, p.version])).toEqual([["public", "2"]]);
    expect(modelSetWith(catalog(), published).public.digest).toBe(r.digest);
    expect(modelSetWith(catalog(), [])).toBe(modelSet(catalog()));

    const run = await evaluate(store, catalog(), { asOf: TODAY, models: set });
    expect(run.changed).toBeGreaterThan(0);
    const versions = await currentModelVersions(store);
    expect(versions).toEqual([{ model_version: "2" }]);

    // Now the draft of version 2 is the current version: diffing it again is the identity.
    const same = await diffDraft(store, catalog(), harsher("2"), { asOf: TODAY });
    expect(same.current.version).toBe("2");
    expect(same.psi).toBe(0);
    // Version 1 as a draft against version 2 moves subjects up.
    const back = await diffDraft(store, catalog(), PUBLIC, { asOf: TODAY });
    expect(back.moves.up).toBeGreaterThan(0);
    expect(back.moves.down).toBe(0);

    expect((await publishedVersions(store, "public")).map((v) => [v.version, v.previous_version])).toEqual([
      ["2", "1"],
    ]);
    await expect(publishModel(store, catalog(), harsher("2"), { by: "t" })).rejects.toMatchObject({
      status: 409,
    });
  });
});
