/**
 * Credit records of the demo city, as the departments would submit them (field key → value). Most subjects
 * have no negative record and a few have many; inspections and licences are the bulk. Each subject's records
 * come from its own random stream; only document numbers are drawn from city-wide counters, which keeps them
 * unique per (department, category) and realistic (晋市监处罚〔2024〕123号).
 */
import type { Catalog, Category } from "../core/catalog/types.ts";
import type { RawRecord } from "../core/records/validate.ts";
import { catalog as defaultCatalog } from "../policy/load.ts";
import { addYears, dayOf, isoOf, yearOf } from "./dates.ts";
import type { DemoSubject, SubjectType } from "./generate.ts";
import { COUNTIES, type County } from "./names.ts";
import { hash128, Random, Weighted, type WeightedList } from "./random.ts";

/** Years of history the city has (decision dates go back this far from today). */
export const HISTORY_YEARS = 5;

const COUNTY_BY_CODE = new Map(COUNTIES.map((c) => [c.code, c]));
const CITY_COURT = { court: "泉州市中级人民法院", courtCode: "闽05" };

/** Document-number abbreviations of the departments (晋 + 市监 + 处罚 〔2024〕 123号). */
const DEPT_ABBR: Record<string, string> = {
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
const CATEGORY_WORD: Record<string, string> = {
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
const KNOWN = new Set(Object.keys(CATEGORY_WORD));

type Pred = (div: string, type: SubjectType) => boolean;
const inRange = (d: string, lo: string, hi: string) => d >= lo && d <= hi;
const isMfg = (d: string) => inRange(d, "13", "43");
const isFood = (d: string) => ["13", "14", "15", "52", "61", "62"].includes(d);
const isBuild = (d: string) => inRange(d, "47", "50");
const isTransport = (d: string) => ["54", "55", "58", "59"].includes(d);
const isChem = (d: string) => ["25", "26", "28"].includes(d);
const POLLUTING = new Set([
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

interface Fact {
  fact: string;
  basis: string;
  serious?: boolean;
  when?: Pred;
}

const PENALTY_FACTS: Record<string, readonly Fact[]> = {
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
const PERSON_FACTS: Record<string, readonly Fact[]> = {
  JTYS: [
    { fact: "未取得道路运输经营许可擅自从事道路客运经营", basis: "《中华人民共和国道路运输条例》第六十三条" },
  ],
  SCJG: [{ fact: "从事无照经营", basis: "《无证无照经营查处办法》第十三条" }],
  STHJ: [
    { fact: "露天焚烧产生有毒有害烟尘的物质", basis: "《中华人民共和国大气污染防治法》第一百一十九条第一款" },
  ],
  SW: [{ fact: "未按照规定期限办理个人所得税纳税申报", basis: "《中华人民共和国税收征收管理法》第六十二条" }],
};

const COERCION_MEASURES: Record<string, readonly string[]> = {
  SCJG: ["查封场所、设施或者财物", "扣押财物"],
  STHJ: ["查封造成污染物排放的设施、设备", "扣押造成污染物排放的设施、设备"],
  SW: ["冻结存款、汇款", "扣押、查封商品、货物或者其他财产", "加收滞纳金"],
  JTYS: ["暂扣车辆", "扣押车辆"],
  YJGL: ["查封违法生产、储存的场所", "扣押违法生产、储存的危险物品"],
  ZJ: ["查封施工现场"],
  RS: ["加处罚款"],
};
const COERCION_BASIS: Record<string, string> = {
  SCJG: "《中华人民共和国行政强制法》第九条",
  STHJ: "《中华人民共和国环境保护法》第二十五条",
  SW: "《中华人民共和国税收征收管理法》第四十条",
  JTYS: "《中华人民共和国道路运输条例》第六十八条",
  YJGL: "《中华人民共和国安全生产法》第六十五条",
  ZJ: "《中华人民共和国行政强制法》第九条",
  RS: "《中华人民共和国行政强制法》第四十五条",
};

const COMPLAINT_TOPICS: Record<string, readonly string[]> = {
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

const INSPECTION_ITEMS: Record<string, readonly string[]> = {
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

const ACCIDENT_KINDS = [
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
const QUALITY_KINDS = [
  "产品质量缺陷造成人身伤害",
  "电动自行车蓄电池起火",
  "燃气具质量缺陷引发事故",
  "食品质量问题引发群体性不适",
  "特种设备质量缺陷引发事故",
];
const REVOKE_REASONS: Record<string, readonly string[]> = {
  default: ["经行政复议决定撤销", "经人民法院判决撤销", "原决定认定事实不清、证据不足，依法自行撤销"],
  JUDGMENT: ["经再审撤销原判决", "原执行依据被撤销，终结执行"],
  SERIOUS_VIOLATOR: ["纳入依据被撤销，删除失信信息"],
  COMPLAINT: ["经核查投诉对象有误，予以撤销"],
  ABNORMAL_OPERATION: ["列入决定有误，依法撤销"],
};
const CORRECT_REASONS = ["更正当事人名称笔误", "更正金额录入错误", "更正决定文书内容笔误"];

interface Licence {
  name: string;
  dept: string;
  /** Validity in years; null = no expiry. */
  years: number | null;
  /** Probability a subject of this division and type holds it. */
  p: (d: string, t: SubjectType) => number;
  /** The licence's own number (the record's document number is that of the licensing decision). */
  no: (run: SubjectRun, day: number) => string;
}

const LICENCES: readonly Licence[] = [
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
    no: (r) => {
      const kind = r.type === "institution" ? "3" : r.div === "62" || r.div === "61" ? "2" : "1";
      return withDigit(`JY${kind}${r.s.region}${pad(r.g.next(`JY|${r.s.region}`), 6)}`);
    },
  },
  {
    name: "食品生产许可证",
    dept: "SCJG",
    years: 5,
    p: (d, t) => (["13", "14", "15"].includes(d) ? (t === "enterprise" ? 0.7 : 0.25) : d === "01" ? 0.05 : 0),
    no: (r) => {
      const cls = ({ "13": "101", "14": "103", "15": "114" } as Record<string, string>)[r.div] ?? "114";
      return withDigit(`SC${cls}${r.s.region}${pad(r.g.next(`SC|${r.s.region}`), 4)}`);
    },
  },
  {
    name: "工业产品生产许可证",
    dept: "SCJG",
    years: 5,
    p: (d, t) => (t === "enterprise" && ["22", "26", "30", "33", "38"].includes(d) ? 0.15 : 0),
    no: (r) => {
      const cls = ({ "22": "16", "26": "13", "30": "08", "33": "06", "38": "09" } as Record<string, string>)[
        r.div
      ];
      return `(闽)XK${cls ?? "06"}-${pad(r.rng.range(1, 30), 3)}-${pad(r.g.next(`XK|${cls}`), 5)}`;
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
    no: (r, day) => {
      const kind = isMfg(r.div) ? r.rng.one(["锅", "起", "车", "容"]) : r.div === "59" ? "车" : "梯";
      return `${kind}11闽C${pad(r.g.next(`TZ|${kind}`), 5)}(${String(yearOf(day)).slice(2)})`;
    },
  },
  {
    name: "药品经营许可证",
    dept: "SCJG",
    years: 5,
    p: (d, t) =>
      d === "52" ? (t === "enterprise" ? 0.05 : 0.03) : d === "51" && t === "enterprise" ? 0.02 : 0,
    no: (r) => `闽DB595${pad(r.g.next("YP"), 4)}`,
  },
  {
    name: "排污许可证",
    dept: "STHJ",
    years: 5,
    p: (d, t) => (t === "enterprise" && POLLUTING.has(d) ? 0.5 : 0),
    no: (r) => `${r.s.code}${pad(++r.ordinal, 3)}P`,
  },
  {
    name: "建筑业企业资质证书",
    dept: "ZJ",
    years: 5,
    p: (d, t) => (t === "enterprise" && isBuild(d) ? 0.85 : 0),
    no: (r) => `D${r.rng.chance(0.2) ? 2 : 3}35${pad(r.g.next("ZZ"), 6)}`,
  },
  {
    name: "建筑施工企业安全生产许可证",
    dept: "ZJ",
    years: 3,
    p: (d, t) => (t === "enterprise" && isBuild(d) ? 0.7 : 0),
    no: (r, day) => `(闽)JZ安许证字〔${yearOf(day)}〕05${pad(r.g.next(`JZ|${yearOf(day)}`), 4)}`,
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
    no: (r) => `闽交运管许可泉字${r.s.region}${pad(r.g.next(`DY|${r.s.region}`), 6)}号`,
  },
  {
    name: "道路运输从业人员从业资格证",
    dept: "JTYS",
    years: 6,
    p: (d, t) => (t === "natural_person" ? 0.35 : d === "54" && t === "individual" ? 0.5 : 0),
    no: (r) => `闽泉交从${pad(r.g.next("CY"), 7)}`,
  },
  {
    name: "机动车维修经营备案",
    dept: "JTYS",
    years: null,
    p: (d) => (d === "81" ? 0.6 : 0),
    no: (r, day) => `闽交维备泉${r.county.doc}〔${yearOf(day)}〕${pad(r.g.next(`WX|${r.county.code}`), 4)}`,
  },
  {
    name: "危险化学品经营许可证",
    dept: "YJGL",
    years: 3,
    p: (d, t) => (t !== "enterprise" ? 0 : d === "25" || d === "26" ? 0.6 : d === "51" ? 0.03 : 0),
    no: (r, day) =>
      `闽泉${r.county.doc}危化经〔${yearOf(day)}〕${pad(r.g.next(`WH|${r.county.code}|${yearOf(day)}`), 4)}`,
  },
  {
    name: "安全生产许可证",
    dept: "YJGL",
    years: 3,
    p: (d, t) => (t !== "enterprise" ? 0 : d === "10" ? 0.8 : d === "25" || d === "26" ? 0.4 : 0),
    no: (r, day) => {
      const kind = r.div === "10" ? "FM" : "WH";
      return `(闽)${kind}安许证字〔${yearOf(day)}〕${pad(r.g.next(`AX|${kind}|${yearOf(day)}`), 4)}`;
    },
  },
  {
    name: "烟花爆竹经营（零售）许可证",
    dept: "YJGL",
    years: 1,
    p: (d, t) => (d === "52" && t === "individual" ? 0.02 : 0),
    no: (r, day) => `(闽泉)烟花经(零)许证字〔${yearOf(day)}〕${pad(r.g.next(`YH|${yearOf(day)}`), 5)}`,
  },
  {
    name: "劳务派遣经营许可证",
    dept: "RS",
    years: 3,
    p: (d, t) => (d === "72" && t === "enterprise" ? 0.12 : 0),
    no: (r, day) => `${r.s.region}${yearOf(day)}${pad(r.g.next(`LW|${r.s.region}|${yearOf(day)}`), 4)}`,
  },
  {
    name: "人力资源服务许可证",
    dept: "RS",
    years: null,
    p: (d, t) => (d === "72" && t === "enterprise" ? 0.08 : 0),
    no: (r, day) => `(闽)人服证字〔${yearOf(day)}〕第${r.s.region}${pad(r.g.next(`HR|${r.s.region}`), 4)}号`,
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
    no: (r) => `泉${r.county.doc}广登${pad(r.g.next(`GG|${r.county.code}`), 5)}`,
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

const LICENCE_CHANGES = ["变更许可事项", "变更法定代表人（负责人）", "变更经营场所"];

interface HonourDef {
  honour: string;
  dept: string;
  level: WeightedList<string>;
  /** Probability per subject over the whole history. */
  p: (d: string, t: SubjectType) => number;
}

const HONOURS: readonly HonourDef[] = [
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

const COMMITMENTS: Record<string, readonly string[]> = {
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
const NEGATIVE_MIX: Record<SubjectType, Record<string, number>> = {
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
const CLEAN: Record<SubjectType, number> = {
  enterprise: 0.7,
  individual: 0.8,
  cooperative: 0.85,
  social_org: 0.92,
  institution: 0.95,
  natural_person: 0.55,
};
/** Mean number of negative records beyond the first, for a subject that has any. */
const NEGATIVE_EXTRA: Record<SubjectType, number> = {
  enterprise: 1.8,
  individual: 0.9,
  cooperative: 0.6,
  social_org: 0.5,
  institution: 0.5,
  natural_person: 0.8,
};
/** Mean inspections over the whole history for a subject active all of it. */
const INSPECTIONS: Record<SubjectType, number> = {
  enterprise: 12.5,
  individual: 10,
  cooperative: 3,
  social_org: 2,
  institution: 3,
  natural_person: 0,
};
const COMMITMENT_MEAN: Record<SubjectType, number> = {
  enterprise: 1.2,
  individual: 0.6,
  cooperative: 0.5,
  social_org: 0.6,
  institution: 0.3,
  natural_person: 0.2,
};

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
            if (!no || action === "新办") no = l.no(this, d);
            this.licence(l, d, action, no, validTo);
          } else if (!no && d >= this.g.historyStart - 4000) no = l.no(this, d);
          // Changes during this period.
          const changes = this.rng.poisson(0.15 * Math.min(l.years ?? HISTORY_YEARS, HISTORY_YEARS));
          for (let c = 0; c < changes; c++) {
            const cd = d + 1 + this.rng.int(Math.max(1, Math.min(next, this.end + 1) - d - 1));
            if (!this.inWindow("LICENCE", cd)) continue;
            if (!no) no = l.no(this, cd);
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
