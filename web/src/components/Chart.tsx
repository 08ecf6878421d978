/**
 * A small ECharts wrapper. Only the chart types and components registered below are bundled (echarts/core is
 * tree-shaken); register more here when a page needs them. Import this file lazily from pages that chart.
 *
 * Tooltips are HTML: ECharts escapes names in its default tooltips and string templates ("{b}"), but inserts
 * what a formatter function returns as is — build that with tooltipHtml() from chart-html.ts, which escapes
 * every string (names come from policy files and published model versions).
 */

import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from "echarts/charts";
import { BarChart, LineChart, PieChart } from "echarts/charts";
import type {
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from "echarts/components";
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from "echarts/components";
import { type ComposeOption, init, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { type CSSProperties, useEffect, useRef } from "react";

use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TitleComponentOption
  | TooltipComponentOption
>;

export interface ChartProps {
  option: ChartOption;
  height?: number | string;
  style?: CSSProperties;
  loading?: boolean;
  testId?: string;
}

export default function Chart({ option, height = 320, style, loading, testId }: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init>>(undefined);

  useEffect(() => {
    if (!el.current) return;
    const c = init(el.current, undefined, { renderer: "canvas" });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  useEffect(() => {
    if (loading) chart.current?.showLoading();
    else chart.current?.hideLoading();
  }, [loading]);

  return <div ref={el} style={{ width: "100%", height, ...style }} data-testid={testId} />;
}
