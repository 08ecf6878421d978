import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../demo/load.ts";
import { catalog } from "../policy/load.ts";
import { MODELS_DIR } from "../policy/models.ts";
import { modelSet } from "../services/evaluate/models.ts";
import { openTestApp, type TestApp } from "./testing.ts";

const TODAY = "2026-11-29";
const PUBLIC = fs.readFileSync(`${MODELS_DIR}/public.yaml`, "utf8");
const FOOD = fs.readFileSync(`${MODELS_DIR}/samr-food.yaml`, "utf8");
const v2 = PUBLIC.replace(
  "{ minor: 10, general: 80, serious: 200 }, source: ndrc-2026",
  "{ minor: 10, general: 160, serious: 200 }, source: ndrc-2026",
).replace(/^version: "1"$/m, 'version: "2"');

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  await loadDemo(t.store, { subjects: 300, seed: "model-api", today: TODAY });
});
afterAll(async () => t.close());

const as = (u: string, type = "application/yaml") => ({ cookie: t.cookies[u]!, "content-type": type });

describe("model what-if and publication API", () => {
  it("only the owning department's administrator may diff: the city office for the public model", async () => {
    const scjg = await t.app.inject({
      method: "POST",
      url: `/api/v1/models/public/diff?asOf=${TODAY}`,
      headers: as("t-dadmin"),
      payload: PUBLIC,
    });
    expect(scjg.statusCode).toBe(403);
    expect(scjg.json().problems[0].code).toBe("model.not_owner");
    const staff = await t.app.inject({
      method: "POST",
      url: "/api/v1/models/samr-food/diff",
      headers: as("t-staff"),
      payload: FOOD,
    });
    expect(staff.statusCode).toBe(403);
    const own = await t.app.inject({
      method: "POST",
      url: `/api/v1/models/samr-food/diff?asOf=${TODAY}`,
      headers: as("t-dadmin"),
      payload: FOOD,
    });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({
      modelId: "samr-food",
      psi: 0,
      shift: "stable",
      psiBands: { moderate: 0.1, major: 0.25 },
    });
  });

  it("refuses a draft in a type an HTML form can post from another site (text/plain, form, multipart): 415", async () => {
    for (const [type, payload] of [
      ["text/plain", PUBLIC],
      ["text/plain; charset=utf-8", PUBLIC],
      ["application/x-www-form-urlencoded", `yaml=${encodeURIComponent(PUBLIC)}`],
      [
        "multipart/form-data; boundary=x",
        `--x\r\nContent-Disposition: form-data; name="yaml"\r\n\r\n${PUBLIC}\r\n--x--\r\n`,
      ],
    ] as const)
      for (const action of ["diff", "publish"]) {
        const r = await t.app.inject({
          method: "POST",
          url: `/api/v1/models/public/${action}`,
          headers: { ...as("t-city", type), "accept-language": "en" },
          payload,
        });
        expect(r.statusCode, `${action} ${type}`).toBe(415);
        const body = r.json();
        expect(body.problems[0]).toMatchObject({
          code: "request.content_type",
          field: "content-type",
          value: type,
        });
        expect(body.problems[0].zh).toContain("模型草案不接受内容类型");
        expect(body.problems[0].en).toContain("application/json, application/yaml");
        expect(body.message).toContain("Set Content-Type to application/yaml");
      }
    const published = await t.store.db.selectFrom("model_versions").select("id").execute();
    expect(published).toEqual([]);
    // the permission check still comes first: a caller who may not manage models learns nothing more
    const staff = await t.app.inject({
      method: "POST",
      url: "/api/v1/models/public/diff",
      headers: as("t-staff", "text/plain"),
      payload: PUBLIC,
    });
    expect(staff.statusCode).toBe(403);
  });

  it("gives the owner the current version's file to start a draft from", async () => {
    const r = await t.app.inject({ url: "/api/v1/models/samr-food/source", headers: as("t-dadmin") });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      id: "samr-food",
      version: "1",
      owner: "SCJG",
      source: "policy/models/samr-food.yaml",
      yaml: FOOD,
    });
    const other = await t.app.inject({ url: "/api/v1/models/public/source", headers: as("t-dadmin") });
    expect(other.statusCode).toBe(403);
    const none = await t.app.inject({ url: "/api/v1/models/nope/source", headers: as("t-city") });
    expect(none.statusCode).toBe(404);
  });

  it("the city office diffs a draft of the public model (YAML body or JSON)", async () => {
    const r = await t.app.inject({
      method: "POST",
      url: `/api/v1/models/public/diff?asOf=${TODAY}`,
      headers: as("t-city"),
      payload: v2,
    });
    expect(r.statusCode).toBe(200);
    const d = r.json();
    // The population: the demo subjects in the public model's scope (natural persons and deregistered are not).
    const pub = modelSet(catalog()).public;
    const inScope = (await t.store.db.selectFrom("subjects").selectAll().execute()).filter((s) =>
      pub.scope(s),
    );
    expect(inScope.length).toBeLessThan(300);
    expect(d).toMatchObject({
      modelId: "public",
      current: { version: "1" },
      draft: { version: "2" },
      subjects: inScope.length,
    });
    expect(d.moves.up).toBe(0);
    expect(d.matrix.A.A + d.matrix.B.B).toBeGreaterThan(0);
    const json = await t.app.inject({
      method: "POST",
      url: `/api/v1/models/public/diff?asOf=${TODAY}`,
      headers: as("t-city", "application/json"),
      payload: { yaml: PUBLIC },
    });
    expect(json.json().psi).toBe(0);
  });

  it("a broken draft is refused with bilingual problems; a draft of another model is refused", async () => {
    const broken = await t.app.inject({
      method: "POST",
      url: "/api/v1/models/public/publish",
      headers: { ...as("t-city"), "accept-language": "en" },
      payload: v2.replace("categories: [PENALTY]", "categories: [NOPE]"),
    });
    expect(broken.statusCode).toBe(400);
    // The line of the draft the problem is on (the category list of the indicator), in `row`.
    const line = v2.split("\n").findIndex((l) => l.includes("categories: [PENALTY]")) + 1;
    expect(broken.json().problems[0]).toMatchObject({ code: "model.invalid", row: line });
    expect(broken.json().problems[0].zh).toContain("无法编译");
    expect(broken.json().message).toContain("cannot be compiled");
    const other = await t.app.inject({
      method: "POST",
      url: "/api/v1/models/public/diff",
      headers: as("t-city"),
      payload: FOOD,
    });
    expect(other.statusCode).toBe(400);
  });

  it("publishes a version: it becomes current for /models, and a second publication of it conflicts", async () => {
    const r = await t.app.inject({
      method: "POST",
      url: "/api/v1/models/public/publish?note=一般处罚加重",
      headers: as("t-city"),
      payload: v2,
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      modelId: "public",
      version: "2",
      previousVersion: "1",
      publishedBy: "t-city",
    });
    const again = await t.app.inject({
      method: "POST",
      url: "/api/v1/models/public/publish",
      headers: as("t-city"),
      payload: v2,
    });
    expect(again.statusCode).toBe(409);
    const versions = await t.app.inject({ url: "/api/v1/models/public/versions", headers: as("t-staff") });
    expect(versions.json()).toMatchObject({
      current: { version: "2" },
      published: [{ version: "2", previousVersion: "1", note: "一般处罚加重", publishedBy: "t-city" }],
    });
    const source = await t.app.inject({ url: "/api/v1/models/public/source", headers: as("t-city") });
    expect(source.json()).toMatchObject({ version: "2", source: "model_versions", yaml: v2 });
    const audit = await t.store.db
      .selectFrom("audit_log")
      .select(["action", "object"])
      .where("action", "=", "model.publish")
      .execute();
    expect(audit[0]?.object).toMatch(/^public 1→2 /);
  });
});
