import { describe, expect, it } from "vitest";
import { compareBytes, parsePoolFile, poolDigest, poolFileBytes } from "./pool-file.ts";
import { POOL, POOL_TEXT, problemsOf } from "./testing.ts";

describe("the pool file", () => {
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
