import { describe, expect, it } from "vitest";
import {
  checkIdNumber,
  idCheckChar,
  isIdNumberLike,
  maskIdNumber,
  maskIdNumbersInText,
  maskIfIdNumber,
} from "./idcard.ts";

const TODAY = "2025-06-30";
/** Build a well-formed number from address code, birth date and sequence. */
const make = (addr: string, birth: string, seq: string) => {
  const first17 = addr + birth + seq;
  return first17 + idCheckChar(first17);
};

describe("idCheckChar", () => {
  it("computes the GB 11643 check character", () => {
    expect(idCheckChar("11010519491231002")).toBe("X"); // the standard's own example
    expect(idCheckChar("35058219900307123")).toBe("8");
    // Independent computation: Σ digit × weight = 167 for the first example, 167 mod 11 = 2 → "10X98765432"[2].
    const digits = [1, 1, 0, 1, 0, 5, 1, 9, 4, 9, 1, 2, 3, 1, 0, 0, 2];
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    expect(digits.reduce((s, d, i) => s + d * weights[i]!, 0)).toBe(167);
  });

  it("throws unless given 17 digits", () => {
    expect(() => idCheckChar("1101051949123100")).toThrow(RangeError);
    expect(() => idCheckChar("1101051949123100X")).toThrow(RangeError);
  });
});

describe("checkIdNumber", () => {
  it("accepts valid numbers, normalising x and full-width input", () => {
    for (const input of [
      "11010519491231002X",
      "11010519491231002x",
      "１１０１０５１９４９１２３１００２Ｘ",
      "350582199003071238",
    ]) {
      const r = checkIdNumber(input, TODAY);
      expect(r.status).toBe("valid");
      expect(r.reason).toBeUndefined();
    }
    expect(checkIdNumber("11010519491231002x", TODAY).normalized).toBe("11010519491231002X");
    expect(checkIdNumber("11010519491231002X", TODAY).birthDate).toBe("1949-12-31");
  });

  it("rejects empty input", () => {
    expect(checkIdNumber("  ", TODAY).reason?.code).toBe("id.empty");
  });

  it("rejects a wrong length and recognises old 15-digit numbers", () => {
    const r = checkIdNumber("11010519491231002", TODAY);
    expect(r.status).toBe("invalid");
    expect(r.reason?.code).toBe("id.length");
    expect(r.reason?.zh).toContain("17位");
    expect(checkIdNumber("110105491231002", TODAY).reason?.fixZh).toContain("15位");
  });

  it("rejects illegal characters, naming them and their positions", () => {
    const r = checkIdNumber("1101051949123100AX", TODAY);
    expect(r.reason?.code).toBe("id.char");
    expect(r.reason?.zh).toContain("第17位“A”");
    const x = checkIdNumber("11010519491231X02X", TODAY);
    expect(x.reason?.code).toBe("id.char");
    expect(x.reason?.en).toContain('"X" at position 15');
  });

  it("rejects birth dates that do not exist", () => {
    expect(checkIdNumber(make("110105", "19491331", "002"), TODAY).reason?.code).toBe("id.birth_date");
    expect(checkIdNumber(make("110105", "19490230", "002"), TODAY).reason?.code).toBe("id.birth_date");
    expect(checkIdNumber(make("110105", "19490000", "002"), TODAY).reason?.code).toBe("id.birth_date");
    expect(checkIdNumber(make("110105", "20230229", "002"), TODAY).reason?.code).toBe("id.birth_date");
    expect(checkIdNumber(make("110105", "19000229", "002"), TODAY).reason?.code).toBe("id.birth_date");
    expect(checkIdNumber(make("110105", "20000229", "002"), TODAY).status).toBe("valid");
  });

  it("rejects birth dates in the future, relative to `today`", () => {
    const n = make("350582", "20250701", "123");
    expect(checkIdNumber(n, TODAY).reason?.code).toBe("id.birth_future");
    expect(checkIdNumber(n, "2025-07-01").status).toBe("valid");
    expect(checkIdNumber(n, "20250701").status).toBe("valid");
    expect(checkIdNumber(make("350582", "21000101", "123")).reason?.code).toBe("id.birth_future");
  });

  it("rejects birth dates before 1900", () => {
    expect(checkIdNumber(make("440524", "18800101", "001"), TODAY).reason?.code).toBe("id.birth_early");
  });

  it("rejects a wrong check character and says the expected one", () => {
    const r = checkIdNumber("110105194912310021", TODAY);
    expect(r.status).toBe("invalid");
    expect(r.reason?.code).toBe("id.check");
    expect(r.reason?.zh).toContain("“X”");
    expect(r.reason?.en).toContain('"X"');
  });

  it("gives complete bilingual reasons that never repeat the number", () => {
    const inputs = ["", "123", "1101051949123100AX", make("110105", "19491331", "002"), "110105194912310021"];
    for (const input of inputs) {
      const r = checkIdNumber(input, TODAY).reason!;
      for (const k of ["code", "zh", "en", "fixZh", "fixEn"] as const) expect(r[k].length).toBeGreaterThan(0);
      if (input.length > 3)
        for (const text of [r.zh, r.en, r.fixZh, r.fixEn]) expect(text).not.toContain(input);
    }
  });

  it("throws on a malformed `today`", () => {
    expect(() => checkIdNumber("11010519491231002X", "30/06/2025")).toThrow(RangeError);
  });
});

describe("maskIdNumbersInText", () => {
  it("masks identity-number-shaped runs in URLs, valid or not, and leaves credit codes alone", () => {
    expect(maskIdNumbersInText("/api/v1/idcheck/35058219900307123X")).toBe(
      "/api/v1/idcheck/350582********123X",
    );
    expect(maskIdNumbersInText("/api/v1/subjects?q=350582199003071234&limit=20")).toBe(
      "/api/v1/subjects?q=350582********1234&limit=20",
    );
    expect(maskIdNumbersInText("/x?a=110105491231002")).toBe("/x?a=110105*****1002");
    expect(maskIdNumbersInText("/api/v1/subjects/91350100M000100Y43")).toBe(
      "/api/v1/subjects/91350100M000100Y43",
    );
    expect(maskIdNumbersInText("/api/v1/records/12345")).toBe("/api/v1/records/12345");
  });
});

describe("maskIdNumber", () => {
  it("shows the first 6 and last 4 characters", () => {
    expect(maskIdNumber("35058219900307123X")).toBe("350582********123X");
    expect(maskIdNumber(" 35058219900307123x ")).toBe("350582********123X");
    expect(maskIdNumber("110105491231002")).toBe("110105*****1002");
  });

  it("hides short values entirely", () => {
    expect(maskIdNumber("1234567890")).toBe("**********");
    expect(maskIdNumber("")).toBe("");
  });
});

describe("isIdNumberLike", () => {
  it("tells an ID number from a USCC", () => {
    expect(isIdNumberLike("11010519491231002X")).toBe(true);
    expect(isIdNumberLike("11010519491231002x")).toBe(true);
    expect(isIdNumberLike("350582199003071238")).toBe(true);
    expect(isIdNumberLike("91110000600037341L")).toBe(false);
    expect(isIdNumberLike("92310115MA1LAG5R9M")).toBe(false);
    expect(isIdNumberLike("11010519491231002")).toBe(false);
  });
});

describe("maskIfIdNumber", () => {
  it("masks identity numbers and leaves codes alone, including all-digit USCCs", () => {
    expect(maskIfIdNumber("11010519491231002X")).toBe("110105********002X");
    expect(maskIfIdNumber("913505001543836507")).toBe("913505001543836507");
    expect(maskIfIdNumber("91350100M000100Y43")).toBe("91350100M000100Y43");
  });
});
