/**
 * Credit records of the demo city, as the departments would submit them (field key → value). Most subjects
 * have no negative record and a few have many; inspections and licences are the bulk. Each subject's records
 * come from its own random stream; only document numbers are drawn from city-wide counters, which keeps them
 * unique per (department, category) and realistic (晋市监处罚〔2024〕123号). What is drawn from — facts,
 * licences, honours, how often — is the data in record-vocabulary.ts.
 */
import type { Catalog, Category } from "../core/catalog/types.ts";
import type { RawRecord } from "../core/records/validate.ts";
import { catalog as defaultCatalog } from "../policy/load.ts";
import { addYears, dayOf, isoOf, yearOf } from "./dates.ts";
import type { DemoSubject, SubjectType } from "./generate.ts";
import { COUNTIES, type County } from "./names.ts";
import { hash128, Random, Weighted, type WeightedList } from "./random.ts";
import {
  ACCIDENT_KINDS,
  CATEGORY_WORD,
  CITY_COURT,
  CLEAN,
  COERCION_BASIS,
  COERCION_MEASURES,
  COMMITMENT_MEAN,
  COMMITMENTS,
  COMPLAINT_TOPICS,
  CORRECT_REASONS,
  COUNTY_BY_CODE,
  DEPT_ABBR,
  type Fact,
  HONOURS,
  INSPECTION_ITEMS,
  INSPECTIONS,
  isBuild,
  isChem,
  isFood,
  isMfg,
  isTransport,
  KNOWN,
  LICENCE_CHANGES,
  LICENCES,
  type Licence,
  NEGATIVE_EXTRA,
  NEGATIVE_MIX,
  type NumberingHelpers,
  PENALTY_FACTS,
  PERSON_FACTS,
  POLLUTING,
  QUALITY_KINDS,
  REVOKE_REASONS,
} from "./record-vocabulary.ts";

/** Years of history the city has (decision dates go back this far from today). */
export const HISTORY_YEARS = 5;

const NUMBERING: NumberingHelpers = { pad, withDigit };

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Appends a check digit (digit sum mod 10) like the one closing a food-licence number. */
function withDigit(s: string): string {
  let sum = 0;
  for (const ch of s) if (ch >= "0" && ch <= "9") sum += ch.charCodeAt(0) - 48;
  return `${s}${sum % 10}`;
}

function money(x: number): number {
  return Math.max(0.01, Math.round(x * 100) / 100);
}

interface Emit {
  severity?: string;
  content?: string;
  /** Negative records may be revoked or corrected now and then. */
  negative?: boolean;
}

export class RecordGenerator {
  readonly catalog: Catalog;
  readonly todayDay: number;
  readonly historyStart: number;
  private readonly seedHash: [number, number, number, number];
  private readonly counters = new Map<string, number>();
  private readonly ranges = new Map<string, { cat: Category; from: number; to: number }>();
  private readonly labels = new Map<string, Record<string, string>>();
  private readonly weightCache = new Map<string, Weighted<string>>();
  readonly unknown: Category[];

  constructor(seed: string, today: string, catalog: Catalog = defaultCatalog()) {
    this.catalog = catalog;
    this.seedHash = hash128(`records|${seed}`);
    this.todayDay = dayOf(today);
    this.historyStart = addYears(this.todayDay, -HISTORY_YEARS) + 1;
    for (const c of catalog.categories) {
      const from = Math.max(this.historyStart, dayOf(c.effective_from));
      const to = Math.min(this.todayDay, c.effective_to ? dayOf(c.effective_to) : this.todayDay);
      this.ranges.set(c.code, { cat: c, from, to });
    }
    for (const f of [...catalog.envelope, ...catalog.fields]) if (f.labels) this.labels.set(f.key, f.labels);
    this.unknown = catalog.categories.filter((c) => !KNOWN.has(c.code));
  }

  /** The records of one chunk of subjects, in subject order. Call with the chunks of a city in order. */
  records(chunk: readonly DemoSubject[]): RawRecord[] {
    const out: RawRecord[] = [];
    for (const s of chunk) new SubjectRun(this, s, Random.derive(this.seedHash, s.index), out).run();
    return out;
  }

  /** The next number of a document series. */
  next(series: string): number {
    const n = (this.counters.get(series) ?? 0) + 1;
    this.counters.set(series, n);
    return n;
  }

  range(category: string): { cat: Category; from: number; to: number } | undefined {
    return this.ranges.get(category);
  }

  label(field: string, value: string): string {
    return this.labels.get(field)?.[value] ?? value;
  }

  /** A weighted list compiled once per key. */
  weighted(key: string, make: () => WeightedList<string>): Weighted<string> | undefined {
    let w = this.weightCache.get(key);
    if (!w) {
      const list = make();
      if (!list.some(([, x]) => x > 0)) return undefined;
      w = new Weighted(list);
      this.weightCache.set(key, w);
    }
    return w;
  }
}

/** One subject's records: its own random stream, active period and risk. */
class SubjectRun {
  readonly county: County;
  readonly type: SubjectType;
  readonly div: string;
  /** Active period within the history (day numbers, inclusive). */
  readonly start: number;
  readonly end: number;
  /** Share of the history the subject was active. */
  readonly scale: number;
  ordinal = 0;
  private readonly dirty: boolean;

  constructor(
    readonly g: RecordGenerator,
    readonly s: DemoSubject,
    readonly rng: Random,
    private readonly out: RawRecord[],
  ) {
    this.county = COUNTY_BY_CODE.get(s.region) ?? COUNTIES[0]!;
    this.type = s.type;
    this.div = s.industry_division ?? "";
    const reg = s.registered_on ? dayOf(s.registered_on) : g.historyStart;
    // Closed subjects stopped at some day between registration and today.
    const closed = s.status !== "存续" ? reg + rng.int(Math.max(1, g.todayDay - reg + 1)) : g.todayDay;
    this.start = Math.max(g.historyStart, reg);
    this.end = Math.min(g.todayDay, closed);
    this.scale = Math.max(0, this.end - this.start + 1) / (g.todayDay - g.historyStart + 1);
    this.dirty = !rng.chance(CLEAN[this.type]);
  }

  run(): void {
    if (this.end < this.start) return;
    this.inspections();
    this.licences();
    this.commitments();
    this.honours();
    this.negatives();
    if (this.s.status === "吊销") this.revocation();
    for (const c of this.g.unknown) if (this.rng.chance(0.03)) this.generic(c);
  }

  /** A random day in the subject's active period within the category's period (undefined if none). */
  day(category: string, from = this.start, to = this.end): number | undefined {
    const r = this.g.range(category);
    if (!r) return undefined;
    const lo = Math.max(from, r.from, this.start);
    const hi = Math.min(to, r.to, this.end);
    if (hi < lo) return undefined;
    return lo + this.rng.int(hi - lo + 1);
  }

  inWindow(category: string, day: number): boolean {
    const r = this.g.range(category);
    return !!r && day >= Math.max(r.from, this.start) && day <= Math.min(r.to, this.end);
  }

  /** A source department of the category: the preferred ones it allows, else any it allows. */
  dept(category: string, weights: WeightedList<string>, key: string): string | undefined {
    const r = this.g.range(category);
    if (!r) return undefined;
    const allowed = r.cat.departments;
    const w = this.g.weighted(`${category}|${key}`, () => weights.filter(([d]) => allowed.includes(d)));
    return w ? w.sample(this.rng) : allowed.length > 0 ? this.rng.one(allowed) : undefined;
  }

  allows(category: string, dept: string): boolean {
    return !!this.g.range(category)?.cat.departments.includes(dept);
  }

  /** A document number of the county's office: 晋市监处罚〔2024〕123号. */
  doc(category: string, dept: string, day: number): string {
    const year = yearOf(day);
    const word = dept === "SCJG" && category === "PENALTY" ? "处罚" : (CATEGORY_WORD[category] ?? category);
    const prefix = `${this.county.doc}${DEPT_ABBR[dept] ?? dept}${word}`;
    return `${prefix}〔${year}〕${this.g.next(`${prefix}|${year}`)}号`;
  }

  emit(
    category: string,
    dept: string,
    day: number,
    docNo: string,
    fields: Record<string, unknown>,
    e: Emit = {},
  ) {
    const rng = this.rng;
    const labels = rng.chance(0.3);
    const r: RawRecord = {
      category: rng.chance(0.1) ? this.g.range(category)!.cat.zh : category,
      department: dept,
      subject_code: this.s.code,
      subject_name: this.s.name,
      doc_no: docNo,
      decision_date: dateText(day, rng),
    };
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      r[k] = labels && typeof v === "string" ? this.g.label(k, v) : v;
    }
    if (e.severity) r.severity = labels ? this.g.label("severity", e.severity) : e.severity;
    if (e.content) r.content = e.content;
    if (e.negative) {
      const x = rng.float();
      if (x < 0.004) {
        r.status = labels ? this.g.label("status", "revoked") : "revoked";
        r.status_reason = rng.one(REVOKE_REASONS[category] ?? REVOKE_REASONS.default!);
      } else if (x < 0.007) {
        r.status = "corrected";
        r.status_reason = rng.one(CORRECT_REASONS);
      }
    }
    this.out.push(r);
  }

  // — Inspections ————————————————————————————————————————————————————————————

  private inspectionDepts(): WeightedList<string> {
    const d = this.div;
    const mfg = isMfg(d);
    return [
      ["SCJG", 10 + (isFood(d) ? 8 : 0)],
      ["STHJ", POLLUTING.has(d) ? 5 : mfg ? 2 : d === "62" ? 0.8 : d === "84" ? 1 : 0],
      ["YJGL", isChem(d) ? 6 : mfg ? 3 : d === "59" ? 2 : 0.3],
      ["ZJ", isBuild(d) ? 9 : d === "70" ? 3 : 0],
      ["JTYS", isTransport(d) ? 9 : d === "81" ? 4 : 0],
      ["SW", this.type === "enterprise" ? 0.8 : 0.3],
      ["RS", mfg || isBuild(d) ? 2 : 0.6],
    ];
  }

  private inspections(): void {
    let mean = INSPECTIONS[this.type] * this.scale;
    if (isMfg(this.div) || isBuild(this.div)) mean *= 1.3;
    if (isFood(this.div)) mean *= 1.2;
    const n = this.rng.negBinomial(mean, 2);
    const results: WeightedList<string> = this.dirty
      ? [
          ["pass", 65],
          ["problems", 27],
          ["fail", 8],
        ]
      : [
          ["pass", 88],
          ["problems", 10],
          ["fail", 2],
        ];
    for (let i = 0; i < n; i++) {
      const day = this.day("INSPECTION");
      const dept = this.dept("INSPECTION", this.inspectionDepts(), `${this.type}|${this.div}`);
      if (day === undefined || !dept) return;
      let items = this.rng.one(INSPECTION_ITEMS[dept] ?? ["日常监督检查"]);
      if (dept === "SCJG" && isFood(this.div) && this.rng.chance(0.6)) items = "食品安全日常监督检查";
      else if (dept === "STHJ" && this.div === "62") items = "餐饮油烟治理检查";
      else if (dept === "STHJ" && this.div === "84") items = "医疗废物规范化管理检查";
      else if (dept === "YJGL" && !isMfg(this.div) && this.div !== "59") items = "安全生产执法检查";
      else if (dept === "JTYS" && this.div === "81") items = "机动车维修经营检查";
      else if (dept === "JTYS" && items === "机动车维修经营检查") items = "道路运输企业安全生产检查";
      else if (dept === "ZJ" && this.div === "70")
        items = this.rng.one(["物业服务质量检查", "工程质量监督检查"]);
      const result = this.rng.pick(results);
      const content =
        result === "fail"
          ? "检查不合格，已依法立案调查"
          : result === "problems"
            ? "现场检查发现问题，已下达责令改正通知书"
            : undefined;
      this.emit("INSPECTION", dept, day, this.doc("INSPECTION", dept, day), { result, items }, { content });
    }
  }

  // — Licences ——————————————————————————————————————————————————————————————

  private licences(): void {
    const reg = this.s.registered_on ? dayOf(this.s.registered_on) : this.g.historyStart - this.rng.int(3650);
    for (const l of LICENCES) {
      const p = l.p(this.div, this.type);
      if (p <= 0 || !this.rng.chance(p) || !this.allows("LICENCE", l.dept)) continue;
      const copies = l.name === "特种设备使用登记证" ? 1 + this.rng.poisson(0.6) : 1;
      for (let k = 0; k < copies; k++) {
        // First issued soon after registration (or, for people, some time ago), renewed before expiry, and
        // changed now and then; each is a licensing decision of its own.
        let d = reg + this.rng.int(l.years === null ? 1500 : 180) + (k > 0 ? this.rng.int(1000) : 0);
        let no = "";
        let action = "新办";
        while (d <= this.end) {
          const next = l.years === null ? Number.POSITIVE_INFINITY : addYears(d, l.years) - this.rng.int(40);
          const validTo = l.years === null ? undefined : isoOf(addYears(d, l.years) - 1);
          if (this.inWindow("LICENCE", d)) {
            if (!no || action === "新办") no = l.no(this, d, NUMBERING);
            this.licence(l, d, action, no, validTo);
          } else if (!no && d >= this.g.historyStart - 4000) no = l.no(this, d, NUMBERING);
          // Changes during this period.
          const changes = this.rng.poisson(0.15 * Math.min(l.years ?? HISTORY_YEARS, HISTORY_YEARS));
          for (let c = 0; c < changes; c++) {
            const cd = d + 1 + this.rng.int(Math.max(1, Math.min(next, this.end + 1) - d - 1));
            if (!this.inWindow("LICENCE", cd)) continue;
            if (!no) no = l.no(this, cd, NUMBERING);
            this.licence(l, cd, this.rng.one(LICENCE_CHANGES), no, validTo);
          }
          if (l.years === null) break;
          d = next;
          action = "延续";
        }
      }
    }
    // Builders and developers take a construction permit per project.
    if (this.type === "enterprise" && (this.div === "47" || this.div === "48" || this.div === "70")) {
      const n = this.rng.poisson(0.5 * HISTORY_YEARS * this.scale);
      for (let i = 0; i < n; i++) {
        const d = this.day("LICENCE");
        if (d === undefined || !this.allows("LICENCE", "ZJ")) break;
        const no = `${this.s.region}${isoOf(d).replaceAll("-", "")}${pad(this.g.next(`SG|${this.s.region}|${d}`), 2)}01`;
        this.licence(
          { name: "建筑工程施工许可证", dept: "ZJ", years: null, p: () => 0, no: () => no },
          d,
          "新办",
          no,
          undefined,
        );
      }
    }
  }

  private licence(l: Licence, day: number, action: string, no: string, validTo: string | undefined): void {
    this.emit(
      "LICENCE",
      l.dept,
      day,
      this.doc("LICENCE", l.dept, day),
      { licence_type: l.name, valid_to: validTo },
      { content: `${action}，许可证编号：${no}` },
    );
  }

  // — Commitments and honours ————————————————————————————————————————————————

  private commitments(): void {
    const n = this.rng.poisson(COMMITMENT_MEAN[this.type] * this.scale);
    const weights: WeightedList<string> =
      this.type === "natural_person"
        ? [
            ["XYB", 3],
            ["RS", 2],
          ]
        : [
            ["XYB", 35],
            ["SCJG", 30],
            ["SW", 10],
            ["ZJ", isBuild(this.div) || this.div === "70" ? 20 : 0],
            ["RS", this.div === "72" ? 15 : 0],
            ["JTYS", isTransport(this.div) ? 15 : 0],
            ["STHJ", POLLUTING.has(this.div) ? 8 : 0],
            ["YJGL", isChem(this.div) ? 8 : 0],
          ];
    for (let i = 0; i < n; i++) {
      const day = this.day("COMMITMENT");
      const dept = this.dept("COMMITMENT", weights, this.type === "natural_person" ? "person" : this.div);
      if (day === undefined || !dept) return;
      let kinds = COMMITMENTS[dept] ?? ["主动型信用承诺"];
      if (this.type === "natural_person")
        kinds = dept === "RS" ? ["社会保险待遇领取告知承诺"] : ["主动型信用承诺"];
      else if (dept === "RS") kinds = ["劳务派遣许可告知承诺"];
      else if (dept === "XYB" && !this.dirty) kinds = ["主动型信用承诺"];
      else if (dept === "SCJG" && !isFood(this.div)) kinds = ["市场主体登记信用承诺", "容缺受理承诺"];
      const recent = this.g.todayDay - day < 365;
      const kept = this.rng.pick<string>(
        recent
          ? [
              ["yes", 60],
              ["pending", 35],
              ["no", 5],
            ]
          : [
              ["yes", 94],
              ["no", 6],
            ],
      );
      this.emit(
        "COMMITMENT",
        dept,
        day,
        this.doc("COMMITMENT", dept, day),
        { commitment_kept: kept },
        {
          content: this.rng.one(kinds),
        },
      );
    }
  }

  private honours(): void {
    for (const h of HONOURS) {
      const p = h.p(this.div, this.type);
      if (p <= 0 || !this.rng.chance(p * (this.dirty ? 0.3 : 1))) continue;
      const day = this.day("HONOUR");
      if (day === undefined || !this.allows("HONOUR", h.dept)) continue;
      const level = this.rng.pick(h.level);
      this.emit("HONOUR", h.dept, day, this.doc("HONOUR", h.dept, day), {
        honour: h.honour,
        honour_level: level,
      });
    }
    // A-level taxpayers are named every April; a good payer stays one year after year.
    if (this.type === "enterprise" && !this.dirty && this.rng.chance(0.12) && this.allows("HONOUR", "SW")) {
      for (let y = yearOf(this.start); y <= yearOf(this.end); y++) {
        const day = dayOf(`${y}-04-15`) + this.rng.int(15);
        if (!this.inWindow("HONOUR", day) || !this.rng.chance(0.75)) continue;
        this.emit("HONOUR", "SW", day, this.doc("HONOUR", "SW", day), {
          honour: `${y - 1}年度纳税信用A级纳税人`,
          honour_level: "provincial",
        });
      }
    }
  }

  // — Negative records ———————————————————————————————————————————————————————

  private negatives(): void {
    if (!this.dirty) return;
    const chronic = this.rng.chance(0.015);
    const extra = (chronic ? 12 : NEGATIVE_EXTRA[this.type]) * Math.max(this.scale, 0.2);
    const n = 1 + this.rng.negBinomial(extra, 0.5);
    const mix = this.g.weighted(`neg|${this.type}|${this.div}`, () => this.negativeMix());
    if (!mix) return;
    for (let i = 0; i < n; i++) {
      switch (mix.sample(this.rng)) {
        case "PENALTY":
          this.penalty();
          break;
        case "COMPLAINT":
          this.complaint();
          break;
        case "ABNORMAL_OPERATION":
          this.abnormal();
          break;
        case "COERCION":
          this.coercion();
          break;
        case "TAX_ARREARS":
          this.taxArrears();
          break;
        case "WAGE_ARREARS":
          this.wageArrears();
          break;
        case "JUDGMENT":
          this.judgment();
          break;
        case "SAFETY_ACCIDENT":
          this.safetyAccident();
          break;
        case "QUALITY_ACCIDENT":
          this.qualityAccident();
          break;
      }
    }
  }

  private negativeMix(): WeightedList<string> {
    const d = this.div;
    const mfg = isMfg(d);
    const build = isBuild(d);
    return Object.entries(NEGATIVE_MIX[this.type])
      .filter(([c]) => this.g.range(c))
      .map(([c, w]) => {
        let m = 1;
        if (c === "SAFETY_ACCIDENT")
          m = build ? 6 : isChem(d) || d === "10" ? 4 : isTransport(d) ? 3 : mfg ? 2 : 0.5;
        if (c === "QUALITY_ACCIDENT")
          m = ["13", "14", "15", "17", "18", "19", "29", "30", "33", "38"].includes(d)
            ? 3
            : d === "52" || d === "62"
              ? 1.5
              : 0.3;
        if (c === "WAGE_ARREARS") m = build ? 5 : ["17", "18", "19"].includes(d) ? 2 : 1;
        if (c === "COMPLAINT") m = ["52", "62", "61", "80", "83", "70"].includes(d) ? 1.5 : 1;
        return [c, w * m] as const;
      });
  }

  private penalty(): void {
    const person = this.type === "natural_person";
    const d = this.div;
    const mfg = isMfg(d);
    const weights: WeightedList<string> = person
      ? [
          ["JTYS", 5],
          ["SCJG", 3],
          ["STHJ", 1],
          ["SW", 1],
        ]
      : [
          ["SCJG", 10 + (isFood(d) ? 4 : 0)],
          ["STHJ", POLLUTING.has(d) ? 7 : mfg ? 4 : d === "62" ? 1 : 0.2],
          ["ZJ", isBuild(d) ? 8 : d === "70" ? 3 : 0],
          ["JTYS", isTransport(d) ? 8 : d === "81" ? 2 : 0],
          ["YJGL", isChem(d) ? 6 : mfg ? 3 : 0.3],
          ["SW", this.type === "enterprise" ? 1.5 : 1],
          ["RS", mfg || isBuild(d) ? 1.5 : 0.5],
        ];
    const dept = this.dept("PENALTY", weights, person ? "person" : `${this.type}|${d}`);
    const day = this.day("PENALTY");
    if (!dept || day === undefined) return;
    const facts = (person ? PERSON_FACTS[dept] : PENALTY_FACTS[dept]) ?? [
      { fact: "违反有关法律法规规定", basis: "有关法律法规" },
    ];
    const usable = facts.filter((f) => !f.when || f.when(d, this.type));
    const f = this.rng.one(usable.length > 0 ? usable : facts);
    let type = this.rng.pick<string>([
      ["warning", 18],
      ["fine", 62],
      ["confiscation", 10],
      ["suspension", 4],
      ["licence_revocation", 2],
      ["other", 4],
    ]);
    if (f.serious && type === "warning") type = "fine";
    this.penaltyRecord(dept, day, f, type);
  }

  penaltyRecord(dept: string, day: number, f: Fact, type: string): void {
    const big = this.type === "enterprise" ? 1.5 : 0.5;
    let amount: number | undefined;
    if (type === "fine" || type === "confiscation" || (type !== "warning" && this.rng.chance(0.5)))
      amount = money(this.rng.lognormal(big * (f.serious ? 6 : 1), 1.3));
    let severity = "general";
    if (type === "warning" || (amount !== undefined && amount < 0.2)) severity = "minor";
    if (f.serious || type === "suspension" || type === "licence_revocation" || (amount ?? 0) >= 20)
      severity = "serious";
    this.emit(
      "PENALTY",
      dept,
      day,
      this.doc("PENALTY", dept, day),
      { penalty_type: type, legal_basis: f.basis, amount },
      { severity, content: `当事人${f.fact}`, negative: true },
    );
    if (severity === "serious" && dept === "SCJG" && this.rng.chance(0.15))
      this.seriousList(
        "SCJG",
        day,
        "因违法行为情节严重受到较重行政处罚",
        "《市场监督管理严重违法失信名单管理办法》第二条",
      );
  }

  private complaint(): void {
    const d = this.div;
    const mfg = isMfg(d);
    const weights: WeightedList<string> = [
      ["SCJG", 60],
      ["XXB", 12],
      ["RS", mfg || isBuild(d) ? 24 : 8],
      ["ZJ", isBuild(d) || d === "70" ? 15 : 0],
      ["STHJ", mfg || d === "62" ? 10 : 0],
      ["JTYS", isTransport(d) ? 10 : 0],
      ["YJGL", mfg || isChem(d) ? 1 : 0],
    ];
    const dept = this.dept("COMPLAINT", weights, `${this.type}|${d}`);
    const day = this.day("COMPLAINT");
    if (!dept || day === undefined) return;
    const verified = this.rng.chance(0.55) ? "yes" : "no";
    let topics = COMPLAINT_TOPICS[dept] ?? ["投诉举报"];
    if (dept === "XXB") topics = isBuild(d) ? ["来信反映拖欠工程款", ...topics] : topics;
    if (dept === "ZJ" && d === "70") topics = ["投诉房屋质量问题", "投诉物业服务"];
    if (dept === "ZJ" && isBuild(d)) topics = ["投诉施工噪声扰民", "投诉房屋质量问题"];
    if (dept === "STHJ" && d === "62") topics = ["反映餐饮油烟扰民", "反映噪声扰民"];
    this.emit(
      "COMPLAINT",
      dept,
      day,
      this.doc("COMPLAINT", dept, day),
      { complaint_verified: verified },
      {
        severity: verified === "yes" && this.rng.chance(0.1) ? "general" : "minor",
        content: this.rng.one(topics),
        negative: true,
      },
    );
  }

  private abnormal(day?: number): void {
    if (this.type !== "enterprise" && this.type !== "individual" && this.type !== "cooperative") return;
    if (!this.allows("ABNORMAL_OPERATION", "SCJG")) return;
    let reason: string;
    const x = this.rng.float();
    if (this.type === "enterprise")
      reason =
        x < 0.75
          ? "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告"
          : x < 0.95
            ? "通过登记的住所或者经营场所无法联系"
            : x < 0.98
              ? "未在市场监督管理部门依照《企业信息公示暂行条例》第十条规定责令的期限内公示有关企业信息"
              : "公示企业信息隐瞒真实情况、弄虚作假";
    else if (this.type === "individual")
      reason = x < 0.8 ? "未按规定报送年度报告" : "通过登记的经营场所无法联系";
    else reason = x < 0.85 ? "未按照规定报送年度报告" : "通过登记的住所无法与农民专业合作社取得联系";
    const annual = reason.includes("年度报告");
    if (day === undefined) {
      day = this.day("ABNORMAL_OPERATION");
      if (day === undefined) return;
      // Annual-report listings are made in early July, after the 30 June deadline.
      if (annual) {
        const y = yearOf(day);
        const july = dayOf(`${y}-07-01`) + this.rng.int(20);
        if (this.inWindow("ABNORMAL_OPERATION", july)) day = july;
      }
    }
    this.emit(
      "ABNORMAL_OPERATION",
      "SCJG",
      day,
      this.doc("ABNORMAL_OPERATION", "SCJG", day),
      { list_reason: reason },
      { severity: "general", negative: true },
    );
    // Three years on the list without putting it right: the serious-violator list.
    if (this.type === "enterprise" && this.rng.chance(0.05)) {
      const later = addYears(day, 3) + this.rng.int(30);
      this.seriousList(
        "SCJG",
        later,
        "被列入经营异常名录届满3年仍未履行相关义务",
        "《市场监督管理严重违法失信名单管理办法》第十三条",
        true,
      );
    }
  }

  private coercion(): void {
    const d = this.div;
    const weights: WeightedList<string> = [
      ["SCJG", 5],
      ["STHJ", POLLUTING.has(d) ? 4 : 1],
      ["SW", 3],
      ["JTYS", isTransport(d) ? 5 : 0],
      ["YJGL", isMfg(d) || isChem(d) ? 1.5 : 0],
      ["ZJ", isBuild(d) ? 3 : 0],
      ["RS", 0.3],
    ];
    const dept = this.dept("COERCION", weights, `${this.type}|${d}`);
    const day = this.day("COERCION");
    if (!dept || day === undefined) return;
    const measure = this.rng.one(COERCION_MEASURES[dept] ?? ["查封场所、设施或者财物"]);
    const basis = this.rng.chance(0.6)
      ? (COERCION_BASIS[dept] ?? "《中华人民共和国行政强制法》第九条")
      : undefined;
    this.emit(
      "COERCION",
      dept,
      day,
      this.doc("COERCION", dept, day),
      { measure_type: measure, legal_basis: basis },
      { severity: "general", negative: true },
    );
  }

  private taxArrears(): void {
    if (!this.allows("TAX_ARREARS", "SW")) return;
    let day = this.day("TAX_ARREARS");
    if (day === undefined) return;
    // Arrears are announced at the start of each quarter.
    const iso = isoOf(day);
    const q = Math.floor((Number(iso.slice(5, 7)) - 1) / 3) * 3 + 1;
    const announced = dayOf(`${iso.slice(0, 4)}-${pad(q, 2)}-01`) + this.rng.int(15);
    if (this.inWindow("TAX_ARREARS", announced)) day = announced;
    const amount = money(this.rng.lognormal(this.type === "enterprise" ? 6 : 1.5, 1.5));
    const taxes =
      this.type === "enterprise"
        ? ["增值税", "企业所得税", "城市维护建设税", "房产税", "城镇土地使用税"]
        : ["增值税", "个人所得税"];
    const tax = this.rng.one(taxes);
    const due = isoOf(day - 1 - this.rng.int(60));
    this.emit(
      "TAX_ARREARS",
      "SW",
      day,
      this.doc("TAX_ARREARS", "SW", day),
      { amount },
      {
        severity: amount >= 100 ? "serious" : "general",
        content: `截至${due.slice(0, 4)}年${Number(due.slice(5, 7))}月${Number(due.slice(8, 10))}日欠缴${tax}`,
        negative: true,
      },
    );
    if (amount >= 10 && this.rng.chance(0.1))
      this.seriousList(
        "SW",
        day + 60 + this.rng.int(300),
        "欠缴税款并转移、隐匿财产，致使税务机关无法追缴",
        "《重大税收违法失信主体信息公布管理办法》第六条第二项",
        true,
      );
  }

  private wageArrears(): void {
    if (!this.allows("WAGE_ARREARS", "RS")) return;
    const day = this.day("WAGE_ARREARS");
    if (day === undefined) return;
    const build = isBuild(this.div);
    const workers = 1 + this.rng.negBinomial(build ? 40 : 12, 1);
    const amount = money(this.rng.lognormal(build ? 30 : 8, 1.2));
    this.emit(
      "WAGE_ARREARS",
      "RS",
      day,
      this.doc("WAGE_ARREARS", "RS", day),
      { amount, workers },
      {
        severity: workers >= 50 || amount >= 100 ? "serious" : "general",
        content: `拖欠${workers}名劳动者工资共计${amount}万元`,
        negative: true,
      },
    );
    if (this.rng.chance(0.2))
      this.seriousList(
        "RS",
        day + 30 + this.rng.int(200),
        "拖欠农民工工资达到认定拒不支付劳动报酬罪数额标准",
        "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条第一款第一项",
        true,
      );
  }

  private judgment(): void {
    if (!this.allows("JUDGMENT", "FY")) return;
    const day = this.day("JUDGMENT");
    if (day === undefined) return;
    const court = this.rng.chance(0.1) ? CITY_COURT : this.county;
    const kind = this.rng.pick<string>([
      ["执", 65],
      ["民初", 30],
      ["执恢", 5],
    ]);
    const year = yearOf(day);
    const caseNo = `（${year}）${court.courtCode}${kind}${this.g.next(`case|${court.courtCode}|${kind}|${year}`)}号`;
    const amount = money(this.rng.lognormal(this.type === "enterprise" ? 15 : 8, 1.5));
    const enforcement = kind !== "民初";
    const dispute = this.rng.one([
      "买卖合同纠纷",
      "民间借贷纠纷",
      "劳动争议",
      "租赁合同纠纷",
      "金融借款合同纠纷",
    ]);
    this.emit(
      "JUDGMENT",
      "FY",
      day,
      caseNo,
      { court: court.court, case_no: caseNo, amount },
      {
        severity: enforcement ? "serious" : "general",
        content: enforcement ? "被执行人未履行生效法律文书确定的给付义务" : `${dispute}一案判决`,
        negative: true,
      },
    );
    // Judgment defaulters: the court lists the case (same case number) on the serious-violator list.
    if (enforcement && this.rng.chance(0.35) && this.allows("SERIOUS_VIOLATOR", "FY")) {
      const later = day + 30 + this.rng.int(150);
      if (!this.inWindow("SERIOUS_VIOLATOR", later)) return;
      const [reason, item] = this.rng.pick<readonly [string, string]>([
        [["有履行能力而拒不履行生效法律文书确定义务", "第一项"], 7],
        [["违反财产报告制度", "第四项"], 2],
        [["违反限制消费令", "第五项"], 1],
      ]);
      this.emit(
        "SERIOUS_VIOLATOR",
        "FY",
        later,
        caseNo,
        {
          list_reason: reason,
          legal_basis: `《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条${item}`,
        },
        { severity: "serious", negative: true },
      );
    }
  }

  private safetyAccident(): void {
    const d = this.div;
    const weights: WeightedList<string> = [
      ["YJGL", 8],
      ["ZJ", isBuild(d) ? 12 : 0.3],
      ["JTYS", isTransport(d) ? 12 : 0.3],
    ];
    const dept = this.dept("SAFETY_ACCIDENT", weights, `${this.type}|${d}`);
    const day = this.day("SAFETY_ACCIDENT");
    if (!dept || day === undefined) return;
    const level = this.rng.pick<string>([
      ["ordinary", 96],
      ["larger", 3.8],
      ["major", 0.2],
    ]);
    const deaths =
      level === "ordinary"
        ? this.rng.pick<number>([
            [0, 50],
            [1, 38],
            [2, 12],
          ])
        : level === "larger"
          ? this.rng.range(3, 9)
          : this.rng.range(10, 29);
    this.emit(
      "SAFETY_ACCIDENT",
      dept,
      day,
      this.doc("SAFETY_ACCIDENT", dept, day),
      { accident_level: level, deaths },
      {
        severity: level === "ordinary" && deaths === 0 ? "general" : "serious",
        content: `发生一起${this.rng.one(ACCIDENT_KINDS)}事故`,
        negative: true,
      },
    );
    if (level !== "ordinary" && this.allows("SERIOUS_VIOLATOR", "YJGL"))
      this.seriousList(
        "YJGL",
        day + 60 + this.rng.int(120),
        "发生较大及以上生产安全事故且负有责任",
        "《安全生产严重失信主体名单管理办法》第五条第一项",
        true,
      );
  }

  private qualityAccident(): void {
    if (!this.allows("QUALITY_ACCIDENT", "SCJG")) return;
    const day = this.day("QUALITY_ACCIDENT");
    if (day === undefined) return;
    const level = this.rng.chance(0.98) ? "ordinary" : "larger";
    const deaths = level === "ordinary" ? (this.rng.chance(0.95) ? 0 : 1) : this.rng.range(1, 3);
    this.emit(
      "QUALITY_ACCIDENT",
      "SCJG",
      day,
      this.doc("QUALITY_ACCIDENT", "SCJG", day),
      { accident_level: level, deaths },
      {
        severity: deaths > 0 || level !== "ordinary" ? "serious" : "general",
        content: this.rng.one(QUALITY_KINDS),
        negative: true,
      },
    );
  }

  /** A listing on the serious-violator list, if the day falls in the subject's active history. */
  seriousList(dept: string, day: number, reason: string, basis: string, dayGiven = false): void {
    if (!this.allows("SERIOUS_VIOLATOR", dept)) return;
    let d: number | undefined = day;
    if (!dayGiven) d = day + 15 + this.rng.int(90);
    if (d === undefined || !this.inWindow("SERIOUS_VIOLATOR", d)) return;
    this.emit(
      "SERIOUS_VIOLATOR",
      dept,
      d,
      this.doc("SERIOUS_VIOLATOR", dept, d),
      { list_reason: reason, legal_basis: basis },
      { severity: "serious", negative: true },
    );
  }

  /** A revoked business licence: usually on the abnormal list first, then the revocation itself. */
  private revocation(): void {
    if (!this.rng.chance(0.6)) return;
    const endDay = this.end;
    const listed = endDay - 365 - this.rng.int(700);
    if (this.inWindow("ABNORMAL_OPERATION", listed)) this.abnormal(listed);
    if (this.inWindow("PENALTY", endDay) && this.allows("PENALTY", "SCJG") && this.type !== "natural_person")
      this.penaltyRecord(
        "SCJG",
        endDay,
        {
          fact: "成立后无正当理由超过6个月未开业或者开业后自行停业连续6个月以上",
          basis: "《中华人民共和国市场主体登记管理条例》第四十六条",
        },
        "licence_revocation",
      );
  }

  /** A record of a category this generator does not know: its required fields filled by type. */
  private generic(c: Category): void {
    const day = this.day(c.code);
    const dept = c.departments.length > 0 ? this.rng.one(c.departments) : undefined;
    if (day === undefined || !dept) return;
    const fields: Record<string, unknown> = {};
    for (const key of c.required) {
      const def = this.g.catalog.fields.find((f) => f.key === key);
      if (!def) continue;
      switch (def.type) {
        case "enum":
          fields[key] = def.values?.[0];
          break;
        case "number":
        case "integer":
          fields[key] = def.min ?? 0;
          break;
        case "date":
          fields[key] = isoOf(day);
          break;
        default:
          fields[key] = c.zh.slice(0, def.max ?? 200);
      }
    }
    this.emit(c.code, dept, day, this.doc(c.code, dept, day), fields, { negative: c.kind === "negative" });
  }
}

/** Decision dates as departments write them: mostly ISO, sometimes 2024/3/5 or 2024年3月5日. */
function dateText(day: number, rng: Random): string {
  const iso = isoOf(day);
  const x = rng.float();
  if (x < 0.85) return iso;
  const y = iso.slice(0, 4);
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  return x < 0.95 ? `${y}/${m}/${d}` : `${y}年${m}月${d}日`;
}
