import { describe, expect, it } from "vitest";
import {
  division,
  formatRegionPath,
  industries,
  isCountyCode,
  region,
  regionPath,
  regions,
  section,
  sectionOfDivision,
} from "./reference.ts";

describe("regions (GB/T 2260)", () => {
  it("has all 34 province-level divisions", () => {
    const provinces = regions().filter((r) => r.level === "province");
    expect(provinces).toHaveLength(34);
    expect(provinces.every((r) => r.parent === null && r.code.endsWith("0000"))).toBe(true);
    expect(region("110000")?.name).toBe("北京市");
    expect(region("710000")?.name).toBe("台湾省");
    expect(region("810000")?.name).toBe("香港特别行政区");
    expect(region("820000")?.name).toBe("澳门特别行政区");
    expect(region("650000")?.name).toBe("新疆维吾尔自治区");
  });

  it("has all 333 prefecture-level divisions plus the grouping codes", () => {
    const prefectures = regions().filter((r) => r.level === "prefecture");
    expect(prefectures.filter((r) => !r.grouping)).toHaveLength(333);
    expect(prefectures.filter((r) => r.grouping).map((r) => r.code)).toEqual([
      "110100",
      "120100",
      "310100",
      "419000",
      "429000",
      "469000",
      "500100",
      "500200",
      "659000",
    ]);
    expect(prefectures.every((r) => r.code.endsWith("00") && r.parent === `${r.code.slice(0, 2)}0000`)).toBe(
      true,
    );
  });

  it("lists Fujian's nine cities", () => {
    const fujian = regions().filter((r) => r.parent === "350000");
    expect(fujian.map((r) => `${r.code} ${r.name}`)).toEqual([
      "350100 福州市",
      "350200 厦门市",
      "350300 莆田市",
      "350400 三明市",
      "350500 泉州市",
      "350600 漳州市",
      "350700 南平市",
      "350800 龙岩市",
      "350900 宁德市",
    ]);
  });

  it("knows a few prefectures elsewhere", () => {
    expect(region("222400")?.name).toBe("延边朝鲜族自治州");
    expect(region("440300")?.name).toBe("深圳市");
    expect(region("152900")?.name).toBe("阿拉善盟");
    expect(region("540600")?.name).toBe("那曲市");
    expect(region("460400")?.name).toBe("儋州市");
    expect(region("350500")?.en).toBe("Quanzhou");
  });

  it("has exactly the 12 county-level divisions of Quanzhou, Kinmen nominal", () => {
    const counties = regions().filter((r) => r.level === "county");
    expect(counties.every((r) => r.parent === "350500")).toBe(true);
    expect(counties.map((r) => r.code)).toEqual([
      "350502",
      "350503",
      "350504",
      "350505",
      "350521",
      "350524",
      "350525",
      "350526",
      "350527",
      "350581",
      "350582",
      "350583",
    ]);
    expect(region("350582")?.name).toBe("晋江市");
    expect(region("350527")?.nominal).toBe(true);
    expect(counties.filter((r) => r.nominal).map((r) => r.name)).toEqual(["金门县"]);
  });

  it("isCountyCode", () => {
    expect(isCountyCode("350582")).toBe(true);
    expect(isCountyCode("350527")).toBe(true);
    expect(isCountyCode("350599")).toBe(false); // Quanzhou's list is complete
    expect(isCountyCode("350500")).toBe(false);
    expect(isCountyCode("350000")).toBe(false);
    expect(isCountyCode("350102")).toBe(true); // 福州市鼓楼区: prefecture listed, counties not
    expect(isCountyCode("110105")).toBe(true); // 北京市朝阳区 under 110100 市辖区
    expect(isCountyCode("429004")).toBe(true); // 仙桃市 under 省直辖县级行政区划
    expect(isCountyCode("351002")).toBe(false); // no prefecture 351000
    expect(isCountyCode("110001")).toBe(false);
    expect(isCountyCode("35058")).toBe(false);
    expect(isCountyCode("35058a")).toBe(false);
  });

  it("regionPath", () => {
    expect(regionPath("350582")).toEqual(["福建省", "泉州市", "晋江市"]);
    expect(regionPath("350582", "en")).toEqual(["Fujian", "Quanzhou", "Jinjiang"]);
    expect(regionPath("350500")).toEqual(["福建省", "泉州市"]);
    expect(regionPath("350000")).toEqual(["福建省"]);
    expect(regionPath("350102")).toEqual(["福建省", "福州市"]);
    expect(regionPath("110105")).toEqual(["北京市"]);
    expect(regionPath("999999")).toEqual([]);
    expect(regionPath("350599")).toEqual([]);
    expect(formatRegionPath("350582")).toBe("福建省 › 泉州市 › 晋江市");
  });
});

describe("industries (GB/T 4754-2017)", () => {
  it("has 20 sections and 97 divisions", () => {
    const { sections, divisions } = industries();
    expect(sections.map((s) => s.code).join("")).toBe("ABCDEFGHIJKLMNOPQRST");
    expect(divisions).toHaveLength(97);
    expect(divisions.map((d) => d.code)).toEqual(
      Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, "0")),
    );
    expect(sections.reduce((n, s) => n + s.divisions.length, 0)).toBe(97);
  });

  it("has the 2017 division ranges", () => {
    const range = (c: string) => {
      const d = section(c)!.divisions;
      return `${d[0]}-${d.at(-1)}`;
    };
    expect(range("A")).toBe("01-05");
    expect(range("B")).toBe("06-12");
    expect(range("C")).toBe("13-43");
    expect(range("D")).toBe("44-46");
    expect(range("E")).toBe("47-50");
    expect(range("F")).toBe("51-52");
    expect(range("G")).toBe("53-60");
    expect(range("H")).toBe("61-62");
    expect(range("I")).toBe("63-65");
    expect(range("N")).toBe("76-79");
    expect(range("S")).toBe("91-96");
    expect(range("T")).toBe("97-97");
  });

  it("knows names", () => {
    expect(section("C")?.name).toBe("制造业");
    expect(section("e")?.name).toBe("建筑业");
    expect(section("H")?.name).toBe("住宿和餐饮业");
    expect(section("N")?.name).toBe("水利、环境和公共设施管理业");
    expect(section("Z")).toBeUndefined();
    expect(division("05")?.name).toBe("农、林、牧、渔专业及辅助性活动");
    expect(division("36")?.name).toBe("汽车制造业");
    expect(division("58")?.name).toBe("多式联运和运输代理业");
    expect(division("65")?.name).toBe("软件和信息技术服务业");
    expect(division("79")?.name).toBe("土地管理业");
    expect(division("C13")?.name).toBe("农副食品加工业");
    expect(division("A13")).toBeUndefined();
    expect(division("98")).toBeUndefined();
    expect(division("1311")).toBeUndefined();
  });

  it("sectionOfDivision", () => {
    expect(sectionOfDivision("13")?.code).toBe("C");
    expect(sectionOfDivision("43")?.code).toBe("C");
    expect(sectionOfDivision("47")?.code).toBe("E");
    expect(sectionOfDivision("1311")?.code).toBe("C");
    expect(sectionOfDivision("C1311")?.code).toBe("C");
    expect(sectionOfDivision("F1311")).toBeUndefined();
    expect(sectionOfDivision("62")?.name).toBe("住宿和餐饮业");
    expect(sectionOfDivision("97")?.code).toBe("T");
    expect(sectionOfDivision("00")).toBeUndefined();
    expect(sectionOfDivision("x")).toBeUndefined();
  });
});
