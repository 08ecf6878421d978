import { describe, expect, it } from "vitest";
import type { InputError } from "../problem.ts";
import {
  checkSeed,
  checkSeedCommitment,
  drawPool,
  kthSmallest,
  parseCommitment,
  parseRatios,
  sampleSize,
  seedDigest,
  ticket,
} from "./draw.ts";
import { compareBytes, parsePoolFile } from "./pool-file.ts";
import { POOL, problemsOf, SEED } from "./testing.ts";

describe("tickets", () => {
  it("ticket = SHA-256 hex of the UTF-8 string SEED:CODE", () => {
    expect(ticket(SEED, "91350100M000100Y43")).toBe(
      "7dc8d45d99dcd0bfa2255880af579a5c38e772790a444968a8af0fa5be430434",
    );
    expect(ticket("S", "A")).toBe("77372b4e7f47601436d187b17665ef45f8d8c1d33cd754ca2f801fd14080c996");
  });
});

describe("sample sizes: ceil(N × R / 10000) in integers", () => {
  it.each([
    [0, 300, 0],
    [1, 1, 1],
    [33, 300, 1],
    [34, 300, 2],
    [100, 300, 3],
    [101, 300, 4],
    [10000, 300, 300],
    [10001, 300, 301],
    [99, 10000, 99],
    [99, 0, 0],
    [3, 3333, 1],
    [3, 3334, 2],
    [1_500_000, 500, 75_000],
  ])("N %i at %i bp → %i", (n, r, want) => {
    expect(sampleSize(n, r)).toBe(want);
  });

  it("is exact for every safe integer N (checked with BigInt)", () => {
    for (const n of [
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER - 1,
      2 ** 52 + 12345,
      9_999_999_999_999,
    ])
      for (const r of [1, 299, 300, 9999, 10000]) {
        const want = (BigInt(n) * BigInt(r) + 9999n) / 10000n;
        expect(BigInt(sampleSize(n, r))).toBe(want);
        expect(sampleSize(n, r)).toBeLessThanOrEqual(n);
      }
  });

  it("rejects ratios that are not whole basis points 0–10000 and counts that are not whole", () => {
    for (const r of [-1, 10001, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(problemsOf(() => sampleSize(10, r))[0]!.code).toBe("draw.ratio");
    for (const n of [-1, 1.5, 2 ** 53, Number.NaN])
      expect(problemsOf(() => sampleSize(n, 300))[0]!.code).toBe("draw.count");
  });
});

describe("parseRatios", () => {
  it("reads STRATUM=BASIS_POINTS lists, spaces around items allowed", () => {
    expect(parseRatios("A=300,B=500,C=1000,D=3000,E=10000,NR=500")).toEqual({
      A: 300,
      B: 500,
      C: 1000,
      D: 3000,
      E: 10000,
      NR: 500,
    });
    expect(parseRatios(" A = 300 , NR=0 ")).toEqual({ A: 300, NR: 0 });
  });

  it("names every problem with its fix", () => {
    const ps = problemsOf(() => parseRatios("a=300,B=5%,C=1000,C=2000,,D,E=10001,X=1,NR=2.5"));
    expect(ps.map((p) => [p.code, p.value])).toEqual([
      ["ratios.stratum", "a=300"],
      ["ratios.value", "B=5%"],
      ["ratios.duplicate", "C=2000"],
      ["ratios.item", ""],
      ["ratios.item", "D"],
      ["ratios.value", "E=10001"],
      ["ratios.stratum", "X=1"],
      ["ratios.value", "NR=2.5"],
    ]);
    expect(ps[0]!.fixEn).toContain("upper case: A");
    expect(ps[1]!.fixEn).toContain("5% = 500");
    expect(ps.every((p) => p.field === "ratios")).toBe(true);
    expect(problemsOf(() => parseRatios(""))[0]!.code).toBe("ratios.empty");
    // Names an object has by inheritance are not strata.
    expect(problemsOf(() => parseRatios("constructor=1,toString=2")).map((p) => p.code)).toEqual([
      "ratios.stratum",
      "ratios.stratum",
    ]);
    expect(problemsOf(() => parsePoolFile(Buffer.from("X1,constructor\n")))[0]!.code).toBe("pool.stratum");
    expect(problemsOf(() => drawPool([{ code: "X1", stratum: "toString" }], "s", { A: 1 }))[0]!.code).toBe(
      "pool.stratum",
    );
  });
});

describe("the draw", () => {
  const ratios = { A: 5000, B: 2500, C: 10000, E: 1 };

  it("takes the n lowest tickets per stratum and lists them in ticket order (pinned)", () => {
    const r = drawPool(POOL, SEED, ratios);
    // A: 4 at 50% → 2; B: 4 at 25% → 1; C: 2 at 100% → 2; E: 2 at 0.01% → ceil(0.0002) = 1.
    expect(r.perStratum).toEqual({
      A: { pool: 4, ratioBp: 5000, drawn: 2 },
      B: { pool: 4, ratioBp: 2500, drawn: 1 },
      C: { pool: 2, ratioBp: 10000, drawn: 2 },
      E: { pool: 2, ratioBp: 1, drawn: 1 },
    });
    expect(r.drawn).toEqual([
      {
        code: "350502199001011234",
        stratum: "B",
        ticket: "064f43e3952be71f4d7e905129e2b0a971dbeb831976cabdec696ff4b266273f",
      },
      {
        code: "91350502MA33A0T77N",
        stratum: "A",
        ticket: "11b6b6402cf406e2db42feba58e078eccfccc4971f1c3bb6042996e43f84dd5a",
      },
      {
        code: "91110000600037341L",
        stratum: "A",
        ticket: "2480012ba7d9aa55e8a5f0ef5b717ffa5e805686094ca66a9808a4f228fc6d33",
      },
      {
        code: "91350500156071812G",
        stratum: "E",
        ticket: "2c7d1866d283cbcc44f2652659fdb08bfa73bcb7c2ebe77789c965161a6db280",
      },
      {
        code: "91350105MA31XQ5K2F",
        stratum: "C",
        ticket: "8d8b798a195abed3b79442beed4dfce449a02296c19e6db5f05091aa3009e6cf",
      },
      {
        code: "91350582MA2Y3H8C9L",
        stratum: "C",
        ticket: "b8d615aaa608a7712cb9b8d8850e9147cfaad89c9755661271a87a27da453e0f",
      },
    ]);
  });

  it("does not depend on the order of the entries; a ratio of 0 draws nothing", () => {
    const a = drawPool(POOL, SEED, ratios);
    const b = drawPool([...POOL].reverse(), SEED, ratios);
    expect(b).toEqual(a);
    const none = drawPool(POOL, SEED, { A: 0, B: 0, C: 0, E: 0 });
    expect(none.drawn).toEqual([]);
  });

  it("matches a plain sort of every ticket on a larger pool (quickselect and 48-bit keys)", () => {
    const entries = Array.from({ length: 5000 }, (_, i) => ({
      code: `91350${String(i * 7919).padStart(12, "0")}X`,
      stratum: ["A", "B", "C", "D", "E", "NR"][i % 6]!,
    }));
    const rs = { A: 300, B: 500, C: 1000, D: 3000, E: 10000, NR: 500 };
    const got = drawPool(entries, "seed", rs).drawn.map((d) => d.code);
    const want = Object.entries(rs)
      .flatMap(([s, r]) => {
        const mine = entries
          .filter((e) => e.stratum === s)
          .map((e) => ({ ...e, t: ticket("seed", e.code) }))
          .sort((x, y) => (x.t < y.t ? -1 : x.t > y.t ? 1 : compareBytes(x.code, y.code)));
        return mine.slice(0, sampleSize(mine.length, r));
      })
      .sort((x, y) => (x.t < y.t ? -1 : 1))
      .map((e) => e.code);
    expect(got).toEqual(want);
  });

  it("tickets equal in their first 48 bits are ordered by the full ticket", () => {
    // Found by a search over 2^25 codes: under seed "tie" these two tickets share their first 12 hex digits.
    //   printf '%s' 'tie:T08XWT9' | sha256sum → ee471795d268 90da4b68…
    //   printf '%s' 'tie:T0F8BNF' | sha256sum → ee471795d268 ad85f9cf…
    //   printf '%s' 'tie:T0000'   | sha256sum → d7dbca6c15b9…
    const pool = [
      { code: "T0F8BNF", stratum: "B" },
      { code: "T08XWT9", stratum: "B" },
      { code: "T0000", stratum: "B" },
    ];
    expect(drawPool(pool, "tie", { B: 5000 }).drawn.map((d) => d.code)).toEqual(["T0000", "T08XWT9"]);
    expect(drawPool(pool, "tie", { B: 10000 }).drawn.map((d) => d.code)).toEqual([
      "T0000",
      "T08XWT9",
      "T0F8BNF",
    ]);
  });

  it("a stratum in the pool without a ratio is named", () => {
    const ps = problemsOf(() => drawPool(POOL, SEED, { A: 300, B: 500 }));
    expect(ps.map((p) => [p.code, p.value])).toEqual([
      ["draw.ratio_missing", "C"],
      ["draw.ratio_missing", "E"],
    ]);
    expect(ps[0]!.en).toContain("2 subjects in stratum C");
  });

  it("rejects duplicates, unknown strata, bad ratios and bad seeds", () => {
    const dup = [...POOL, { code: "91350100M000100Y43", stratum: "B" }];
    expect(problemsOf(() => drawPool(dup, SEED, ratios)).map((p) => p.code)).toEqual(["pool.duplicate"]);
    expect(problemsOf(() => drawPool([{ code: "X", stratum: "F" }], SEED, ratios))[0]!.code).toBe(
      "pool.stratum",
    );
    expect(problemsOf(() => drawPool(POOL, SEED, { ...ratios, A: 10001 }))[0]!.code).toBe("draw.ratio");
    expect(problemsOf(() => drawPool(POOL, SEED, { ...ratios, F: 1 }))[0]!.code).toBe("ratios.stratum");
    for (const s of ["", " x", "x ", "a\nb", "x".repeat(257), "\ud800"])
      expect(problemsOf(() => checkSeed(s))[0]!.code).toBe("draw.seed");
    expect(() => checkSeed("上证指数 2026-12-07 收盘 3421.07")).not.toThrow();
  });

  it("accepts at the draw only the seed whose SHA-256 was committed at the freeze, byte for byte", () => {
    // printf '%s' '双随机2026' | sha256sum
    const digest = "12551fdd371a0921479a94fbacb6e80c27d280f7bab326518c93615970b1e381";
    expect(seedDigest(SEED)).toBe(digest);
    const committed = { kind: "sha256" as const, digest };
    expect(() => checkSeedCommitment(SEED, committed)).not.toThrow();
    // An upper-case digest is the same commitment.
    expect(() => checkSeedCommitment(SEED, { kind: "sha256", digest: digest.toUpperCase() })).not.toThrow();
    // Nothing is normalised: another seed, a trailing space, a full-width digit are other seeds.
    for (const other of ["双随机2027", `${SEED} `, "双随机２026"]) {
      let status = 0;
      const ps = problemsOf(() => {
        try {
          checkSeedCommitment(other, committed);
        } catch (e) {
          status = (e as InputError).status;
          throw e;
        }
      });
      expect(status).toBe(422);
      expect(ps[0]).toMatchObject({ code: "draw.commitment_mismatch", field: "seed" });
      expect(ps[0]!.en).toContain(seedDigest(other));
      expect(ps[0]!.zh).toContain(digest);
    }
    // A public value cannot be checked by a program: its date is checked where the draw happens.
    expect(() =>
      checkSeedCommitment("anything", {
        kind: "public-value",
        description: "福彩3D 2026339期开奖号码",
        availableOn: "2026-12-10",
      }),
    ).not.toThrow();
  });

  it("parses sha256:<hex> commitments (the verifiers' --commitment) and explains anything else", () => {
    const hex = "12551fdd371a0921479a94fbacb6e80c27d280f7bab326518c93615970b1e381";
    expect(parseCommitment(`sha256:${hex}`)).toEqual({ kind: "sha256", digest: hex });
    expect(parseCommitment(`SHA256:${hex.toUpperCase()}`)).toEqual({ kind: "sha256", digest: hex });
    for (const bad of [hex, `sha256:${hex.slice(1)}`, `sha256:${hex}0`, `md5:${hex}`, "public-value:x", ""])
      expect(problemsOf(() => parseCommitment(bad))[0]).toMatchObject({
        code: "draw.commitment_format",
        field: "--commitment",
      });
  });

  it("kthSmallest agrees with sorting, duplicates included", () => {
    let x = 7;
    const rnd = () => {
      x = (x * 1103515245 + 12345) >>> 0;
      return x;
    };
    for (const size of [1, 2, 3, 10, 1000]) {
      const a = Float64Array.from({ length: size }, () => rnd() % 17);
      const sorted = [...a].sort((p, q) => p - q);
      for (const k of [0, size >> 1, size - 1]) expect(kthSmallest(a.slice(), k)).toBe(sorted[k]);
    }
  });
});
