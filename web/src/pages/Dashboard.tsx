import { ReloadOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Progress,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Tag,
  Typography,
} from "antd";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import type { DashboardBy, GradeDashboard } from "../../../src/contract/evaluation.ts";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import { GRADES, SUBJECT_TYPES } from "../api/types.ts";
import Chart, { type ChartOption } from "../components/Chart.tsx";
import { COUNT_AXIS, chartGrid } from "../components/chart-layout.ts";
import { ErrorView } from "../components/ErrorResult.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { PageLoading } from "../components/PageLoading.tsx";
import { GRADE_COLOR, useGradeLabel } from "../evaluation/grades.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { useIndustries, useModels, useRegions } from "../reference.ts";

const BYS: readonly DashboardBy[] = ["region", "industry_section", "type"];

function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

/** 评价覆盖率: how many subjects in the model's scope it has graded (the policy asks for all of them). */
function Coverage({ data }: { data: GradeDashboard }) {
  const { t } = useI18n();
  const { evaluated, inScope, registered } = data.coverage;
  const pct = percent(evaluated, inScope);
  const full = evaluated >= inScope && inScope > 0;
  return (
    <Card title={t("dashboard.coverage")} data-testid="dashboard-coverage" style={{ height: "100%" }}>
      <Space size={24} align="center" wrap>
        <Progress
          type="dashboard"
          percent={pct}
          size={132}
          status={full ? "success" : "normal"}
          strokeColor={full ? GRADE_COLOR.A : undefined}
          format={() => `${pct}%`}
          aria-label={t("dashboard.coverage")}
          data-testid="dashboard-coverage-percent"
        />
        <div className="dashboard-coverage-numbers">
          <Statistic
            title={t("dashboard.evaluated")}
            value={evaluated}
            data-testid="dashboard-evaluated"
            data-value={evaluated}
          />
          <Statistic
            title={t("dashboard.subjects")}
            value={inScope}
            data-testid="dashboard-subjects"
            data-value={inScope}
          />
        </div>
      </Space>
      <Alert
        style={{ marginTop: 16 }}
        type={full ? "success" : "warning"}
        showIcon
        title={full ? t("dashboard.coverageFull") : t("dashboard.coverageGap", { n: inScope - evaluated })}
        description={t("dashboard.coverageHint", {
          registered: registered.toLocaleString(),
          out: (registered - inScope).toLocaleString(),
        })}
      />
    </Card>
  );
}

/** 信用评价看板: grade distribution, coverage, grades by region / industry / type, and the trend over runs. */
export default function Dashboard() {
  const { t, label } = useI18n();
  const gradeLabel = useGradeLabel();
  const models = useModels();
  const regions = useRegions();
  const industries = useIndustries();
  const [params, setParams] = useSearchParams();
  const modelId = params.get("model") || "public";
  const byParam = params.get("by") as DashboardBy | null;
  const by: DashboardBy = byParam && BYS.includes(byParam) ? byParam : "region";
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };

  const { data, error, loading, reload } = useApi(
    (signal) => api.get<GradeDashboard>("/dashboard/grades", { model: modelId, by }, signal),
    [modelId, by],
  );
  const legendName = useCallback((g: string) => `${g} ${gradeLabel(g, true)}`, [gradeLabel]);

  const gradesOption = useMemo<ChartOption | undefined>(() => {
    if (!data) return undefined;
    const total = GRADES.reduce((a, g) => a + (data.grades[g] ?? 0), 0);
    return {
      tooltip: { trigger: "item", formatter: "{b}<br/>{c} ({d}%)" },
      legend: { orient: "vertical", right: 8, top: "middle", itemGap: 12 },
      title: {
        text: String(total),
        subtext: t("dashboard.count"),
        left: "34%",
        top: "40%",
        textAlign: "center",
        textStyle: { fontSize: 24, fontWeight: 600 },
        subtextStyle: { fontSize: 12, color: "rgba(0,0,0,0.56)" },
      },
      series: [
        {
          type: "pie",
          radius: ["48%", "72%"],
          center: ["35%", "50%"],
          avoidLabelOverlap: true,
          itemStyle: { borderColor: "#fff", borderWidth: 2 },
          label: { formatter: "{c}" },
          data: GRADES.filter((g) => (data.grades[g] ?? 0) > 0).map((g) => ({
            name: legendName(g),
            value: data.grades[g] ?? 0,
            itemStyle: { color: GRADE_COLOR[g] },
          })),
        },
      ],
    };
  }, [data, t, legendName]);

  const breakdown = useMemo(() => {
    if (!data) return undefined;
    const keys = [...new Set(data.breakdown.map((r) => r.key ?? ""))];
    const typeRank = (k: string) => {
      const i = (SUBJECT_TYPES as readonly string[]).indexOf(k);
      return i < 0 ? 99 : i;
    };
    keys.sort((a, b) => (by === "type" ? typeRank(a) - typeRank(b) : !a ? 1 : !b ? -1 : a.localeCompare(b)));
    const name = (k: string) => {
      if (!k) return t("dashboard.unknown");
      if (by === "region") return regions.name(k);
      if (by === "industry_section") return `${k} ${industries.sectionName(k)}`;
      return label("subjectType", k);
    };
    const count = new Map(data.breakdown.map((r) => [`${r.key ?? ""}\u0000${r.grade}`, r.n]));
    const option: ChartOption = {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: chartGrid(24, 36),
      xAxis: COUNT_AXIS,
      yAxis: {
        type: "category",
        inverse: true,
        data: keys.map(name),
        axisTick: { show: false },
        axisLabel: { width: 200, overflow: "truncate" },
      },
      series: GRADES.map((g) => ({
        type: "bar" as const,
        name: legendName(g),
        stack: "grades",
        barMaxWidth: 22,
        itemStyle: { color: GRADE_COLOR[g] },
        emphasis: { focus: "series" as const },
        data: keys.map((k) => count.get(`${k}\u0000${g}`) ?? 0),
      })),
    };
    return { option, height: Math.max(240, keys.length * 30 + 70) };
  }, [data, by, regions, industries, label, t, legendName]);

  const trendOption = useMemo<ChartOption | undefined>(() => {
    if (!data || data.trend.length === 0) return undefined;
    const dates = data.trend.map((r) => r.asOf);
    const repeated = new Set(dates.filter((d, i) => dates.indexOf(d) !== i));
    const xs = data.trend.map((r) =>
      repeated.has(r.asOf) && r.finishedAt ? formatDateTime("zh", r.finishedAt).slice(0, 16) : r.asOf,
    );
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: chartGrid(24, 36),
      xAxis: { type: "category", data: xs, boundaryGap: data.trend.length === 1 },
      yAxis: COUNT_AXIS,
      series: GRADES.map((g) => ({
        type: "line" as const,
        name: legendName(g),
        symbol: "circle",
        symbolSize: 8,
        itemStyle: { color: GRADE_COLOR[g] },
        lineStyle: { color: GRADE_COLOR[g], width: 2 },
        data: data.trend.map((r) => r.grades[g] ?? 0),
      })),
    };
  }, [data, legendName]);

  const modelOptions = (
    models.list.length ? models.list : [{ id: modelId, kind: "public", title: undefined }]
  ).map((m) => ({
    value: m.id,
    label: (
      <Space size={6}>
        <span>{models.title(m.id)}</span>
        <Tag color={m.kind === "public" ? "blue" : "purple"} style={{ marginInlineEnd: 0 }}>
          {label("evalKind", m.kind)}
        </Tag>
      </Space>
    ),
  }));

  const header = (
    <PageHeader
      title={t("dashboard.title")}
      sub={t("dashboard.sub")}
      extra={
        <Space wrap>
          <Typography.Text type="secondary">{t("dashboard.model")}</Typography.Text>
          <Select
            value={modelId}
            options={modelOptions}
            onChange={(v) => setParam("model", v)}
            style={{ minWidth: 320 }}
            loading={!models.loaded}
            data-testid="dashboard-model"
            aria-label={t("dashboard.model")}
          />
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.refresh")}>
            {t("common.refresh")}
          </Button>
        </Space>
      }
    />
  );

  if (error && !data)
    return (
      <div data-testid="dashboard">
        {header}
        <ErrorView error={error} onRetry={reload} />
      </div>
    );
  if (!data) return <PageLoading />;

  const empty = data.coverage.evaluated === 0;
  const noData = <Empty description={t("dashboard.noData")} />;

  return (
    <div data-testid="dashboard">
      {header}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Coverage data={data} />
        </Col>
        <Col xs={24} xl={15}>
          <Card title={t("dashboard.grades")} style={{ height: "100%" }}>
            <div data-testid="dashboard-grades-chart">
              {empty || !gradesOption ? (
                noData
              ) : (
                <Chart option={gradesOption} height={280} loading={loading} />
              )}
            </div>
          </Card>
        </Col>
        <Col span={24}>
          <Card
            title={t("dashboard.breakdown")}
            extra={
              <Segmented<DashboardBy>
                value={by}
                onChange={(v) => setParam("by", v)}
                options={BYS.map((b) => ({ value: b, label: t(`dashboard.by.${b}`) }))}
                data-testid="dashboard-by"
              />
            }
          >
            <div data-testid="dashboard-breakdown-chart">
              {empty || !breakdown ? (
                noData
              ) : (
                <Chart option={breakdown.option} height={breakdown.height} loading={loading} />
              )}
            </div>
          </Card>
        </Col>
        <Col span={24}>
          <Card
            title={t("dashboard.trend")}
            extra={<Typography.Text type="secondary">{t("dashboard.trendHint")}</Typography.Text>}
          >
            <div data-testid="dashboard-trend-chart">
              {trendOption ? (
                <Chart option={trendOption} height={300} loading={loading} />
              ) : (
                <Empty description={t("dashboard.noRuns")} />
              )}
            </div>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
