/**
 * A synthetic city shaped like Quanzhou (泉州): its market subjects and the credit records its departments
 * submit about them. Pure and deterministic: the same (number of subjects, seed, today) always gives the
 * same city. Each subject is drawn from a random stream of its own (seed + index), so the output does not
 * depend on chunk sizes, and the first k subjects of a larger city are the city of k subjects.
 */
import type { Catalog } from "../core/catalog/types.ts";
import { idCheckChar } from "../core/idcard/idcard.ts";
import type { RawRecord } from "../core/records/validate.ts";
import { sectionOfDivision } from "../core/reference/reference.ts";
import { orgCodeCheckChar, USCC_ALPHABET, usccCheckChar } from "../core/uscc/uscc.ts";
import { dayOf, isoOf } from "./dates.ts";
import {
  ASSOCIATION_TOPICS,
  BRAND_CHARS,
  COOP_WORDS,
  COUNTIES,
  type County,
  ENTERPRISE_WORDS,
  GIVEN_FEMALE,
  GIVEN_MALE,
  HOME_PROVINCES,
  SHOP_WORDS,
  SURNAMES,
} from "./names.ts";
import { hash128, Random, Weighted, type WeightedList } from "./random.ts";
import { RecordGenerator } from "./records.ts";

export { COUNTIES } from "./names.ts";
export { RecordGenerator } from "./records.ts";

export type SubjectType =
  | "enterprise"
  | "individual"
  | "cooperative"
  | "social_org"
  | "institution"
  | "natural_person";

/** A generated subject: the columns of `subjects` plus its position in the city. */
export interface DemoSubject {
  /** 0-based position in the city; keys the subject's random streams. */
  index: number;
  code: string;
  code_status: "valid";
  name: string;
  type: SubjectType;
  industry_section: string | null;
  industry_division: string | null;
  region: string;
  registered_on: string | null;
  /** 存续 | 吊销 | 注销 | 迁出 */
  status: string;
  /** 万元 */
  registered_capital: number | null;
}

export interface GenerateOptions {
  /** ISO date the city is generated on (registration dates end there); default today in China. */
  today?: string;
  /** Subjects per yielded chunk (default 10,000). */
  chunkSize?: number;
  /** Index of the first subject to yield (default 0): any stretch of the city can be regenerated alone. */
  from?: number;
}

/** Shares of subject types among Quanzhou's registered subjects (plus persons with credit records). */
export const TYPE_SHARES: WeightedList<SubjectType> = [
  ["individual", 65],
  ["enterprise", 30],
  ["cooperative", 1.5],
  ["social_org", 0.5],
  ["institution", 0.5],
  ["natural_person", 2.5],
];

/** Industry mix of enterprises (GB/T 4754-2017 divisions): manufacturing-heavy, as in Quanzhou. */
const ENTERPRISE_INDUSTRY: Record<string, number> = {
  "19": 7,
  "18": 6,
  "17": 4,
  "30": 4,
  "15": 0.8,
  "13": 1.2,
  "14": 1.2,
  "29": 2,
  "33": 2,
  "34": 1.5,
  "35": 1.2,
  "38": 1.5,
  "39": 1.2,
  "24": 1.5,
  "22": 0.8,
  "26": 0.8,
  "21": 0.8,
  "20": 0.4,
  "28": 0.4,
  "41": 0.8,
  "36": 0.4,
  "40": 0.2,
  "25": 0.1,
  "10": 0.2,
  "51": 16,
  "52": 8,
  "47": 2,
  "48": 1.5,
  "49": 1,
  "50": 3,
  "54": 2.5,
  "55": 0.2,
  "58": 1,
  "59": 1,
  "61": 0.8,
  "62": 2,
  "64": 1.5,
  "65": 2,
  "67": 0.2,
  "69": 0.5,
  "70": 2,
  "71": 1,
  "72": 6,
  "74": 1.5,
  "75": 2,
  "77": 0.3,
  "78": 0.3,
  "80": 1,
  "81": 0.8,
  "82": 0.5,
  "83": 0.3,
  "84": 0.3,
  "86": 0.2,
  "87": 0.3,
  "88": 0.3,
  "89": 0.2,
  "90": 0.3,
  "01": 1,
  "03": 0.3,
  "04": 0.3,
  "05": 0.3,
  "44": 0.2,
  "46": 0.1,
};

const INDIVIDUAL_INDUSTRY: Record<string, number> = {
  "52": 42,
  "62": 16,
  "51": 5,
  "80": 9,
  "81": 4,
  "54": 4,
  "61": 1.5,
  "01": 2,
  "03": 0.5,
  "04": 0.5,
  "18": 2.5,
  "19": 2.5,
  "17": 1,
  "13": 1,
  "14": 0.8,
  "15": 0.8,
  "24": 1,
  "30": 1,
  "33": 0.5,
  "41": 0.5,
  "90": 1,
  "88": 0.5,
  "82": 1,
  "50": 1.5,
  "72": 1,
  "71": 0.5,
  "65": 0.3,
};

const COOP_INDUSTRY: Record<string, number> = { "01": 60, "02": 5, "03": 12, "04": 8, "05": 15 };
const SOCIAL_INDUSTRY: Record<string, number> = {
  "95": 55,
  "83": 18,
  "85": 8,
  "84": 4,
  "89": 5,
  "88": 2,
  "75": 2,
};
const INSTITUTION_INDUSTRY: Record<string, number> = {
  "83": 45,
  "84": 20,
  "88": 5,
  "87": 3,
  "73": 3,
  "74": 5,
  "75": 4,
  "78": 5,
  "77": 2,
  "76": 3,
  "94": 3,
  "05": 3,
};

const MANUFACTURING = (d: string) => d >= "13" && d <= "43";

/** What each county is known for: multipliers on the base industry mix. */
const COUNTY_BOOST: Record<string, (d: string) => number> = {
  // 晋江: shoes, textiles, paper and food
  "350582": (d) => ({ "19": 3, "17": 2, "18": 1.5, "22": 2, "29": 1.5, "14": 1.5 })[d] ?? 1,
  // 石狮: garments and their wholesale, fishing
  "350581": (d) => ({ "18": 3.5, "17": 2, "51": 1.5, "04": 3, "13": 2 })[d] ?? 1,
  // 南安: stone and building materials, plumbing hardware, builders
  "350583": (d) =>
    ({ "30": 3, "33": 2.5, "34": 1.5, "47": 1.8, "48": 1.8, "49": 1.8, "50": 1.8, "10": 3 })[d] ?? 1,
  // 德化: ceramics
  "350526": (d) => ({ "30": 8, "24": 4, "17": 0.6, "18": 0.6, "19": 0.6 })[d] ?? 1,
  // 安溪: tea, rattan-iron crafts
  "350524": (d) => ({ "15": 12, "01": 5, "24": 4, "21": 2, "17": 0.4, "18": 0.4, "19": 0.4 })[d] ?? 1,
  // 永春: tea, vinegar, ponkan, incense
  "350525": (d) =>
    ({ "15": 3, "14": 2, "01": 4, "41": 3, "30": 1.5, "17": 0.5, "18": 0.5, "19": 0.5 })[d] ?? 1,
  // 惠安: stone carving, builders, fishing
  "350521": (d) => ({ "30": 4, "24": 2, "48": 2, "50": 1.5, "04": 2 })[d] ?? 1,
  // 泉港: petrochemicals
  "350505": (d) => ({ "25": 15, "26": 8, "28": 4, "59": 2, "55": 5 })[d] ?? 1,
  // 丰泽: services, finance, software
  "350503": (d) =>
    ({ "64": 2.5, "65": 2.5, "70": 2, "72": 1.8, "62": 1.5, "69": 2, "67": 2, "74": 1.5, "75": 1.5 })[d] ??
    (MANUFACTURING(d) ? 0.5 : 1),
  // 鲤城: the old town — shops, food, tourism, culture
  "350502": (d) => ({ "52": 1.5, "62": 1.8, "61": 2, "88": 2, "80": 1.3 })[d] ?? (MANUFACTURING(d) ? 0.5 : 1),
  // 洛江: crafts, building materials
  "350504": (d) => ({ "24": 2, "30": 1.5, "19": 1.3, "18": 1.3 })[d] ?? 1,
};

const INDUSTRY_BY_TYPE: Record<SubjectType, Record<string, number> | null> = {
  enterprise: ENTERPRISE_INDUSTRY,
  individual: INDIVIDUAL_INDUSTRY,
  cooperative: COOP_INDUSTRY,
  social_org: SOCIAL_INDUSTRY,
  institution: INSTITUTION_INDUSTRY,
  natural_person: null,
};

/** County weights by type: cooperatives are rural; institutions and associations cluster in the city seat. */
function countyWeight(type: SubjectType, c: County): number {
  if (type === "cooperative")
    return (
      (
        {
          "350524": 25,
          "350525": 15,
          "350526": 10,
          "350583": 15,
          "350521": 10,
          "350582": 5,
          "350505": 5,
          "350504": 5,
          "350581": 3,
          "350503": 2,
          "350502": 1,
        } as Record<string, number>
      )[c.code] ?? 1
    );
  if (type === "institution" || type === "social_org")
    return c.code === "350502" || c.code === "350503" ? c.weight * 2 : c.weight;
  return c.weight;
}

/** Status shares (存续/注销/吊销/迁出) by type, before ageing. */
const DEAD_SHARES: Record<SubjectType, WeightedList<string>> = {
  enterprise: [
    ["注销", 9],
    ["吊销", 5],
    ["迁出", 1],
  ],
  individual: [
    ["注销", 13],
    ["吊销", 3],
  ],
  cooperative: [
    ["注销", 10],
    ["吊销", 5],
  ],
  social_org: [["注销", 5]],
  institution: [["注销", 2]],
  natural_person: [],
};

/** "Nice" amounts people register capital in (万元). */
const NICE_CAPITAL = [
  1, 2, 3, 5, 8, 10, 20, 30, 50, 60, 80, 100, 150, 200, 300, 500, 600, 800, 1000, 1200, 1500, 2000, 3000,
  5000, 8000, 10000, 20000, 30000, 50000, 100000,
];

/** Log-normal capital: median and spread by type (万元). */
const CAPITAL: Record<SubjectType, [number, number] | null> = {
  enterprise: [100, 1.4],
  individual: [5, 1.0],
  cooperative: [100, 1.0],
  social_org: [10, 0.8],
  institution: [300, 1.2],
  natural_person: null,
};

const BIRTH_FROM = dayOf("1955-01-01");
const BIRTH_DAYS = dayOf("2005-01-01") - BIRTH_FROM;
/** Codes issued before the USCC reform kept the old organisation code as their body. */
const USCC_REFORM = dayOf("2015-10-01");
const COOP_LAW = dayOf("2007-07-01");
const FIRST_REGISTRATION = dayOf("1995-01-01");

/** An affine bijection on [0, m): distinct indexes give distinct code bodies. */
class Permutation {
  private readonly a: number;
  private readonly b: number;
  constructor(
    readonly m: number,
    rng: Random,
  ) {
    let a = (1 << 19) + rng.int(1 << 19);
    while (gcd(a, m) !== 1) a++;
    this.a = a;
    this.b = rng.int(m);
  }
  at(i: number): number {
    if (i >= this.m) throw new RangeError(`demo city too large: index ${i} ≥ ${this.m}`);
    return (((this.a * i) % this.m) + this.b) % this.m;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function base31(n: number, width: number): string {
  let s = "";
  for (let i = 0; i < width; i++) {
    s = USCC_ALPHABET[n % 31]! + s;
    n = Math.floor(n / 31);
  }
  return s;
}

const sectionCache = new Map<string, string | null>();
function sectionOf(div: string): string | null {
  let s = sectionCache.get(div);
  if (s === undefined) {
    s = sectionOfDivision(div)?.code ?? null;
    if (s === null) throw new Error(`demo: unknown industry division ${div}`);
    sectionCache.set(div, s);
  }
  return s;
}

/** Everything drawn once per city. */
class SubjectFactory {
  private readonly seedHash: [number, number, number, number];
  private readonly types = new Weighted(TYPE_SHARES);
  private readonly counties = new Map<SubjectType, Weighted<County>>();
  private readonly industries = new Map<string, Weighted<string>>();
  private readonly years = new Map<SubjectType, Weighted<number>>();
  private readonly surnames = new Weighted(SURNAMES);
  private readonly oldBody: Permutation;
  private readonly newBody: Permutation;
  private readonly person: Permutation;
  private readonly todayDay: number;

  constructor(seed: string, today: string) {
    this.seedHash = hash128(`subjects|${seed}`);
    const setup = new Random(`codes|${seed}`);
    this.oldBody = new Permutation(100_000_000, setup);
    this.newBody = new Permutation(31 ** 5, setup);
    this.person = new Permutation(BIRTH_DAYS * 999, setup);
    this.todayDay = dayOf(today);
    const todayYear = Number(today.slice(0, 4));
    for (const [type] of TYPE_SHARES) {
      this.counties.set(type, new Weighted(COUNTIES.map((c) => [c, countyWeight(type, c)] as const)));
      const base = INDUSTRY_BY_TYPE[type];
      if (base)
        for (const c of COUNTIES) {
          const boost = COUNTY_BOOST[c.code] ?? (() => 1);
          this.industries.set(
            `${type}|${c.code}`,
            new Weighted(Object.entries(base).map(([d, w]) => [d, w * boost(d)] as const)),
          );
        }
      const years: [number, number][] = [];
      for (let y = 1995; y <= todayYear; y++) years.push([y, yearWeight(type, y)]);
      if (years.some(([, w]) => w > 0)) this.years.set(type, new Weighted(years));
    }
  }

  make(index: number): DemoSubject {
    const rng = Random.derive(this.seedHash, index);
    const type = this.types.sample(rng);
    const county = this.counties.get(type)!.sample(rng);
    if (type === "natural_person") return this.person_(index, rng, county);

    const division = this.industries.get(`${type}|${county.code}`)!.sample(rng);
    const regDay = this.registrationDay(type, rng);
    const status = this.status(type, regDay, rng);
    const [median, sigma] = CAPITAL[type]!;
    let capital = rng.lognormal(median, sigma);
    if (type === "social_org") capital = Math.max(3, capital);
    capital = rng.chance(0.8) ? nice(capital) : Math.max(1, Math.round(capital));
    capital = Math.min(capital, 500_000);

    const { prefix, letter } = codePrefix(type, division, rng);
    let regionDigits = county.code;
    const r = rng.float();
    if (type === "enterprise") regionDigits = r < 0.02 ? "350000" : r < 0.12 ? "350500" : county.code;
    else if (type === "social_org") regionDigits = r < 0.4 ? "350500" : county.code;
    else if (type === "institution") regionDigits = r < 0.25 ? "350500" : county.code;

    const newStyle = () => {
      const year = Number(isoOf(regDay).slice(0, 4));
      const gen = letter !== "A" ? "1" : year <= 2018 ? "2" : year <= 2020 ? "3" : year <= 2022 ? "8" : "C";
      return `M${letter}${gen}${base31(this.newBody.at(index), 5)}`;
    };
    const withCheck = (body: string) => {
      const first17 = `${prefix}${regionDigits}${body}${orgCodeCheckChar(body)}`;
      return first17 + usccCheckChar(first17);
    };
    // Codes issued before the reform kept the old organisation code (digits) as their body.
    let code = withCheck(
      regDay < USCC_REFORM && type !== "individual"
        ? String(this.oldBody.at(index)).padStart(8, "0")
        : newStyle(),
    );
    // An all-digit code ending in a digit or X has the shape of an ID number, and validateRecord reads it as
    // one (and rejects it): give such subjects a new-style body instead, which is still unique.
    if (/^\d{17}[\dX]$/.test(code)) code = withCheck(newStyle());
    const name = subjectName(type, prefix, division, county, capital, rng, this.surnames);
    return {
      index,
      code,
      code_status: "valid",
      name,
      type,
      industry_section: sectionOf(division),
      industry_division: division,
      region: county.code,
      registered_on: isoOf(regDay),
      status,
      registered_capital: capital,
    };
  }

  private person_(index: number, rng: Random, county: County): DemoSubject {
    const p = this.person.at(index);
    const birth = isoOf(BIRTH_FROM + Math.floor(p / 999)).replaceAll("-", "");
    const seq = (p % 999) + 1;
    const first17 = `${county.code}${birth}${String(seq).padStart(3, "0")}`;
    const male = seq % 2 === 1;
    return {
      index,
      code: first17 + idCheckChar(first17),
      code_status: "valid",
      name: personName(rng, this.surnames, male),
      type: "natural_person",
      industry_section: null,
      industry_division: null,
      region: county.code,
      registered_on: null,
      status: "存续",
      registered_capital: null,
    };
  }

  private registrationDay(type: SubjectType, rng: Random): number {
    const year = this.years.get(type)!.sample(rng);
    const from = Math.max(dayOf(`${year}-01-01`), type === "cooperative" ? COOP_LAW : FIRST_REGISTRATION);
    const to = Math.min(dayOf(`${year}-12-31`), this.todayDay);
    return from + rng.int(Math.max(1, to - from + 1));
  }

  private status(type: SubjectType, regDay: number, rng: Random): string {
    const dead = DEAD_SHARES[type];
    if (dead.length === 0) return "存续";
    const total = dead.reduce((s, [, w]) => s + w, 0) / 100;
    // Older subjects have had more time to close.
    const age = (this.todayDay - regDay) / 365.25;
    const p = Math.min(0.6, total * (0.4 + age / 10));
    return rng.chance(p) ? rng.pick(dead) : "存续";
  }
}

/** Registrations per year: growing, with the 2014 registration reform and the post-2020 surge. */
function yearWeight(type: SubjectType, y: number): number {
  const t = y - 1995;
  switch (type) {
    case "enterprise":
      return Math.exp(0.06 * t) * (y >= 2014 ? 1.4 : 1);
    case "individual":
      return Math.exp(0.07 * t) * (y >= 2014 ? 1.4 : 1) * (y >= 2020 ? 1.2 : 1);
    case "cooperative":
      return y < 2007 ? 0 : y <= 2018 ? 3 : 1;
    case "social_org":
      return 1 + t / 10;
    case "institution":
      return y <= 2012 ? 3 : 0.5;
    case "natural_person":
      return 0;
  }
}

function nice(x: number): number {
  let best = NICE_CAPITAL[0]!;
  for (const v of NICE_CAPITAL) if (Math.abs(Math.log(v / x)) < Math.abs(Math.log(best / x))) best = v;
  return best;
}

/** Registering authority and category (positions 1–2) and the letter of new code bodies. */
function codePrefix(type: SubjectType, division: string, rng: Random): { prefix: string; letter: string } {
  switch (type) {
    case "enterprise":
      return { prefix: "91", letter: "A" };
    case "individual":
      return { prefix: "92", letter: "A" };
    case "cooperative":
      return { prefix: "93", letter: "A" };
    case "institution":
      return { prefix: "12", letter: "B" };
    case "social_org":
      // 社会团体 are associations (95), 基金会 a few of them; schools, care homes, clubs are 民办非企业单位.
      return { prefix: division === "95" ? (rng.chance(0.15) ? "53" : "51") : "52", letter: "J" };
    case "natural_person":
      throw new Error("persons have no USCC");
  }
}

function brand(rng: Random): string {
  const a = rng.one(BRAND_CHARS);
  let b = rng.one(BRAND_CHARS);
  while (b === a) b = rng.one(BRAND_CHARS);
  return a + b;
}

function personName(rng: Random, surnames: Weighted<string>, male: boolean): string {
  const chars = male ? GIVEN_MALE : GIVEN_FEMALE;
  const given = rng.chance(0.2) ? rng.one(chars) : rng.one(chars) + rng.one(chars);
  return surnames.sample(rng) + given;
}

function subjectName(
  type: SubjectType,
  prefix: string,
  division: string,
  county: County,
  capital: number,
  rng: Random,
  surnames: Weighted<string>,
): string {
  const town = () => rng.one(county.towns);
  switch (type) {
    case "enterprise": {
      const words = ENTERPRISE_WORDS[division] ?? ["实业"];
      const word = rng.one(words);
      const form =
        capital >= 5000 && rng.chance(0.25) ? "股份有限公司" : rng.chance(0.06) ? "有限责任公司" : "有限公司";
      const b = brand(rng);
      const r = rng.float();
      if (r < 0.3) return `泉州市${b}${word}${form}`;
      if (r < 0.72) {
        const place = county.place.startsWith("泉州市")
          ? rng.chance(0.7)
            ? "泉州"
            : county.place
          : county.place;
        return `${place}${b}${word}${form}`;
      }
      if (r < 0.87) return `福建${b}${word}${form}`;
      if (r < 0.92) return `福建省${b}${word}${form}`;
      return `${b}（${rng.chance(0.5) ? "泉州" : "福建"}）${word}${form}`;
    }
    case "individual": {
      const words = SHOP_WORDS[division] ?? ["经营部"];
      const r = rng.float();
      const male = rng.chance(0.55);
      const given = male ? GIVEN_MALE : GIVEN_FEMALE;
      const surname = surnames.sample(rng);
      const trade =
        r < 0.5
          ? brand(rng)
          : r < 0.65
            ? `阿${rng.one(given)}`
            : r < 0.75
              ? `${surname}记`
              : r < 0.85
                ? `老${surname}`
                : `${surname}${rng.one(given)}${rng.one(given)}`;
      return `${county.place}${rng.chance(0.5) ? town() : ""}${trade}${rng.one(words)}`;
    }
    case "cooperative": {
      const product = rng.one(COOP_WORDS[division] ?? ["农业"]);
      const suffix = rng.chance(0.3) ? "农民专业合作社" : "专业合作社";
      return `${county.place}${town()}${rng.chance(0.6) ? brand(rng) : ""}${product}${suffix}`;
    }
    case "social_org": {
      const place = rng.chance(0.4) ? "泉州市" : county.place;
      if (prefix === "53")
        return `${place}${brand(rng)}${rng.pick([
          ["慈善", 3],
          ["教育", 2],
          ["公益", 1],
        ] as const)}基金会`;
      if (prefix === "51") {
        const r = rng.float();
        if (r < 0.2) return `${place}${rng.one(HOME_PROVINCES)}商会`;
        if (r < 0.3) return `${county.place}${town()}商会`;
        const kind = rng.pick([
          ["协会", 6],
          ["商会", 2],
          ["联合会", 1],
          ["促进会", 1],
          ["研究会", 1],
        ] as const);
        return `${place}${rng.one(ASSOCIATION_TOPICS)}${kind}`;
      }
      const kinds: Record<string, readonly string[]> = {
        "83": ["幼儿园", "培训学校", "艺术培训中心", "职业技能培训学校"],
        "85": ["养老院", "社会工作服务中心", "居家养老服务中心", "颐养院"],
        "84": ["门诊部", "康复医院"],
        "89": ["体育俱乐部", "篮球俱乐部", "武术馆"],
        "88": ["艺术团", "南音社"],
        "75": ["科技研究院", "技术服务中心"],
      };
      return `${place}${brand(rng)}${rng.one(kinds[division] ?? ["服务中心"])}`;
    }
    case "institution": {
      const t = town();
      const ord = rng.one(["第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九"]);
      const options: Record<string, readonly string[]> = {
        "83": [`${t}中心小学`, `${t}中学`, `${ord}实验小学`, `${ord}中学`, `${t}中心幼儿园`, "职业中专学校"],
        "84": [`${t}镇卫生院`, "医院", "中医院", "妇幼保健院", "疾病预防控制中心"],
        "88": ["文化馆", "图书馆", "博物馆", `${t}文化站`],
        "87": ["融媒体中心"],
        "73": ["农业科学研究所", "工业技术研究院"],
        "74": ["产品质量检验所", "建设工程质量检测中心", "不动产登记中心"],
        "75": ["科技情报研究所", "农业技术推广中心"],
        "78": ["市政公用事业服务中心", "园林绿化中心", "环境卫生服务中心"],
        "77": ["环境监测站"],
        "76": [`${t}水利工作站`, "水利水电工程管理中心"],
        "94": ["社会保险中心", "医疗保障服务中心"],
        "05": [`${t}农业服务中心`, "农业技术推广站"],
      };
      return `${county.place}${rng.one(options[division] ?? ["事务服务中心"])}`;
    }
    case "natural_person":
      return personName(rng, surnames, rng.chance(0.5));
  }
}

/**
 * The subjects of a city of `n`, chunk by chunk (2,000,000 never sit in memory). Codes are valid and unique:
 * USCCs with the authority/category prefix of their type and Quanzhou region digits, identity numbers with
 * a Quanzhou address code and a birth date between 1955 and 2004.
 */
export function* generateSubjects(
  n: number,
  seed: string,
  opts: GenerateOptions = {},
): Generator<DemoSubject[]> {
  const factory = new SubjectFactory(seed, opts.today ?? chinaTodayIso());
  const size = Math.max(1, opts.chunkSize ?? 10_000);
  for (let start = Math.max(0, opts.from ?? 0); start < n; start += size) {
    const end = Math.min(n, start + size);
    const chunk: DemoSubject[] = new Array(end - start);
    for (let i = start; i < end; i++) chunk[i - start] = factory.make(i);
    yield chunk;
  }
}

/**
 * The raw records the departments submit about a stream of subject chunks: one array per chunk. Document
 * numbers are unique per (department, category) across the whole stream, so pass every chunk of one city
 * through one call (or one `RecordGenerator`).
 */
export function* generateRecords(
  subjects: Iterable<DemoSubject[]>,
  seed: string,
  today: string,
  catalog?: Catalog,
): Generator<RawRecord[]> {
  const gen = new RecordGenerator(seed, today, catalog);
  for (const chunk of subjects) yield gen.records(chunk);
}

function chinaTodayIso(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}
