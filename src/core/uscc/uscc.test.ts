import { describe, expect, it } from "vitest";
import { checkUscc, normalizeCode, orgCodeCheckChar, USCC_ALPHABET, usccCheckChar } from "./uscc.ts";

const allowListed = (codes: string[]) => (n: string) => codes.includes(n);

function expectFullReason(
  r: { code: string; zh: string; en: string; fixZh: string; fixEn: string } | undefined,
) {
  expect(r).toBeDefined();
  for (const k of ["code", "zh", "en", "fixZh", "fixEn"] as const) expect(r![k].length).toBeGreaterThan(0);
}

describe("normalizeCode", () => {
  it("trims, converts full-width, removes inner spaces and hyphens, upper-cases", () => {
    expect(normalizeCode("  ９１１１００００６０００３７３４１Ｌ ")).toBe("91110000600037341L");
    expect(normalizeCode("9111 0000-6000\u300037341l")).toBe("91110000600037341L");
    expect(normalizeCode("\u3000９１－ab\t")).toBe("91AB");
    expect(normalizeCode("")).toBe("");
  });

  it("keeps other characters so they can be named", () => {
    expect(normalizeCode("9111é")).toBe("9111é");
  });
});

describe("usccCheckChar", () => {
  it("computes the published check characters", () => {
    expect(usccCheckChar("91110000600037341")).toBe("L");
    expect(usccCheckChar("92310115MA1LAG5R9")).toBe("M");
    expect(usccCheckChar("91350100M000100Y4")).toBe("3");
  });

  it("gives check character 0 when the weighted sum is a multiple of 31 (outer mod 31)", () => {
    const first17 = "91350582MA000004X";
    expect(usccCheckChar(first17)).toBe("0");
    // Independent computation: values by hand (M = 21, A = 10, X = 29), weights from GB 32100.
    const values = [9, 1, 3, 5, 0, 5, 8, 2, 21, 10, 0, 0, 0, 0, 0, 4, 29];
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const sum = values.reduce((s, v, i) => s + v * weights[i]!, 0);
    expect(sum).toBe(2108);
    expect(sum % 31).toBe(0); // 31 × 68: so 31 − 0 = 31, and 31 mod 31 = 0 → "0"
    expect(checkUscc(`${first17}0`).status).toBe("valid");
    expect(checkUscc(`${first17}0`).warnings).toBeUndefined();
  });

  it("rejects input that is not 17 code characters", () => {
    expect(() => usccCheckChar("9111000060003734")).toThrow(RangeError);
    expect(() => usccCheckChar("9111000060003734I")).toThrow(RangeError);
    expect(() => usccCheckChar("91110000600037341l")).toThrow(RangeError);
  });

  it("alphabet has 31 characters without I, O, S, V, Z", () => {
    expect(USCC_ALPHABET).toHaveLength(31);
    for (const c of "IOSVZ") expect(USCC_ALPHABET).not.toContain(c);
  });
});

describe("orgCodeCheckChar (GB 11714)", () => {
  it("computes known check characters", () => {
    expect(orgCodeCheckChar("60003734")).toBe("1");
    expect(orgCodeCheckChar("MA1LAG5R")).toBe("9");
    expect(orgCodeCheckChar("M000100Y")).toBe("4");
    expect(orgCodeCheckChar("MA000004")).toBe("X");
  });
});

describe("checkUscc", () => {
  it.each(["91110000600037341L", "92310115MA1LAG5R9M", "91350100M000100Y43"])("accepts %s", (c) => {
    const r = checkUscc(c);
    expect(r.status).toBe("valid");
    expect(r.code).toBe(c);
    expect(r.normalized).toBe(c);
    expect(r.reason).toBeUndefined();
    expect(r.warnings).toBeUndefined();
  });

  it("names authority and category", () => {
    expect(checkUscc("91110000600037341L").authority).toEqual({
      code: "9",
      zh: "工商",
      en: expect.any(String),
    });
    expect(checkUscc("91110000600037341L").category?.zh).toBe("企业");
    expect(checkUscc("92310115MA1LAG5R9M").category?.zh).toBe("个体工商户");
  });

  it("rejects a wrong check character and says the expected one", () => {
    const r = checkUscc("91110000600037341M");
    expect(r.status).toBe("invalid");
    expect(r.reason?.code).toBe("uscc.check");
    expect(r.reason?.zh).toContain("“L”");
    expect(r.reason?.en).toContain('"L"');
    expectFullReason(r.reason);
  });

  it("rejects illegal characters, naming each and its position", () => {
    const r = checkUscc("91350100M000100YIO");
    expect(r.status).toBe("invalid");
    expect(r.reason?.code).toBe("uscc.char");
    expect(r.reason?.zh).toContain("第17位的“I”");
    expect(r.reason?.zh).toContain("第18位的“O”");
    expect(r.reason?.en).toContain('"I" (position 17)');
    expect(r.reason?.en).toContain('"O" (position 18)');
    expectFullReason(r.reason);
    for (const c of "SVZ") {
      const s = checkUscc(`9135010${c}M000100Y43`);
      expect(s.reason?.code).toBe("uscc.char");
      expect(s.reason?.en).toContain(`"${c}" (position 8)`);
    }
  });

  it("rejects a wrong length and says the length found", () => {
    const r = checkUscc("91310115591693856");
    expect(r.status).toBe("invalid");
    expect(r.reason?.code).toBe("uscc.length");
    expect(r.reason?.zh).toContain("17位");
    expect(r.reason?.en).toContain("17");
    expectFullReason(r.reason);
    expect(checkUscc("91110000600037341LL").reason?.zh).toContain("19位");
    expect(checkUscc("110108000000016").reason?.fixZh).toContain("工商注册号");
  });

  it("rejects empty input", () => {
    for (const e of ["", "   ", "\u3000", " - "]) {
      const r = checkUscc(e);
      expect(r.status).toBe("invalid");
      expect(r.reason?.code).toBe("uscc.empty");
      expectFullReason(r.reason);
    }
  });

  it("uses distinct reason codes", () => {
    const codes = [
      checkUscc("").reason?.code,
      checkUscc("9131011559169385").reason?.code,
      checkUscc("91350100M000100YIO").reason?.code,
      checkUscc("91110000600037341M").reason?.code,
      checkUscc("91350211M0000XUF46", () => true).reason?.code,
    ];
    expect(new Set(codes).size).toBe(5);
  });

  it("accepts an allow-listed pre-standard code as legacy, and only then", () => {
    const legacy = "91350211M0000XUF46";
    const plain = checkUscc(legacy);
    expect(plain.status).toBe("invalid");
    expect(plain.reason?.code).toBe("uscc.check");
    expect(plain.reason?.en).toContain('"R"');

    const r = checkUscc(legacy, allowListed([legacy]));
    expect(r.status).toBe("legacy");
    expect(r.reason?.code).toBe("uscc.legacy");
    expect(r.reason?.zh).toContain("许可名单");
    expect(r.reason?.en).toContain("allow-list");
    expectFullReason(r.reason);

    expect(checkUscc(legacy, allowListed(["91110000600037341L"])).status).toBe("invalid");
  });

  it("passes the normalised code to the allow-list and ignores it for malformed or valid codes", () => {
    const seen: string[] = [];
    const spy = (n: string) => {
      seen.push(n);
      return true;
    };
    expect(checkUscc(" 91350211m0000xuf46 ", spy).status).toBe("legacy");
    expect(seen).toEqual(["91350211M0000XUF46"]);
    expect(checkUscc("91350100M000100YIO", spy).status).toBe("invalid");
    expect(checkUscc("91310115591693856", spy).status).toBe("invalid");
    expect(checkUscc("91110000600037341L", spy).status).toBe("valid");
    expect(seen).toHaveLength(1);
  });

  it("accepts full-width input and keeps the input as given", () => {
    const input = "９１１１００００６０００３７３４１Ｌ";
    const r = checkUscc(input);
    expect(r.status).toBe("valid");
    expect(r.code).toBe(input);
    expect(r.normalized).toBe("91110000600037341L");
  });

  it("accepts lower-case input and inner spaces or hyphens", () => {
    expect(checkUscc("92310115ma1lag5r9m").status).toBe("valid");
    expect(checkUscc("92310115ma1lag5r9m").normalized).toBe("92310115MA1LAG5R9M");
    expect(checkUscc(" 9231-0115 MA1L AG5R 9M").status).toBe("valid");
  });

  it("never rejects on the region code (abolished codes stay valid)", () => {
    // 352200 was 宁德地区, replaced by 350900 宁德市 in 2000; codes issued with it stay valid.
    const first17 = "91352200MA000004X";
    expect(checkUscc(first17 + usccCheckChar(first17)).status).toBe("valid");
  });

  it("only warns on a wrong organisation-code check character", () => {
    const first17 = "91350582MA0000017"; // GB 11714 check of MA000001 is 5, not 7
    const r = checkUscc(first17 + usccCheckChar(first17));
    expect(r.status).toBe("valid");
    expect(r.warnings?.map((w) => w.code)).toEqual(["uscc.org_check"]);
    expect(r.warnings?.[0]?.zh).toContain("“5”");
  });

  it("only warns on an unknown authority or category", () => {
    const unknownCategory = "94350582MA000004X";
    const r1 = checkUscc(unknownCategory + usccCheckChar(unknownCategory));
    expect(r1.status).toBe("valid");
    expect(r1.warnings?.map((w) => w.code)).toEqual(["uscc.category_unknown"]);
    const unknownAuthority = "B1350582MA000004X";
    const r2 = checkUscc(unknownAuthority + usccCheckChar(unknownAuthority));
    expect(r2.status).toBe("valid");
    expect(r2.warnings?.map((w) => w.code)).toEqual(["uscc.authority_unknown"]);
    expect(r2.authority).toBeUndefined();
  });

  it("knows every registering authority of the standard", () => {
    for (const a of "123456789ANY") {
      const first17 = `${a}1350582MA000004X`;
      expect(checkUscc(first17 + usccCheckChar(first17)).authority?.code).toBe(a);
    }
  });

  it("hints that an ID number was entered as a USCC", () => {
    const r = checkUscc("11010519491231002X");
    expect(r.status).toBe("invalid");
    expect(r.reason?.code).toBe("uscc.check");
    expect(r.reason?.fixZh).toContain("身份证");
    expect(r.reason?.fixEn).toContain("ID number");
    expect(checkUscc("91110000600037341M").reason?.fixEn).not.toContain("ID number");
  });
});
