/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters —
 * 1 registering authority, 1 organisation category, 6 region code (GB/T 2260), 9 organisation code
 * (GB 11714, with its own check character), 1 check character. Pure functions, no I/O.
 */
import { idCheckChar } from "../idcard/idcard.ts";
import { type CodeReason, type CodeWarning, normalizeCode, showChar } from "./normalize.ts";

export type { CodeReason, CodeWarning } from "./normalize.ts";
export { normalizeCode } from "./normalize.ts";

/** The 31 characters of the code: digits and capital letters without I, O, S, V, Z. */
export const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/** Weights of positions 1–17. */
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

interface Named {
  zh: string;
  en: string;
}

interface Authority extends Named {
  categories: Record<string, Named>;
}

const OTHER: Named = { zh: "其他", en: "Other" };

/** Position 1 (登记管理部门) and, per authority, position 2 (机构类别). */
export const USCC_AUTHORITIES: Readonly<Record<string, Authority>> = {
  "1": {
    zh: "机构编制",
    en: "Institutional staffing",
    categories: {
      "1": { zh: "机关", en: "Government organ" },
      "2": { zh: "事业单位", en: "Public institution" },
      "3": {
        zh: "中央编办直接管理机构编制的群众团体",
        en: "Mass organisation staffed directly by the central staffing office",
      },
      "9": OTHER,
    },
  },
  "2": {
    zh: "外交",
    en: "Foreign affairs",
    categories: { "1": { zh: "外国常驻新闻机构", en: "Resident foreign news agency" }, "9": OTHER },
  },
  "3": {
    zh: "司法行政",
    en: "Judicial administration",
    categories: {
      "1": { zh: "律师执业机构", en: "Law firm" },
      "2": { zh: "公证处", en: "Notary office" },
      "3": { zh: "基层法律服务所", en: "Grassroots legal service office" },
      "4": { zh: "司法鉴定机构", en: "Forensic appraisal institution" },
      "5": { zh: "仲裁委员会", en: "Arbitration commission" },
      "9": OTHER,
    },
  },
  "4": {
    zh: "文化",
    en: "Culture",
    categories: { "1": { zh: "外国在华文化中心", en: "Foreign cultural centre in China" }, "9": OTHER },
  },
  "5": {
    zh: "民政",
    en: "Civil affairs",
    categories: {
      "1": { zh: "社会团体", en: "Social organisation" },
      "2": { zh: "民办非企业单位", en: "Private non-enterprise unit" },
      "3": { zh: "基金会", en: "Foundation" },
      "9": OTHER,
    },
  },
  "6": {
    zh: "旅游",
    en: "Tourism",
    categories: {
      "1": { zh: "外国旅游部门常驻代表机构", en: "Resident office of a foreign tourism authority" },
      "2": {
        zh: "港澳台地区旅游部门常驻内地（大陆）代表机构",
        en: "Resident mainland office of a Hong Kong, Macao or Taiwan tourism authority",
      },
      "9": OTHER,
    },
  },
  "7": {
    zh: "宗教",
    en: "Religious affairs",
    categories: {
      "1": { zh: "宗教活动场所", en: "Place of religious activity" },
      "2": { zh: "宗教院校", en: "Religious school" },
      "9": OTHER,
    },
  },
  "8": {
    zh: "工会",
    en: "Trade union",
    categories: { "1": { zh: "基层工会", en: "Grassroots trade union" }, "9": OTHER },
  },
  "9": {
    zh: "工商",
    en: "Industry and commerce (market regulation)",
    categories: {
      "1": { zh: "企业", en: "Enterprise" },
      "2": { zh: "个体工商户", en: "Individual business" },
      "3": { zh: "农民专业合作社", en: "Farmers' specialised cooperative" },
    },
  },
  A: {
    zh: "中央军委改革和编制办公室",
    en: "CMC Reform and Staffing Office",
    categories: { "1": { zh: "军队事业单位", en: "Military public institution" }, "9": OTHER },
  },
  N: {
    zh: "农业",
    en: "Agriculture",
    categories: {
      "1": { zh: "组级集体经济组织", en: "Group-level collective economic organisation" },
      "2": { zh: "村级集体经济组织", en: "Village-level collective economic organisation" },
      "3": { zh: "乡镇级集体经济组织", en: "Township-level collective economic organisation" },
      "9": OTHER,
    },
  },
  Y: { zh: "其他", en: "Other", categories: { "1": OTHER } },
};

export interface UsccResult {
  /** The input exactly as given. */
  code: string;
  normalized: string;
  status: "valid" | "invalid" | "legacy";
  /** Why the code is invalid, or (status `legacy`) why it is accepted although it fails the check. */
  reason?: CodeReason;
  /** Findings that do not make the code invalid (unknown category, organisation-code check, …). */
  warnings?: CodeWarning[];
  /** Position 1, when the code is well-formed and the authority is known. */
  authority?: { code: string; zh: string; en: string };
  /** Position 2, when the code is well-formed and the category is known for the authority. */
  category?: { code: string; zh: string; en: string };
}

function value(ch: string): number {
  return USCC_ALPHABET.indexOf(ch);
}

/** The check character (position 18) for the first 17 characters. Throws unless given 17 code characters. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17 || [...first17].some((c) => value(c) < 0)) {
    throw new RangeError(
      `usccCheckChar needs 17 characters from ${USCC_ALPHABET}, got ${JSON.stringify(first17)}`,
    );
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += value(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * The GB 11714 check character for the first 8 characters of an organisation code (digits, and letters
 * counted A=10 … Z=35): 11 − Σ mod 11, with 10 → `X` and 11 → `0`.
 */
export function orgCodeCheckChar(first8: string): string {
  if (!/^[0-9A-Z]{8}$/.test(first8)) {
    throw new RangeError(`orgCodeCheckChar needs 8 digits or capital letters, got ${JSON.stringify(first8)}`);
  }
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number.parseInt(first8[i]!, 36) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? "X" : c === 11 ? "0" : String(c);
}

function reason(code: string, zh: string, en: string, fixZh: string, fixEn: string): CodeReason {
  return { code, zh, en, fixZh, fixEn };
}

function lengthFix(n: number, normalized: string): { zh: string; en: string } {
  if (n === 15 && /^\d{15}$/.test(normalized)) {
    return {
      zh: "15位数字是旧的工商注册号，请填写营业执照上的18位统一社会信用代码",
      en: "15 digits is an old business registration number; enter the 18-character code on the business licence",
    };
  }
  if (n === 9) {
    return {
      zh: "9位可能是旧的组织机构代码，请填写证照上的18位统一社会信用代码",
      en: "9 characters may be an old organisation code; enter the 18-character code on the licence or certificate",
    };
  }
  return {
    zh: "请对照营业执照或登记证书核对是否漏录或多录了字符",
    en:
      "Compare with the business licence or registration certificate and add the missing or remove " +
      "the extra characters",
  };
}

function warningsFor(normalized: string): {
  warnings: CodeWarning[];
  authority?: UsccResult["authority"];
  category?: UsccResult["category"];
} {
  const warnings: CodeWarning[] = [];
  const out: {
    warnings: CodeWarning[];
    authority?: UsccResult["authority"];
    category?: UsccResult["category"];
  } = {
    warnings,
  };
  const a = normalized[0]!;
  const c = normalized[1]!;
  const auth = USCC_AUTHORITIES[a];
  if (!auth) {
    warnings.push({
      code: "uscc.authority_unknown",
      zh: `第1位登记管理部门代码“${a}”不在GB 32100规定的代码中，请核对`,
      en: `Position 1, registering authority "${a}", is not one of the codes defined by GB 32100; please check it`,
    });
  } else {
    out.authority = { code: a, zh: auth.zh, en: auth.en };
    const cat = auth.categories[c];
    if (!cat) {
      warnings.push({
        code: "uscc.category_unknown",
        zh: `第2位机构类别代码“${c}”不是登记管理部门“${auth.zh}”的类别，请核对`,
        en:
          `Position 2, category "${c}", is not a category of the registering authority "${auth.en}"; ` +
          "please check it",
      });
    } else {
      out.category = { code: c, zh: cat.zh, en: cat.en };
    }
  }
  if (!/^\d{6}$/.test(normalized.slice(2, 8))) {
    warnings.push({
      code: "uscc.region_malformed",
      zh: "第3–8位登记管理机关行政区划码应为6位数字，请核对",
      en: "Positions 3–8, the region code of the registering office, should be 6 digits; please check them",
    });
  }
  const org = normalized.slice(8, 17);
  const orgExpected = orgCodeCheckChar(org.slice(0, 8));
  if (org[8] !== orgExpected) {
    warnings.push({
      code: "uscc.org_check",
      zh: `第9–17位组织机构代码的校验码（GB 11714）应为“${orgExpected}”，实际为“${org[8]}”；早期发放的代码可能如此，请核对`,
      en:
        `In the organisation code (positions 9–17) the GB 11714 check character should be "${orgExpected}", ` +
        `not "${org[8]}"; some early codes are like this, please check it`,
    });
  }
  return out;
}

/**
 * Check a unified social credit code. `isAllowListed(normalized)` names pre-standard codes still in use that
 * fail the check character: they get status `legacy` instead of `invalid`.
 */
export function checkUscc(input: string, isAllowListed?: (normalized: string) => boolean): UsccResult {
  const code = input;
  const normalized = normalizeCode(input);
  const invalid = (r: CodeReason): UsccResult => ({ code, normalized, status: "invalid", reason: r });

  if (normalized === "") {
    return invalid(
      reason(
        "uscc.empty",
        "统一社会信用代码为空",
        "The unified social credit code is empty",
        "请填写营业执照或登记证书上的18位统一社会信用代码",
        "Enter the 18-character code shown on the business licence or registration certificate",
      ),
    );
  }

  const chars = Array.from(normalized);
  if (chars.length !== 18) {
    const fix = lengthFix(chars.length, normalized);
    return invalid(
      reason(
        "uscc.length",
        `统一社会信用代码应为18位，实际为${chars.length}位`,
        `A unified social credit code has 18 characters; this one has ${chars.length}`,
        fix.zh,
        fix.en,
      ),
    );
  }

  const bad: { pos: number; ch: string }[] = [];
  chars.forEach((ch, i) => {
    if (value(ch) < 0) bad.push({ pos: i + 1, ch: showChar(ch) });
  });
  if (bad.length > 0) {
    return invalid(
      reason(
        "uscc.char",
        `统一社会信用代码不能含有${bad.map((b) => `第${b.pos}位的“${b.ch}”`).join("、")}`,
        `A unified social credit code cannot contain ${bad.map((b) => `"${b.ch}" (position ${b.pos})`).join(", ")}`,
        "代码只由数字0–9和大写字母组成，不使用I、O、S、V、Z；I、O常为数字1、0的误录，S、Z常为5、2的误录，请对照证照改正",
        "The code uses only digits 0–9 and capital letters other than I, O, S, V and Z; I and O are usually " +
          "mistyped 1 and 0, S and Z mistyped 5 and 2 — correct them against the licence",
      ),
    );
  }

  const expected = usccCheckChar(normalized.slice(0, 17));
  const actual = normalized[17]!;
  const extra = warningsFor(normalized);
  const detail = (r: UsccResult): UsccResult => {
    if (extra.warnings.length > 0) r.warnings = extra.warnings;
    if (extra.authority) r.authority = extra.authority;
    if (extra.category) r.category = extra.category;
    return r;
  };

  if (expected !== actual) {
    if (isAllowListed?.(normalized)) {
      return detail({
        code,
        normalized,
        status: "legacy",
        reason: reason(
          "uscc.legacy",
          `校验码不符（按GB 32100应为“${expected}”），但该代码在许可名单中，属于标准实施前发放、仍在使用的存量代码`,
          `The check character does not match (GB 32100 gives "${expected}"), but the code is on the ` +
            "allow-list of pre-standard codes still in use",
          "无需修改；如登记机关已换发新代码，请改用新代码",
          "No change is needed; if the registering authority has since issued a new code, use the new one",
        ),
      });
    }
    let fixZh = "校验码由前17位计算得出：请对照证照逐位核对全部18位，常见错误是某位录错或相邻两位颠倒";
    let fixEn =
      "The check character is computed from the first 17: compare all 18 characters with the licence; usually " +
      "one character is mistyped or two are swapped";
    if (/^\d{17}[\dX]$/.test(normalized) && idCheckChar(normalized.slice(0, 17)) === actual) {
      fixZh += "。该号码符合居民身份证号码的格式，如主体是自然人，请填写在身份证号码栏";
      fixEn +=
        ". The value has the form of a resident ID number: if the subject is a natural person, " +
        "enter it as an ID number";
    }
    return detail(
      invalid(
        reason(
          "uscc.check",
          `校验码错误：第18位应为“${expected}”，实际为“${actual}”`,
          `Wrong check character: the 18th character should be "${expected}", not "${actual}"`,
          fixZh,
          fixEn,
        ),
      ),
    );
  }

  return detail({ code, normalized, status: "valid" });
}
