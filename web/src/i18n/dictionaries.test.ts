import { describe, expect, it } from "vitest";
import * as admin from "./admin.ts";
import * as auth from "./auth.ts";
import * as common from "./common.ts";
import * as evaluation from "./evaluation.ts";
import * as inspections from "./inspections.ts";
import * as measures from "./measures.ts";
import * as models from "./models.ts";
import * as ratings from "./ratings.ts";
import * as records from "./records.ts";

const dictionaries = { common, auth, admin, records, evaluation, models, ratings, measures, inspections };

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("i18n dictionaries", () => {
  for (const [feature, { zh, en }] of Object.entries(dictionaries)) {
    it(`${feature}: both languages have every key, with a text and the same placeholders`, () => {
      expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
      for (const [key, zhText] of Object.entries(zh) as [string, string][]) {
        const enText = (en as Record<string, string>)[key] ?? "";
        expect(zhText.trim(), key).not.toBe("");
        expect(enText.trim(), key).not.toBe("");
        expect(placeholders(enText), key).toEqual(placeholders(zhText));
      }
    });
  }

  it("no key is defined by two features", () => {
    const owner = new Map<string, string>();
    for (const [feature, { zh }] of Object.entries(dictionaries))
      for (const key of Object.keys(zh)) {
        expect(owner.get(key), key).toBeUndefined();
        owner.set(key, feature);
      }
  });
});
