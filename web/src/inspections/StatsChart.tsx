/**
 * Is the grading working? Per grade: inspections done (bars) and the share of them that found problems (line).
 * Only the random part counts, so the control sample of good grades is compared on equal terms.
 */
import { Alert, Empty, Table } from "antd";
import { useMemo } from "react";
import type { StratumStats } from "../api/types.ts";
import Chart, { type ChartOption } from "../components/Chart.tsx";
import { COUNT_AXIS, chartGrid } from "../components/chart-layout.ts";
import { GRADE_COLOR, GradeTag, gradeColor, useGradeLabel } from "../evaluation/grades.tsx";
import { useI18n } from "../i18n.ts";

const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);

export function StatsChart({
  strata,
  loading,
  testId,
}: {
  strata: StratumStats[] | undefined;
  loading?: boolean;
  testId: string;
}) {
  const { t } = useI18n();
  const gradeLabel = useGradeLabel();
  const option = useMemo<ChartOption | undefined>(() => {
    if (!strata) return undefined;
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: chartGrid(8, 40),
      xAxis: {
        type: "category",
        data: strata.map((s) => `${s.stratum} ${gradeLabel(s.stratum, true)}`),
        axisTick: { show: false },
      },
      yAxis: [
        { ...COUNT_AXIS, name: t("insp.stats.done") },
        {
          type: "value",
          name: t("insp.stats.rate"),
          min: 0,
          max: 100,
          axisLabel: { formatter: "{value}%" },
          splitLine: { show: false },
        },
      ],
      series: [
        {
          type: "bar",
          name: t("insp.stats.done"),
          barMaxWidth: 36,
          data: strata.map((s) => ({ value: s.done, itemStyle: { color: gradeColor(s.stratum) } })),
        },
        {
          type: "line",
          name: t("insp.stats.rate"),
          yAxisIndex: 1,
          symbol: "circle",
          symbolSize: 8,
          connectNulls: true,
          itemStyle: { color: GRADE_COLOR.E },
          lineStyle: { color: GRADE_COLOR.E, width: 2 },
          tooltip: { valueFormatter: (v) => (v === null || v === undefined ? "—" : `${v}%`) },
          data: strata.map((s) => pct(s.problemRate)),
        },
      ],
    };
  }, [strata, t, gradeLabel]);

  const none = !strata || strata.every((s) => s.tasks === 0);
  return (
    <div data-testid={testId}>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t("insp.stats.note")} />
      {none || !option ? (
        <Empty description={t("insp.stats.none")} />
      ) : (
        <>
          <div data-testid={`${testId}-canvas`}>
            <Chart option={option} height={300} loading={loading} />
          </div>
          <Table<StratumStats>
            rowKey="stratum"
            size="small"
            pagination={false}
            dataSource={strata}
            style={{ marginTop: 12 }}
            onRow={(s) => ({ "data-testid": "stats-row", "data-stratum": s.stratum }) as object}
            columns={[
              {
                title: t("insp.grade"),
                dataIndex: "stratum",
                width: 170,
                render: (g: string) => <GradeTag grade={g} />,
              },
              { title: t("insp.stats.tasks"), dataIndex: "tasks", align: "right" },
              { title: t("insp.stats.done"), dataIndex: "done", align: "right" },
              { title: t("insp.stats.withProblems"), dataIndex: "withProblems", align: "right" },
              {
                title: t("insp.stats.rate"),
                dataIndex: "problemRate",
                align: "right",
                render: (r: number | null) => (r === null ? "—" : `${pct(r)}%`),
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
