import { describe, expect, it } from "vitest";
import { InputError } from "../problem.ts";
import {
  assignInspectors,
  type Candidate,
  checkSeed,
  checkSeedCommitment,
  compareBytes,
  drawPool,
  kthSmallest,
  type PlanRules,
  parseCommitment,
  parsePoolFile,
  parseRatios,
  poolDigest,
  poolFileBytes,
  sampleSize,
  seedDigest,
  selectPool,
  ticket,
} from "./draw.ts";

/** The problems of an InputError thrown by fn (fails the test when nothing or something else is thrown). */
function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const ps = (e as InputError).problems;
    for (const p of ps) for (const t of [p.zh, p.en, p.fixZh, p.fixEn]) expect(t.length).toBeGreaterThan(0);
    return ps;
  }
  throw new Error("expected an InputError");
}

/*
 * Expected values below were computed outside this code, in the shell:
 *   printf '%s' '双随机2026:91350100M000100Y43' | sha256sum
 *   while IFS=, read code st; do printf '%s' "双随机2026:$code" | sha256sum; done < pool.txt
 *   sha256sum pool.txt
 * and written here as literals.
 */
const SEED = "双随机2026";
const POOL_TEXT = [
  "350502199001011234,B",
  "91110000600037341L,A",
  "91350100M000100Y43,A",
  "91350105MA31XQ5K2F,C",
  "91350200MA2Y9U4B1R,B",
  "91350500156071812G,E",
  "91350502MA33A0T77N,A",
  "91350503MA2XN4JB6Q,B",
  "91350582MA2Y3H8C9L,C",
  "92310115MA1LAG5R9M,A",
  "92350581MA2Y5YUJ7E,E",
  "9235058MA2Y5YUJ7E,B",
]
  .map((l) => `${l}\n`)
  .join("");
const POOL = POOL_TEXT.trim()
  .split("\n")
  .map((l) => {
    const [code, stratum] = l.split(",") as [string, string];
    return { code, stratum };
  });

describe("tickets and the pool file", () => {
  it("ticket = SHA-256 hex of the UTF-8 string SEED:CODE", () => {
    expect(ticket(SEED, "91350100M000100Y43")).toBe(
      "7dc8d45d99dcd0bfa2255880af579a5c38e772790a444968a8af0fa5be430434",
    );
    expect(ticket("S", "A")).toBe("77372b4e7f47601436d187b17665ef45f8d8c1d33cd754ca2f801fd14080c996");
  });

  it("writes CODE,STRATUM lines sorted by code in byte order; the digest is SHA-256 of the bytes", () => {
    const shuffled = [...POOL].reverse();
    const bytes = poolFileBytes(shuffled);
    expect(bytes.toString("utf8")).toBe(POOL_TEXT);
    expect(poolDigest(bytes)).toBe("68d8846a4a6d79494757b9f42766a949c8060c12061b9aff4a2c9e64c1dc5246");
    expect(parsePoolFile(bytes)).toEqual(POOL);
  });

  it("sorts digits before upper case before _ before lower case (bytes), unlike localeCompare", () => {
    const codes = ["a1", "B2", "10", "9", "A", "Z", "_x", "-y", ".z", "A0", "a"];
    const bytes = poolFileBytes(codes.map((code) => ({ code, stratum: "B" })));
    const order = bytes
      .toString()
      .trim()
      .split("\n")
      .map((l) => l.split(",")[0]);
    expect(order).toEqual(["-y", ".z", "10", "9", "A", "A0", "B2", "Z", "_x", "a", "a1"]);
    expect([...codes].sort((a, b) => a.localeCompare(b))).not.toEqual(order);
    // The same order as comparing the UTF-8 bytes.
    expect([...codes].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))).toEqual(order);
  });

  it("compareBytes is UTF-8 byte order for any text, surrogate pairs included", () => {
    const texts = ["a", "ab", "b", "\u00e9", "\uff21", "\ue000", "\u{1f600}", "\u{10000}", "\ud7ff", "", "Z"];
    const byBytes = [...texts].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...texts].sort(compareBytes)).toEqual(byBytes);
    // JavaScript's own order puts U+FF21 after the emoji's surrogates: it is not byte order.
    expect([...texts].sort()).not.toEqual(byBytes);
  });

  it("an empty pool is an empty file", () => {
    expect(poolFileBytes([]).length).toBe(0);
    expect(parsePoolFile(Buffer.alloc(0))).toEqual([]);
  });

  it("rejects duplicate codes, bad codes and unknown strata when writing", () => {
    const dup = problemsOf(() =>
      poolFileBytes([
        { code: "X1", stratum: "A" },
        { code: "X2", stratum: "A" },
        { code: "X1", stratum: "B" },
      ]),
    );
    expect(dup.map((p) => [p.code, p.value])).toEqual([["pool.duplicate", "X1"]]);
    const bad = problemsOf(() =>
      poolFileBytes([
        { code: "X 1", stratum: "A" },
        { code: "X2", stratum: "a" },
        { code: "X:3", stratum: "B" },
      ]),
    );
    expect(bad.map((p) => [p.code, p.row])).toEqual([
      ["pool.code_char", 1],
      ["pool.stratum", 2],
      ["pool.code_char", 3],
    ]);
    expect(bad[1]!.fixEn).toContain("upper case: A");
  });
});

describe("parsePoolFile is strict and says which line and how to fix it", () => {
  const parse = (text: string | Buffer) =>
    problemsOf(() => parsePoolFile(typeof text === "string" ? Buffer.from(text, "utf8") : text));
  const codes = (text: string | Buffer) => parse(text).map((p) => [p.code, p.row]);

  it("BOM, CR LF, missing final newline, empty lines", () => {
    expect(codes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("X1,A\n")]))).toEqual([
      ["pool.bom", 1],
    ]);
    expect(codes("X1,A\r\nX2,B\r\n")).toEqual([
      ["pool.crlf", 1],
      ["pool.crlf", 2],
    ]);
    expect(codes("X1,A\nX2,B")).toEqual([["pool.final_newline", 2]]);
    expect(codes("X1,A\n\nX2,B\n")).toEqual([["pool.line", 2]]);
    expect(codes("X1,A\nX2,B\n\n")).toEqual([["pool.line", 3]]);
  });

  it("fields: commas, codes, strata", () => {
    expect(codes("X1\n")).toEqual([["pool.line", 1]]);
    expect(codes("X1,A,B\n")).toEqual([["pool.line", 1]]);
    expect(codes(",A\n")).toEqual([["pool.code_empty", 1]]);
    expect(codes("X1,F\nX2,nr\n")).toEqual([
      ["pool.stratum", 1],
      ["pool.stratum", 2],
    ]);
    expect(parse("X2,nr\n")[0]!.fixZh).toContain("NR");
    expect(codes("X 1,A\n")).toEqual([["pool.code_char", 1]]);
    expect(codes(`${"X".repeat(65)},A\n`)).toEqual([["pool.code_long", 1]]);
    const fullWidth = parse("Ｘ1,A\n");
    expect(fullWidth.map((p) => p.code)).toEqual(["pool.encoding"]);
    expect(fullWidth[0]!.en).toContain("0xEF");
  });

  it("order: unsorted and duplicate lines name the line they clash with", () => {
    const unsorted = parse("X2,A\nX1,A\n");
    expect(unsorted.map((p) => [p.code, p.row])).toEqual([["pool.unsorted", 2]]);
    expect(unsorted[0]!.en).toContain("line 1");
    expect(unsorted[0]!.fixEn).toContain("LC_ALL=C sort");
    const dup = parse("X1,A\nX1,B\n");
    expect(dup.map((p) => [p.code, p.row, p.field])).toEqual([["pool.duplicate", 2, "code"]]);
    // Lower case sorts after upper case and digits (bytes), so this file is sorted.
    expect(parsePoolFile(Buffer.from("9,A\nA,A\na,A\n")).map((e) => e.code)).toEqual(["9", "A", "a"]);
    expect(codes("a,A\nA,A\n")).toEqual([["pool.unsorted", 2]]);
  });

  it("reports every problem up to 20", () => {
    const text = Array.from({ length: 30 }, (_, i) => `X${i},Q\n`).join("");
    expect(parse(text)).toHaveLength(20);
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

describe("inspector assignment", () => {
  const inspector = (id: string, qualifications = ["food"], department = "SCJG") => ({
    id,
    department,
    qualifications,
  });

  it("pinned small cases: ring, window, load first then rank, cap, the least-loaded fill-in", () => {
    /*
     * Computed by hand from the rule (docs/draw-algorithm.md §5), hashes from `printf '%s' … | sha256sum`:
     * ring by SHA-256(S:ID): I3 4aca…, I4 96c2…, I2 ca97…, I1 d92a… ; cap = ceil(4 × 2 / 4) = 2.
     * X1: p = 3, window I1 I3 I4 I2 (all load 0), ranks 0c12 defb a34f 95f0 → I1, I2.
     * X2: p = 2, window I2 I1 I3 I4; I3 and I4 have load 0, ranks 7e82 0ca3 → I4, I3.
     * X3: p = 0, I1 in conflict; window I3 I4 I2, all load 1, ranks b71f 8d8c 02c0 → I2, I4 (both now at cap).
     * X4: p = 1, below cap only I1 and I3 (load 1), ranks 58cb ab46 → I1, I3.
     */
    const r = assignInspectors(
      [{ code: "X1" }, { code: "X2" }, { code: "X3" }, { code: "X4" }],
      [inspector("I1"), inspector("I2"), inspector("I3"), inspector("I4"), inspector("I5", ["fire"])],
      [{ inspectorId: "I1", subjectCode: "X3" }],
      "S",
      { perSubject: 2, requiredQualifications: ["food"] },
    );
    expect(r.assignments).toEqual([
      { code: "X1", inspectorIds: ["I1", "I2"] },
      { code: "X2", inspectorIds: ["I4", "I3"] },
      { code: "X3", inspectorIds: ["I2", "I4"] },
      { code: "X4", inspectorIds: ["I1", "I3"] },
    ]);
    expect(r.unassigned).toEqual([]);
    expect(r.cap).toBe(2);
    expect(r.load).toEqual({ I3: 2, I4: 2, I2: 2, I1: 2 });
    /*
     * Ring I3 (4aca…), I2 (ca97…), I1 (d92a…); cap 2; I3 in conflict with Y1 and Y2, so both take I1 and I2.
     * Y3: p = 0x4705ba5c6b84 mod 3 = 2 (I1); below cap only I3 → I3, then the least loaded of I1 and I2 (both 2),
     * nearest to p → I1, which goes one over the cap.
     */
    const fill = assignInspectors(
      [{ code: "Y1" }, { code: "Y2" }, { code: "Y3" }],
      [inspector("I1"), inspector("I2"), inspector("I3")],
      [
        { inspectorId: "I3", subjectCode: "Y1" },
        { inspectorId: "I3", subjectCode: "Y2" },
      ],
      "S",
      { perSubject: 2 },
    );
    expect(fill.assignments.map((a) => a.inspectorIds)).toEqual([
      ["I1", "I2"],
      ["I1", "I2"],
      ["I3", "I1"],
    ]);
    expect(fill.load).toEqual({ I3: 1, I2: 2, I1: 3 });
  });

  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ code: `S${String(i).padStart(6, "0")}` }));
  const staff = (n: number) => Array.from({ length: n }, (_, i) => inspector(`P${i}`));

  it("never assigns a conflicted inspector; loads stay at or under the cap and close together", () => {
    const subjects = many(3000);
    const inspectors = staff(37);
    const conflicts = subjects
      .filter((_, i) => i % 7 === 0)
      .flatMap((s, i) => [
        { inspectorId: `P${i % 37}`, subjectCode: s.code },
        { inspectorId: `P${(i * 5) % 37}`, subjectCode: s.code },
      ]);
    const r = assignInspectors(subjects, inspectors, conflicts, "seed", { perSubject: 2 });
    expect(r.unassigned).toEqual([]);
    const bad = new Set(conflicts.map((c) => `${c.inspectorId}|${c.subjectCode}`));
    for (const a of r.assignments) {
      expect(new Set(a.inspectorIds).size).toBe(2);
      for (const id of a.inspectorIds) expect(bad.has(`${id}|${a.code}`)).toBe(false);
    }
    const loads = Object.values(r.load);
    expect(loads.reduce((s, x) => s + x, 0)).toBe(6000);
    expect(r.cap).toBe(Math.ceil(6000 / 37));
    expect(Math.max(...loads)).toBeLessThanOrEqual(r.cap + 1);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(Math.ceil(r.cap * 0.05) + 1);
  });

  it("is reproducible and independent of the order of inspectors and conflicts", () => {
    const subjects = many(500);
    const inspectors = staff(20);
    const conflicts = [
      { inspectorId: "P3", subjectCode: "S000007" },
      { inspectorId: "P4", subjectCode: "S000007" },
      { inspectorId: "P9", subjectCode: "S000100" },
    ];
    const a = assignInspectors(subjects, inspectors, conflicts, "seed", { perSubject: 2 });
    const b = assignInspectors(subjects, [...inspectors].reverse(), [...conflicts].reverse(), "seed", {
      perSubject: 2,
    });
    expect(b).toEqual(a);
    const c = assignInspectors(subjects, inspectors, conflicts, "other seed", { perSubject: 2 });
    expect(c.assignments).not.toEqual(a.assignments);
  });

  it("subjects that cannot be staffed are unassigned, with the reason", () => {
    const few = assignInspectors([{ code: "X1" }], [inspector("I1")], [], "S", { perSubject: 2 });
    expect(few.assignments).toEqual([]);
    expect(few.unassigned[0]!.code).toBe("X1");
    expect(few.unassigned[0]!.reason.en).toContain("Only 1 qualified");
    const conflicted = assignInspectors(
      [{ code: "X1" }, { code: "X2" }],
      [inspector("I1"), inspector("I2"), inspector("I3")],
      [
        { inspectorId: "I1", subjectCode: "X1" },
        { inspectorId: "I2", subjectCode: "X1" },
      ],
      "S",
      { perSubject: 2 },
    );
    expect(conflicted.unassigned.map((u) => u.code)).toEqual(["X1"]);
    expect(conflicted.unassigned[0]!.reason.zh).toContain("回避");
    expect(conflicted.assignments.map((a) => a.code)).toEqual(["X2"]);
  });

  it("only inspectors of the department holding every required qualification are eligible", () => {
    const r = assignInspectors(
      many(40),
      [
        inspector("I1", ["food", "drugs"]),
        inspector("I2", ["food"]),
        inspector("I3", ["food", "drugs"]),
        inspector("I4", ["food", "drugs"], "ZJ"),
        inspector("I5", ["food", "drugs"]),
      ],
      [],
      "S",
      { perSubject: 2, requiredQualifications: ["food", "drugs"], department: "SCJG" },
    );
    expect(Object.keys(r.load).sort()).toEqual(["I1", "I3", "I5"]);
    expect(r.assignments.flatMap((a) => a.inspectorIds).every((id) => ["I1", "I3", "I5"].includes(id))).toBe(
      true,
    );
  });

  it("rejects duplicate inspectors or subjects and a bad perSubject", () => {
    expect(
      problemsOf(() =>
        assignInspectors([], [inspector("I1"), inspector("I1")], [], "S", { perSubject: 2 }),
      )[0]!.code,
    ).toBe("assign.inspector_duplicate");
    expect(
      problemsOf(() => assignInspectors([{ code: "X" }, { code: "X" }], [], [], "S", { perSubject: 2 }))[0]!
        .code,
    ).toBe("assign.subject_duplicate");
    expect(problemsOf(() => assignInspectors([], [], [], "S", { perSubject: 0 }))[0]!.code).toBe(
      "assign.per_subject",
    );
  });
});

describe("pool rules", () => {
  const plan: PlanRules = {
    items: ["food-safety"],
    frequencyCapPerYear: { A: 1, B: 1, C: 2, D: null, NR: 1 },
    floorYears: 2,
    exclusionMonths: 3,
  };
  const cand = (code: string, stratum: string, inspections: [string, string[]][] = []): Candidate => ({
    code,
    stratum,
    inspections: inspections.map(([date, items]) => ({ date, items })),
  });
  const decide = (c: Candidate, asOf: string, p: PlanRules = plan) => {
    const r = selectPool([c], p, asOf);
    if (r.pool.length) return "pool";
    if (r.mustInspect.length) return "must";
    return r.excluded[0]!.reason;
  };

  it("same items within exclusionMonths → excluded; calendar months, month ends clamp", () => {
    // 2026-02-28 + 3 months = 2026-05-28 ≤ 2026-05-31: three months ago, no longer excluded.
    expect(decide(cand("X", "D", [["2026-02-28", ["food-safety"]]]), "2026-05-31")).toBe("pool");
    expect(decide(cand("X", "D", [["2026-03-01", ["food-safety"]]]), "2026-05-31")).toBe("recent_same_items");
    // 2024-02-29 + 3 months = 2024-05-29.
    expect(decide(cand("X", "D", [["2024-02-29", ["food-safety"]]]), "2024-05-28")).toBe("recent_same_items");
    expect(decide(cand("X", "D", [["2024-02-29", ["food-safety"]]]), "2024-05-29")).toBe("pool");
    // Other items do not exclude (but count towards the cap).
    expect(
      decide(
        cand("X", "D", [
          ["2026-05-01", ["fire"]],
          ["2025-01-01", ["food-safety"]],
        ]),
        "2026-05-31",
      ),
    ).toBe("pool");
    const r = selectPool([cand("X", "D", [["2026-05-01", ["food-safety"]]])], plan, "2026-05-31");
    expect(r.excluded[0]).toMatchObject({ reason: "recent_same_items" });
    expect(r.excluded[0]!.zh).toContain("2026-05-01");
    expect(r.excluded[0]!.en).toContain("within 3 months");
  });

  it("frequency cap per stratum over the last 12 months, any items; null or absent = no cap", () => {
    const once = (s: string): Candidate =>
      cand(`X${s}`, s, [
        ["2025-08-01", ["fire"]],
        ["2025-01-01", ["food-safety"]],
      ]);
    expect(decide(once("A"), "2026-05-31")).toBe("frequency_cap");
    expect(decide(once("B"), "2026-05-31")).toBe("frequency_cap");
    expect(decide(once("C"), "2026-05-31")).toBe("pool");
    expect(decide(once("D"), "2026-05-31")).toBe("pool");
    expect(decide(once("E"), "2026-05-31")).toBe("pool");
    const twice = cand("X", "C", [
      ["2025-08-01", ["fire"]],
      ["2026-01-05", ["tax"]],
      ["2025-01-01", ["food-safety"]],
    ]);
    expect(decide(twice, "2026-05-31")).toBe("frequency_cap");
    // 2025-05-31 + 1 year = 2026-05-31 ≤ as-of: outside the 12 months.
    expect(
      decide(
        cand("X", "A", [
          ["2025-05-31", ["fire"]],
          ["2025-01-01", ["food-safety"]],
        ]),
        "2026-05-31",
      ),
    ).toBe("pool");
    expect(
      decide(
        cand("X", "A", [
          ["2025-06-01", ["fire"]],
          ["2025-01-01", ["food-safety"]],
        ]),
        "2026-05-31",
      ),
    ).toBe("frequency_cap");
    const r = selectPool([once("A")], plan, "2026-05-31");
    expect(r.excluded[0]!.en).toContain("cap for A is 1");
  });

  it("floor: no inspection by the department, or the last one floorYears ago or more → must inspect", () => {
    expect(decide(cand("X", "A"), "2026-05-31")).toBe("must");
    // Any items count for the floor (the window above is about the same items).
    expect(decide(cand("X", "A", [["2025-01-01", ["fire"]]]), "2026-05-31")).toBe("pool");
    // 2024-05-31 + 2 years = 2026-05-31 ≤ as-of: due.
    expect(decide(cand("X", "B", [["2024-05-31", ["food-safety"]]]), "2026-05-31")).toBe("must");
    expect(decide(cand("X", "B", [["2024-06-01", ["food-safety"]]]), "2026-05-31")).toBe("pool");
    const r = selectPool(
      [cand("X", "B", [["2024-05-31", ["food-safety"]]]), cand("Y", "A")],
      plan,
      "2026-05-31",
    );
    expect(r.mustInspect).toEqual([
      { code: "X", stratum: "B", lastInspected: "2024-05-31" },
      { code: "Y", stratum: "A", lastInspected: null },
    ]);
    expect(r.pool).toEqual([]);
  });

  it("floor: a subject registered less than floorYears ago is not overdue yet", () => {
    expect(decide({ ...cand("X", "NR"), registeredOn: "2024-06-01" }, "2026-05-31")).toBe("pool");
    expect(decide({ ...cand("X", "NR"), registeredOn: "2024-05-31" }, "2026-05-31")).toBe("must");
    expect(decide({ ...cand("X", "NR"), registeredOn: null }, "2026-05-31")).toBe("must");
  });

  it("with the plan's department, the floor and the cap count its inspections; the window counts everyone's", () => {
    const dept: PlanRules = { ...plan, department: "SCJG" };
    const by = (department: string, date: string, items: string[]) => ({ date, items, department });
    // Another department's recent inspection does not satisfy the floor, nor count toward the cap.
    expect(
      decide({ ...cand("X", "A"), inspections: [by("ZJ", "2026-04-01", ["fire"])] }, "2026-05-31", dept),
    ).toBe("must");
    expect(
      decide(
        {
          ...cand("X", "A"),
          inspections: [by("ZJ", "2026-04-01", ["fire"]), by("SCJG", "2025-01-01", ["fire"])],
        },
        "2026-05-31",
        dept,
      ),
    ).toBe("pool");
    expect(
      decide({ ...cand("X", "A"), inspections: [by("SCJG", "2026-01-01", ["fire"])] }, "2026-05-31", dept),
    ).toBe("frequency_cap");
    // The same items by another department within the window: excluded.
    expect(
      decide(
        { ...cand("X", "A"), inspections: [by("ZJ", "2026-04-01", ["food-safety"])] },
        "2026-05-31",
        dept,
      ),
    ).toBe("recent_same_items");
  });

  it("precedence: the same-items window beats the floor, the floor beats the cap", () => {
    // Overdue (no inspection in 2 years) and at the cap: impossible with one list, so the floor shows on a
    // subject whose only inspections are older than the floor, however many.
    expect(
      decide(
        cand("X", "A", [
          ["2023-04-01", ["fire"]],
          ["2023-01-01", ["food-safety"]],
        ]),
        "2026-05-31",
      ),
    ).toBe("must");
    // A window longer than the floor: a subject inspected inside both is excluded, not due.
    const odd: PlanRules = { ...plan, floorYears: 1, exclusionMonths: 24 };
    expect(decide(cand("X", "A", [["2025-01-01", ["food-safety"]]]), "2026-05-31", odd)).toBe(
      "recent_same_items",
    );
  });

  it("0 turns the floor and the window off; inspections after the as-of date are ignored", () => {
    const off: PlanRules = { ...plan, floorYears: 0, exclusionMonths: 0 };
    expect(decide(cand("X", "D"), "2026-05-31", off)).toBe("pool");
    expect(decide(cand("X", "D", [["2026-05-30", ["food-safety"]]]), "2026-05-31", off)).toBe("pool");
    expect(decide(cand("X", "D", [["2026-06-01", ["food-safety"]]]), "2026-05-31", off)).toBe("pool");
    expect(
      decide(
        cand("X", "A", [
          ["2026-06-01", ["fire"]],
          ["2025-01-01", ["food-safety"]],
        ]),
        "2026-05-31",
      ),
    ).toBe("pool");
  });

  it("the pool comes out in code byte order, ready to freeze", () => {
    const cs = ["b1", "B2", "10", "9", "A"].map((c) => cand(c, "D", [["2025-12-01", ["food-safety"]]]));
    const r = selectPool(cs, plan, "2026-05-31");
    expect(r.pool.map((e) => e.code)).toEqual(["10", "9", "A", "B2", "b1"]);
    expect(poolFileBytes(r.pool).toString()).toBe("10,D\n9,D\nA,D\nB2,D\nb1,D\n");
  });

  it("rejects bad input with every problem named", () => {
    const ps = problemsOf(() =>
      selectPool(
        [cand("X", "F"), cand("Y", "A", [["2026-02-30", []]]), cand("Y", "A")],
        { items: [], frequencyCapPerYear: { A: 0, Q: 1 }, floorYears: -1, exclusionMonths: 1.5 },
        "2026-13-01",
      ),
    );
    expect(ps.map((p) => p.code)).toEqual([
      "plan.as_of",
      "plan.floor_years",
      "plan.exclusion_months",
      "plan.items",
      "plan.frequency_cap",
      "plan.frequency_cap",
      "pool.stratum",
      "plan.inspection_date",
      "pool.duplicate",
    ]);
  });
});
