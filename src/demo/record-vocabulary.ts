/**
 * The vocabulary of the demo city's credit records: departments' abbreviations, facts and legal bases, measures,
 * topics, licences, honours and commitments, and how often each kind of subject collects which. Data only: the
 * generator (records.ts) draws from it; a licence's number format gets the subject's run and the generator's
 * number formatting passed in.
 */

import { yearOf } from "./dates.ts";
import type { DemoSubject, SubjectType } from "./generate.ts";
import { COUNTIES, type County } from "./names.ts";
import type { Random, WeightedList } from "./random.ts";

/** What a licence's number is made of: the subject's run in the generator. */
export interface NumberingRun {
  readonly s: DemoSubject;
  readonly county: County;
  readonly type: SubjectType;
  readonly div: string;
  readonly rng: Random;
  /** City-wide counters, one per key. */
  readonly g: { next(key: string): number };
  /** The subject's own running number (permits numbered after the subject's code). */
  ordinal: number;
}

/** The generator's number formatting, passed to the licences' number formats. */
export interface NumberingHelpers {
  /** `n` with leading zeros to `width` digits. */
  pad(n: number, width: number): string;
  /** `s` with a check digit appended. */
  withDigit(s: string): string;
}

export const COUNTY_BY_CODE = new Map(COUNTIES.map((c) => [c.code, c]));
export const CITY_COURT = { court: "泉州市中级人民法院", courtCode: "闽05" };

/** Document-number abbreviations of the departments (晋 + 市监 + 处罚 〔2024〕 123号). */
export const DEPT_ABBR: Record<string, string> = {
  XYB: "信用办",
  SCJG: "市监",
  ZJ: "住建",
  STHJ: "环",
  JTYS: "交",
  SW: "税",
  RS: "人社",
  YJGL: "应急",
  FY: "法",
  XXB: "信访",
};
export const CATEGORY_WORD: Record<string, string> = {
  INSPECTION: "检",
  PENALTY: "罚",
  COERCION: "强",
  COMPLAINT: "诉",
  SAFETY_ACCIDENT: "事故调",
  QUALITY_ACCIDENT: "质事",
  LICENCE: "许",
  HONOUR: "表",
  COMMITMENT: "承",
  JUDGMENT: "判",
  TAX_ARREARS: "欠税",
  WAGE_ARREARS: "监令",
  ABNORMAL_OPERATION: "企异",
  SERIOUS_VIOLATOR: "严失",
};

/** The categories this generator knows how to fill; any other catalog category gets generic records. */
export const KNOWN = new Set(Object.keys(CATEGORY_WORD));

type Pred = (div: string, type: SubjectType) => boolean;
const inRange = (d: string, lo: string, hi: string) => d >= lo && d <= hi;
export const isMfg = (d: string) => inRange(d, "13", "43");
export const isFood = (d: string) => ["13", "14", "15", "52", "61", "62"].includes(d);
export const isBuild = (d: string) => inRange(d, "47", "50");
export const isTransport = (d: string) => ["54", "55", "58", "59"].includes(d);
export const isChem = (d: string) => ["25", "26", "28"].includes(d);
export const POLLUTING = new Set([
  "13",
  "15",
  "17",
  "19",
  "22",
  "25",
  "26",
  "28",
  "29",
  "30",
  "31",
  "32",
  "33",
  "44",
]);

export interface Fact {
  fact: string;
  basis: string;
  serious?: boolean;
  when?: Pred;
}

export const PENALTY_FACTS: Record<string, readonly Fact[]> = {
  SCJG: [
    {
      fact: "销售超过保质期的食品",
      basis: "《中华人民共和国食品安全法》第一百二十四条第一款第五项",
      when: isFood,
    },
    {
      fact: "未取得食品经营许可从事食品经营活动",
      basis: "《中华人民共和国食品安全法》第一百二十二条第一款",
      when: isFood,
    },
    {
      fact: "经营场所卫生条件不符合食品安全要求",
      basis: "《中华人民共和国食品安全法》第一百二十六条第一款",
      when: isFood,
    },
    {
      fact: "生产、销售不合格产品",
      basis: "《中华人民共和国产品质量法》第四十九条",
      when: (d) => isMfg(d) || d === "52",
    },
    {
      fact: "销售侵犯注册商标专用权的商品",
      basis: "《中华人民共和国商标法》第六十条第二款",
      when: (d) => ["17", "18", "19", "51", "52"].includes(d),
    },
    { fact: "发布虚假广告", basis: "《中华人民共和国广告法》第五十五条第一款" },
    {
      fact: "未按规定明码标价",
      basis: "《明码标价和禁止价格欺诈规定》第二十一条",
      when: (d) => ["52", "61", "62", "80"].includes(d),
    },
    {
      fact: "使用未经定期检验的特种设备",
      basis: "《中华人民共和国特种设备安全法》第八十四条第一项",
      when: isMfg,
    },
    {
      fact: "使用未经检定的计量器具",
      basis: "《中华人民共和国计量法实施细则》第四十三条",
      when: (d) => d === "52",
    },
    { fact: "擅自改变经营场所未办理变更登记", basis: "《中华人民共和国市场主体登记管理条例》第四十六条" },
  ],
  STHJ: [
    {
      fact: "未依法报批建设项目环境影响报告表擅自开工建设",
      basis: "《中华人民共和国环境影响评价法》第三十一条第一款",
    },
    {
      fact: "超过大气污染物排放标准排放大气污染物",
      basis: "《中华人民共和国大气污染防治法》第九十九条第二项",
    },
    {
      fact: "未按规定贮存危险废物",
      basis: "《中华人民共和国固体废物污染环境防治法》第一百一十二条第一款第六项",
    },
    {
      fact: "通过暗管逃避监管的方式排放水污染物",
      basis: "《中华人民共和国水污染防治法》第八十三条第三项",
      serious: true,
    },
    { fact: "未按照排污许可证规定自行监测", basis: "《排污许可管理条例》第三十六条第六项" },
    {
      fact: "餐饮油烟未经处理直接排放",
      basis: "《中华人民共和国大气污染防治法》第一百一十八条第一款",
      when: (d) => d === "62",
    },
  ],
  ZJ: [
    { fact: "未取得施工许可证擅自施工", basis: "《中华人民共和国建筑法》第六十四条" },
    { fact: "施工现场扬尘污染防治措施不到位", basis: "《中华人民共和国大气污染防治法》第一百一十五条第一款" },
    { fact: "违反工程建设强制性标准", basis: "《建设工程质量管理条例》第六十四条" },
    { fact: "未按规定办理竣工验收备案", basis: "《建设工程质量管理条例》第五十六条" },
    { fact: "未按规定设置安全防护设施", basis: "《建设工程安全生产管理条例》第六十二条" },
  ],
  JTYS: [
    { fact: "未取得道路运输经营许可擅自从事道路运输经营", basis: "《中华人民共和国道路运输条例》第六十三条" },
    { fact: "车辆超限运输", basis: "《公路安全保护条例》第六十四条" },
    { fact: "未按规定维护和检测运输车辆", basis: "《中华人民共和国道路运输条例》第七十条" },
    {
      fact: "机动车维修经营者未按规定建立维修档案",
      basis: "《机动车维修管理规定》第五十二条",
      when: (d) => d === "81",
    },
  ],
  YJGL: [
    {
      fact: "未按规定对从业人员进行安全生产教育和培训",
      basis: "《中华人民共和国安全生产法》第九十七条第三项",
    },
    { fact: "未采取措施消除事故隐患", basis: "《中华人民共和国安全生产法》第一百零二条" },
    { fact: "粉尘防爆安全管理措施不落实", basis: "《工贸企业粉尘防爆安全规定》第三十条", when: isMfg },
    { fact: "未建立事故隐患排查治理制度", basis: "《中华人民共和国安全生产法》第一百零一条第五项" },
    { fact: "危险化学品未按规定储存", basis: "《危险化学品安全管理条例》第八十条第一款", when: isChem },
  ],
  SW: [
    { fact: "未按照规定期限办理纳税申报和报送纳税资料", basis: "《中华人民共和国税收征收管理法》第六十二条" },
    { fact: "未按规定开具发票", basis: "《中华人民共和国发票管理办法》第三十五条" },
    { fact: "虚开增值税专用发票", basis: "《中华人民共和国发票管理办法》第三十七条", serious: true },
    { fact: "偷税", basis: "《中华人民共和国税收征收管理法》第六十三条第一款", serious: true },
  ],
  RS: [
    { fact: "违反工作时间和休息休假规定延长劳动者工作时间", basis: "《劳动保障监察条例》第二十五条" },
    { fact: "未依法为职工参加社会保险", basis: "《中华人民共和国社会保险法》第八十四条" },
    { fact: "未按规定提交劳动保障书面材料", basis: "《劳动保障监察条例》第三十条第一款第二项" },
    { fact: "使用童工", basis: "《禁止使用童工规定》第六条", serious: true },
  ],
};

/** Penalties natural persons get. */
export const PERSON_FACTS: Record<string, readonly Fact[]> = {
  JTYS: [
    { fact: "未取得道路运输经营许可擅自从事道路客运经营", basis: "《中华人民共和国道路运输条例》第六十三条" },
  ],
  SCJG: [{ fact: "从事无照经营", basis: "《无证无照经营查处办法》第十三条" }],
  STHJ: [
    { fact: "露天焚烧产生有毒有害烟尘的物质", basis: "《中华人民共和国大气污染防治法》第一百一十九条第一款" },
  ],
  SW: [{ fact: "未按照规定期限办理个人所得税纳税申报", basis: "《中华人民共和国税收征收管理法》第六十二条" }],
};

export const COERCION_MEASURES: Record<string, readonly string[]> = {
  SCJG: ["查封场所、设施或者财物", "扣押财物"],
  STHJ: ["查封造成污染物排放的设施、设备", "扣押造成污染物排放的设施、设备"],
  SW: ["冻结存款、汇款", "扣押、查封商品、货物或者其他财产", "加收滞纳金"],
  JTYS: ["暂扣车辆", "扣押车辆"],
  YJGL: ["查封违法生产、储存的场所", "扣押违法生产、储存的危险物品"],
  ZJ: ["查封施工现场"],
  RS: ["加处罚款"],
};
export const COERCION_BASIS: Record<string, string> = {
  SCJG: "《中华人民共和国行政强制法》第九条",
  STHJ: "《中华人民共和国环境保护法》第二十五条",
  SW: "《中华人民共和国税收征收管理法》第四十条",
  JTYS: "《中华人民共和国道路运输条例》第六十八条",
  YJGL: "《中华人民共和国安全生产法》第六十五条",
  ZJ: "《中华人民共和国行政强制法》第九条",
  RS: "《中华人民共和国行政强制法》第四十五条",
};

export const COMPLAINT_TOPICS: Record<string, readonly string[]> = {
  SCJG: [
    "消费者投诉商品质量问题",
    "消费者投诉预付卡退费纠纷",
    "投诉虚假宣传",
    "投诉价格欺诈",
    "投诉食品安全问题",
  ],
  RS: ["投诉拖欠劳动报酬", "投诉未签订书面劳动合同", "投诉未缴纳社会保险"],
  ZJ: ["投诉房屋质量问题", "投诉施工噪声扰民", "投诉物业服务"],
  STHJ: ["反映废气异味扰民", "反映噪声扰民", "反映污水直排"],
  JTYS: ["投诉出租车拒载", "投诉货运车辆抛洒"],
  XXB: ["来访反映经营纠纷", "来信反映消费纠纷", "来信反映噪声扰民"],
  YJGL: ["举报安全生产隐患"],
};

export const INSPECTION_ITEMS: Record<string, readonly string[]> = {
  SCJG: [
    "“双随机、一公开”抽查：年度报告公示信息",
    "“双随机、一公开”抽查：登记事项",
    "产品质量监督抽查",
    "特种设备安全监督检查",
    "价格行为检查",
    "计量监督检查",
  ],
  STHJ: [
    "污染源日常监督检查",
    "排污许可证执行情况检查",
    "危险废物规范化管理检查",
    "建设项目环保“三同时”检查",
  ],
  YJGL: ["安全生产执法检查", "粉尘涉爆企业专项检查", "有限空间作业专项检查", "危险化学品安全专项检查"],
  ZJ: ["建筑施工安全检查", "工程质量监督检查", "施工扬尘防治检查", "物业服务质量检查"],
  JTYS: ["道路运输企业安全生产检查", "机动车维修经营检查", "货运源头治超检查"],
  SW: ["纳税情况检查", "发票使用情况检查", "税收风险应对检查"],
  RS: ["劳动用工情况检查", "根治欠薪专项检查", "社会保险参保情况检查"],
};

export const ACCIDENT_KINDS = [
  "高处坠落",
  "机械伤害",
  "物体打击",
  "触电",
  "车辆伤害",
  "火灾",
  "起重伤害",
  "坍塌",
  "中毒和窒息",
];
export const QUALITY_KINDS = [
  "产品质量缺陷造成人身伤害",
  "电动自行车蓄电池起火",
  "燃气具质量缺陷引发事故",
  "食品质量问题引发群体性不适",
  "特种设备质量缺陷引发事故",
];
export const REVOKE_REASONS: Record<string, readonly string[]> = {
  default: ["经行政复议决定撤销", "经人民法院判决撤销", "原决定认定事实不清、证据不足，依法自行撤销"],
  JUDGMENT: ["经再审撤销原判决", "原执行依据被撤销，终结执行"],
  SERIOUS_VIOLATOR: ["纳入依据被撤销，删除失信信息"],
  COMPLAINT: ["经核查投诉对象有误，予以撤销"],
  ABNORMAL_OPERATION: ["列入决定有误，依法撤销"],
};
export const CORRECT_REASONS = ["更正当事人名称笔误", "更正金额录入错误", "更正决定文书内容笔误"];

export interface Licence {
  name: string;
  dept: string;
  /** Validity in years; null = no expiry. */
  years: number | null;
  /** Probability a subject of this division and type holds it. */
  p: (d: string, t: SubjectType) => number;
  /** The licence's own number (the record's document number is that of the licensing decision). */
  no: (run: NumberingRun, day: number, h: NumberingHelpers) => string;
}

export const LICENCES: readonly Licence[] = [
  {
    name: "食品经营许可证",
    dept: "SCJG",
    years: 5,
    p: (d, t) =>
      t === "institution"
        ? d === "83" || d === "84"
          ? 0.4
          : 0
        : ((
            { "62": 0.95, "61": 0.5, "52": 0.65, "51": 0.25, "13": 0.2, "14": 0.3 } as Record<string, number>
          )[d] ?? 0),
    no: (r, _day, h) => {
      const kind = r.type === "institution" ? "3" : r.div === "62" || r.div === "61" ? "2" : "1";
      return h.withDigit(`JY${kind}${r.s.region}${h.pad(r.g.next(`JY|${r.s.region}`), 6)}`);
    },
  },
  {
    name: "食品生产许可证",
    dept: "SCJG",
    years: 5,
    p: (d, t) => (["13", "14", "15"].includes(d) ? (t === "enterprise" ? 0.7 : 0.25) : d === "01" ? 0.05 : 0),
    no: (r, _day, h) => {
      const cls = ({ "13": "101", "14": "103", "15": "114" } as Record<string, string>)[r.div] ?? "114";
      return h.withDigit(`SC${cls}${r.s.region}${h.pad(r.g.next(`SC|${r.s.region}`), 4)}`);
    },
  },
  {
    name: "工业产品生产许可证",
    dept: "SCJG",
    years: 5,
    p: (d, t) => (t === "enterprise" && ["22", "26", "30", "33", "38"].includes(d) ? 0.15 : 0),
    no: (r, _day, h) => {
      const cls = ({ "22": "16", "26": "13", "30": "08", "33": "06", "38": "09" } as Record<string, string>)[
        r.div
      ];
      return `(闽)XK${cls ?? "06"}-${h.pad(r.rng.range(1, 30), 3)}-${h.pad(r.g.next(`XK|${cls}`), 5)}`;
    },
  },
  {
    name: "特种设备使用登记证",
    dept: "SCJG",
    years: null,
    p: (d, t) =>
      t === "enterprise"
        ? isMfg(d)
          ? 0.35
          : d === "61"
            ? 0.6
            : d === "70"
              ? 0.4
              : d === "59"
                ? 0.3
                : 0
        : t === "institution"
          ? 0.3
          : 0,
    no: (r, day, h) => {
      const kind = isMfg(r.div) ? r.rng.one(["锅", "起", "车", "容"]) : r.div === "59" ? "车" : "梯";
      return `${kind}11闽C${h.pad(r.g.next(`TZ|${kind}`), 5)}(${String(yearOf(day)).slice(2)})`;
    },
  },
  {
    name: "药品经营许可证",
    dept: "SCJG",
    years: 5,
    p: (d, t) =>
      d === "52" ? (t === "enterprise" ? 0.05 : 0.03) : d === "51" && t === "enterprise" ? 0.02 : 0,
    no: (r, _day, h) => `闽DB595${h.pad(r.g.next("YP"), 4)}`,
  },
  {
    name: "排污许可证",
    dept: "STHJ",
    years: 5,
    p: (d, t) => (t === "enterprise" && POLLUTING.has(d) ? 0.5 : 0),
    no: (r, _day, h) => `${r.s.code}${h.pad(++r.ordinal, 3)}P`,
  },
  {
    name: "建筑业企业资质证书",
    dept: "ZJ",
    years: 5,
    p: (d, t) => (t === "enterprise" && isBuild(d) ? 0.85 : 0),
    no: (r, _day, h) => `D${r.rng.chance(0.2) ? 2 : 3}35${h.pad(r.g.next("ZZ"), 6)}`,
  },
  {
    name: "建筑施工企业安全生产许可证",
    dept: "ZJ",
    years: 3,
    p: (d, t) => (t === "enterprise" && isBuild(d) ? 0.7 : 0),
    no: (r, day, h) => `(闽)JZ安许证字〔${yearOf(day)}〕05${h.pad(r.g.next(`JZ|${yearOf(day)}`), 4)}`,
  },
  {
    name: "道路运输经营许可证",
    dept: "JTYS",
    years: 4,
    p: (d, t) =>
      d === "54"
        ? t === "enterprise"
          ? 0.9
          : 0.8
        : (d === "58" || d === "59") && t === "enterprise"
          ? 0.3
          : 0,
    no: (r, _day, h) => `闽交运管许可泉字${r.s.region}${h.pad(r.g.next(`DY|${r.s.region}`), 6)}号`,
  },
  {
    name: "道路运输从业人员从业资格证",
    dept: "JTYS",
    years: 6,
    p: (d, t) => (t === "natural_person" ? 0.35 : d === "54" && t === "individual" ? 0.5 : 0),
    no: (r, _day, h) => `闽泉交从${h.pad(r.g.next("CY"), 7)}`,
  },
  {
    name: "机动车维修经营备案",
    dept: "JTYS",
    years: null,
    p: (d) => (d === "81" ? 0.6 : 0),
    no: (r, day, h) =>
      `闽交维备泉${r.county.doc}〔${yearOf(day)}〕${h.pad(r.g.next(`WX|${r.county.code}`), 4)}`,
  },
  {
    name: "危险化学品经营许可证",
    dept: "YJGL",
    years: 3,
    p: (d, t) => (t !== "enterprise" ? 0 : d === "25" || d === "26" ? 0.6 : d === "51" ? 0.03 : 0),
    no: (r, day, h) =>
      `闽泉${r.county.doc}危化经〔${yearOf(day)}〕${h.pad(r.g.next(`WH|${r.county.code}|${yearOf(day)}`), 4)}`,
  },
  {
    name: "安全生产许可证",
    dept: "YJGL",
    years: 3,
    p: (d, t) => (t !== "enterprise" ? 0 : d === "10" ? 0.8 : d === "25" || d === "26" ? 0.4 : 0),
    no: (r, day, h) => {
      const kind = r.div === "10" ? "FM" : "WH";
      return `(闽)${kind}安许证字〔${yearOf(day)}〕${h.pad(r.g.next(`AX|${kind}|${yearOf(day)}`), 4)}`;
    },
  },
  {
    name: "烟花爆竹经营（零售）许可证",
    dept: "YJGL",
    years: 1,
    p: (d, t) => (d === "52" && t === "individual" ? 0.02 : 0),
    no: (r, day, h) => `(闽泉)烟花经(零)许证字〔${yearOf(day)}〕${h.pad(r.g.next(`YH|${yearOf(day)}`), 5)}`,
  },
  {
    name: "劳务派遣经营许可证",
    dept: "RS",
    years: 3,
    p: (d, t) => (d === "72" && t === "enterprise" ? 0.12 : 0),
    no: (r, day, h) => `${r.s.region}${yearOf(day)}${h.pad(r.g.next(`LW|${r.s.region}|${yearOf(day)}`), 4)}`,
  },
  {
    name: "人力资源服务许可证",
    dept: "RS",
    years: null,
    p: (d, t) => (d === "72" && t === "enterprise" ? 0.08 : 0),
    no: (r, day, h) =>
      `(闽)人服证字〔${yearOf(day)}〕第${r.s.region}${h.pad(r.g.next(`HR|${r.s.region}`), 4)}号`,
  },
  {
    name: "城镇污水排入排水管网许可证",
    dept: "ZJ",
    years: 5,
    p: (d, t) => (d === "62" ? 0.2 : d === "61" ? 0.3 : t === "enterprise" && isMfg(d) ? 0.15 : 0),
    no: (r, day) =>
      `${r.county.doc}排水许字〔${yearOf(day)}〕第${r.g.next(`PS|${r.county.code}|${yearOf(day)}`)}号`,
  },
  {
    name: "固定污染源排污登记",
    dept: "STHJ",
    years: 5,
    p: (d, t) => (isMfg(d) && (t === "individual" || (t === "enterprise" && !POLLUTING.has(d))) ? 0.4 : 0),
    no: (r) => `${r.s.code}00${r.rng.range(1, 3)}X`,
  },
  {
    name: "广告发布登记",
    dept: "SCJG",
    years: null,
    p: (d, t) => (d === "72" && t === "enterprise" ? 0.1 : d === "87" ? 0.3 : 0),
    no: (r, _day, h) => `泉${r.county.doc}广登${h.pad(r.g.next(`GG|${r.county.code}`), 5)}`,
  },
  {
    name: "特殊建设工程消防验收",
    dept: "ZJ",
    years: null,
    p: (d, t) =>
      t === "enterprise" && (d === "61" || d === "70" || (isMfg(d) && POLLUTING.has(d))) ? 0.25 : 0,
    no: (r, day) =>
      `${r.county.doc}建消验字〔${yearOf(day)}〕第${r.g.next(`XF|${r.county.code}|${yearOf(day)}`)}号`,
  },
];

export const LICENCE_CHANGES = ["变更许可事项", "变更法定代表人（负责人）", "变更经营场所"];

export interface HonourDef {
  honour: string;
  dept: string;
  level: WeightedList<string>;
  /** Probability per subject over the whole history. */
  p: (d: string, t: SubjectType) => number;
}

export const HONOURS: readonly HonourDef[] = [
  {
    honour: "守合同重信用企业",
    dept: "SCJG",
    level: [
      ["provincial", 6],
      ["city", 4],
    ],
    p: (_d, t) => (t === "enterprise" ? 0.03 : 0),
  },
  {
    honour: "泉州市政府质量奖",
    dept: "SCJG",
    level: [["city", 1]],
    p: (d, t) => (t === "enterprise" && isMfg(d) ? 0.004 : 0),
  },
  {
    honour: "诚信经营示范店",
    dept: "SCJG",
    level: [["county", 1]],
    p: (_d, t) => (t === "individual" ? 0.015 : 0),
  },
  {
    honour: "放心消费示范单位",
    dept: "SCJG",
    level: [
      ["county", 3],
      ["city", 1],
    ],
    p: (d, t) => ((d === "52" || d === "62") && (t === "individual" || t === "enterprise") ? 0.02 : 0),
  },
  {
    honour: "泉州市建设工程“刺桐杯”奖",
    dept: "ZJ",
    level: [["city", 1]],
    p: (d, t) => (t === "enterprise" && isBuild(d) ? 0.04 : 0),
  },
  {
    honour: "福建省建设工程“闽江杯”奖",
    dept: "ZJ",
    level: [["provincial", 1]],
    p: (d, t) => (t === "enterprise" && isBuild(d) ? 0.012 : 0),
  },
  {
    honour: "中国建设工程鲁班奖",
    dept: "ZJ",
    level: [["national", 1]],
    p: (d, t) => (t === "enterprise" && isBuild(d) ? 0.001 : 0),
  },
  {
    honour: "和谐劳动关系企业",
    dept: "RS",
    level: [
      ["county", 3],
      ["city", 2],
      ["provincial", 1],
    ],
    p: (_d, t) => (t === "enterprise" ? 0.02 : 0),
  },
  {
    honour: "劳动保障守法诚信单位",
    dept: "RS",
    level: [["city", 1]],
    p: (_d, t) => (t === "institution" || t === "social_org" ? 0.03 : 0),
  },
  {
    honour: "安全生产标准化三级企业",
    dept: "YJGL",
    level: [
      ["city", 2],
      ["county", 1],
    ],
    p: (d, t) => (t === "enterprise" && isMfg(d) ? 0.03 : 0),
  },
  {
    honour: "安全生产标准化二级企业",
    dept: "YJGL",
    level: [["provincial", 1]],
    p: (d, t) => (t === "enterprise" && (isMfg(d) || isChem(d)) ? 0.005 : 0),
  },
  {
    honour: "环保诚信企业",
    dept: "STHJ",
    level: [["city", 1]],
    p: (d, t) => (t === "enterprise" && POLLUTING.has(d) ? 0.03 : 0),
  },
  {
    honour: "AAA级诚信道路运输企业",
    dept: "JTYS",
    level: [["city", 1]],
    p: (d, t) => (t === "enterprise" && isTransport(d) ? 0.05 : 0),
  },
  {
    honour: "诚信示范企业",
    dept: "XYB",
    level: [
      ["city", 1],
      ["county", 2],
    ],
    p: (_d, t) => (t === "enterprise" ? 0.01 : t === "cooperative" || t === "social_org" ? 0.03 : 0),
  },
  {
    honour: "诚信个人",
    dept: "XYB",
    level: [
      ["city", 1],
      ["county", 2],
    ],
    p: (_d, t) => (t === "natural_person" ? 0.01 : 0),
  },
];

export const COMMITMENTS: Record<string, readonly string[]> = {
  XYB: ["主动型信用承诺", "信用修复承诺"],
  SCJG: ["证明事项告知承诺（食品经营许可）", "市场主体登记信用承诺", "容缺受理承诺"],
  SW: ["纳税信用承诺", "涉税事项告知承诺"],
  ZJ: ["建设工程企业资质告知承诺"],
  RS: ["劳务派遣许可告知承诺", "社会保险待遇领取告知承诺"],
  JTYS: ["道路运输经营许可告知承诺"],
  STHJ: ["环评审批告知承诺"],
  YJGL: ["安全生产许可告知承诺"],
};

/** Which negative categories a subject of each type collects, before industry adjustments. */
export const NEGATIVE_MIX: Record<SubjectType, Record<string, number>> = {
  enterprise: {
    PENALTY: 35,
    COMPLAINT: 20,
    ABNORMAL_OPERATION: 12,
    COERCION: 5,
    TAX_ARREARS: 7,
    WAGE_ARREARS: 3,
    JUDGMENT: 10,
    SAFETY_ACCIDENT: 1.2,
    QUALITY_ACCIDENT: 0.8,
  },
  individual: {
    PENALTY: 35,
    COMPLAINT: 30,
    ABNORMAL_OPERATION: 25,
    COERCION: 3,
    TAX_ARREARS: 3,
    WAGE_ARREARS: 0.5,
    JUDGMENT: 3,
    SAFETY_ACCIDENT: 0.3,
    QUALITY_ACCIDENT: 0.4,
  },
  cooperative: {
    ABNORMAL_OPERATION: 50,
    PENALTY: 20,
    COMPLAINT: 10,
    JUDGMENT: 10,
    TAX_ARREARS: 3,
    WAGE_ARREARS: 1,
  },
  social_org: { PENALTY: 30, COMPLAINT: 45, JUDGMENT: 10, TAX_ARREARS: 10, WAGE_ARREARS: 3 },
  institution: { COMPLAINT: 50, PENALTY: 25, WAGE_ARREARS: 5, JUDGMENT: 10, SAFETY_ACCIDENT: 3 },
  natural_person: { JUDGMENT: 55, PENALTY: 40, TAX_ARREARS: 5 },
};

/** Share of subjects with no negative record at all, by type. */
export const CLEAN: Record<SubjectType, number> = {
  enterprise: 0.7,
  individual: 0.8,
  cooperative: 0.85,
  social_org: 0.92,
  institution: 0.95,
  natural_person: 0.55,
};
/** Mean number of negative records beyond the first, for a subject that has any. */
export const NEGATIVE_EXTRA: Record<SubjectType, number> = {
  enterprise: 1.8,
  individual: 0.9,
  cooperative: 0.6,
  social_org: 0.5,
  institution: 0.5,
  natural_person: 0.8,
};
/** Mean inspections over the whole history for a subject active all of it. */
export const INSPECTIONS: Record<SubjectType, number> = {
  enterprise: 12.5,
  individual: 10,
  cooperative: 3,
  social_org: 2,
  institution: 3,
  natural_person: 0,
};
export const COMMITMENT_MEAN: Record<SubjectType, number> = {
  enterprise: 1.2,
  individual: 0.6,
  cooperative: 0.5,
  social_org: 0.6,
  institution: 0.3,
  natural_person: 0.2,
};
