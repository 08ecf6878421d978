/**
 * The grade card's bar chart of points per dimension. Dimension names come from the model file — a published
 * version is written by a department — so the tooltip, which ECharts inserts as HTML, escapes them; the axis
 * and bar labels are drawn on the canvas as text.
 */
import type { ChartOption } from "../components/Chart.tsx";
import { tooltipHtml } from "../components/chart-html.ts";
import { chartGrid } from "../components/chart-layout.ts";

export interface DimensionBar {
  /** The dimension's name in the UI language. */
  name: string;
  points: number;
  max: number;
}

export interface DimensionChartLabels {
  points: string;
  max: string;
  /** The colon of the UI language (`：` or `: `). */
  colon: string;
}

export function dimensionChartOption(
  dims: readonly DimensionBar[],
  labels: DimensionChartLabels,
): ChartOption {
  const top = Math.max(1, ...dims.map((d) => d.max));
  return {
    grid: chartGrid(80, 8),
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params: unknown) => {
        const p = (Array.isArray(params) ? params[0] : params) as { dataIndex: number } | undefined;
        const d = p ? dims[p.dataIndex] : undefined;
        if (!d) return "";
        return tooltipHtml([
          d.name,
          `${labels.points}${labels.colon}${d.points}`,
          `${labels.max}${labels.colon}${d.max}`,
        ]);
      },
    },
    xAxis: { type: "value", max: top, show: false },
    yAxis: {
      type: "category",
      data: dims.map((d) => d.name),
      inverse: true,
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { color: "rgba(0,0,0,0.75)", fontSize: 13 },
    },
    series: [
      {
        type: "bar",
        name: labels.max,
        data: dims.map((d) => d.max),
        barWidth: 16,
        barGap: "-100%",
        silent: true,
        itemStyle: { color: "#eef1f5", borderRadius: 3 },
        label: {
          show: true,
          position: "right",
          color: "rgba(0,0,0,0.65)",
          formatter: (p: { dataIndex: number }) => {
            const d = dims[p.dataIndex];
            return d ? `${d.points} / ${d.max}` : "";
          },
        },
        z: 1,
      },
      {
        type: "bar",
        name: labels.points,
        data: dims.map((d) => ({
          value: d.points,
          itemStyle: { color: d.points < d.max ? "#4c7fd0" : "#1f5fbf", borderRadius: 3 },
        })),
        barWidth: 16,
        z: 2,
      },
    ],
  };
}
