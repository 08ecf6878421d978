import { describe, expect, it } from "vitest";
import { dimensionChartOption } from "./dimension-chart.ts";

describe("the grade card's dimension chart", () => {
  // A published model version is written by a department: its dimension names reach every grade card.
  const evil = `<img src=x onerror="alert(1)">`;
  const option = dimensionChartOption(
    [
      { name: "经营行为", points: 250, max: 300 },
      { name: evil, points: 10, max: 20 },
    ],
    { points: "得分", max: "满分", colon: "：" },
  );
  const tooltip = option.tooltip as { formatter: (p: unknown) => string };

  it("escapes dimension names in the tooltip, which ECharts inserts as HTML", () => {
    const html = tooltip.formatter([{ dataIndex: 1 }]);
    expect(html).not.toContain("<img");
    expect(html).toBe("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;<br/>得分：10<br/>满分：20");
    expect(tooltip.formatter({ dataIndex: 0 })).toBe("经营行为<br/>得分：250<br/>满分：300");
    expect(tooltip.formatter([])).toBe("");
  });

  it("keeps names as they are on the axis, which the canvas draws as text", () => {
    expect((option.yAxis as { data: string[] }).data).toEqual(["经营行为", evil]);
  });
});
