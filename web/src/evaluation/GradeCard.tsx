import { ArrowUpOutlined, CheckCircleOutlined, InfoCircleOutlined, WarningOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Col,
  Divider,
  Empty,
  Row,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from "antd";
import { lazy, type MouseEvent, type ReactNode, Suspense, useMemo } from "react";
import type {
  GradeLimit,
  IndicatorExplanation,
  ModelExplanation,
  Repair,
  SubjectEvaluation,
} from "../../../src/contract/evaluation.ts";
import type { CreditRecord } from "../../../src/contract/records.ts";
import { api, errorText } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { ChartOption } from "../components/Chart.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { useCatalog, useDepartments, useModels } from "../reference.ts";
import { useConditionInfo } from "./conditions.ts";
import { dimensionChartOption } from "./dimension-chart.ts";
import { ExternalGrades } from "./ExternalGrades.tsx";
import { GRADE_COLOR, GradeTag, gradeColor } from "./grades.tsx";

// ECharts is loaded only when a grade card draws its chart, not with the profile page.
const Chart = lazy(() => import("../components/Chart.tsx"));

/** The element id of a record in the profile's timeline (SubjectProfile.tsx). */
export function recordAnchor(id: number): string {
  return `record-${id}`;
}

/** Scrolls the timeline to a record and flashes it. */
function goToRecord(e: MouseEvent, id: number) {
  const el = document.getElementById(recordAnchor(id));
  if (!el) return;
  e.preventDefault();
  el.scrollIntoView({ behavior: "smooth", block: "center" });
  el.classList.remove("record-flash");
  // restart the animation when the same record is clicked twice
  void el.offsetWidth;
  el.classList.add("record-flash");
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "0";
}

interface RecordLinkProps {
  id: number;
  records: Map<number, CreditRecord>;
  points?: number;
  /** Only the record's number (its category and date are shown beside it). */
  short?: boolean;
}

/** A record behind a grade: a link to it in the timeline, named by category and date. */
function RecordLink({ id, records, points, short }: RecordLinkProps) {
  const { t } = useI18n();
  const catalog = useCatalog();
  const r = records.get(id);
  const text = (
    <>
      {t("eval.record", { id })}
      {r && !short ? ` · ${catalog.categoryName(r.category)} · ${r.decisionDate}` : ""}
      {points !== undefined && points !== 0 ? ` (${signed(points)})` : ""}
    </>
  );
  if (!r) return <Typography.Text type="secondary">{text}</Typography.Text>;
  return (
    <a
      href={`#${recordAnchor(id)}`}
      onClick={(e) => goToRecord(e, id)}
      data-testid="grade-record-link"
      data-record-id={id}
    >
      {text}
    </a>
  );
}

/** A trigger or ceiling in words, with the grade it allows and, for one outranked by a stricter, what it does. */
function ConditionText({ modelId, limit }: { modelId: string; limit: GradeLimit }) {
  const { t, pick } = useI18n();
  const conditionInfo = useConditionInfo();
  const info = conditionInfo(modelId, limit.id);
  const allows =
    limit.kind === "trigger"
      ? t("eval.trigger", { grade: limit.grade })
      : t("eval.ceiling", { grade: limit.grade });
  return (
    <Space size={6} wrap data-testid="grade-condition" data-condition={limit.id} data-effect={limit.effect}>
      <Tag
        color={limit.effect === "none" ? "default" : limit.kind === "trigger" ? "red" : "orange"}
        style={{ marginInlineEnd: 0 }}
      >
        {allows}
      </Tag>
      {info ? <span>{pick(info.zh, info.en)}</span> : <span className="mono">{limit.id}</span>}
      {limit.effect === "also" ? (
        <Typography.Text type="secondary">({t("eval.limitAlso", { grade: limit.grade })})</Typography.Text>
      ) : null}
    </Space>
  );
}

function DimensionChart({ model }: { model: ModelExplanation }) {
  const { t, pick } = useI18n();
  const option = useMemo<ChartOption>(
    () =>
      dimensionChartOption(
        model.dimensions.map((d) => ({ name: pick(d.zh, d.en), points: d.points, max: d.max })),
        { points: t("eval.points"), max: t("eval.max"), colon: t("common.colon") },
      ),
    [model, pick, t],
  );
  const height = Math.max(160, model.dimensions.length * 36 + 24);
  return (
    <div data-testid="grade-breakdown-chart">
      <Typography.Text type="secondary">{t("eval.dimensions")}</Typography.Text>
      <Suspense fallback={<Skeleton.Node active style={{ width: "100%", height }} />}>
        <Chart option={option} height={height} />
      </Suspense>
    </div>
  );
}

/** The indicators that gave or took points, each with the records behind it. */
function Reasons({ model, records }: { model: ModelExplanation; records: Map<number, CreditRecord> }) {
  const { t, pick, lang } = useI18n();
  const dimensionName = (id: string) => {
    const d = model.dimensions.find((x) => x.id === id);
    return d ? pick(d.zh, d.en) : id;
  };
  const moved = model.indicators
    .filter((i) => i.points !== 0)
    .sort((a, b) => a.points - b.points || a.id.localeCompare(b.id));
  return (
    <div data-testid="grade-reasons" className="grade-section">
      <Typography.Title level={5} className="grade-section-title">
        {t("eval.reasons")}
      </Typography.Title>
      {moved.length === 0 ? (
        <Typography.Text type="secondary">{t("eval.noReasons")}</Typography.Text>
      ) : (
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t("eval.reasonsHint")}
            {moved.some((i) => i.records.some((r) => r.points !== 0 && records.has(r.id)))
              ? `${lang === "en" ? " " : ""}${t("eval.reasonsLinkHint")}`
              : ""}
          </Typography.Paragraph>
          <div className="grade-reasons">
            {moved.map((i) => (
              <Reason key={i.id} indicator={i} dimension={dimensionName(i.dimension)} records={records} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

function Reason(props: {
  indicator: IndicatorExplanation;
  dimension: string;
  records: Map<number, CreditRecord>;
}) {
  const { t, pick } = useI18n();
  const i = props.indicator;
  const deduction = i.points < 0;
  const behind = i.records.filter((r) => r.points !== 0);
  return (
    <div className="grade-reason" data-testid="grade-reason" data-indicator={i.id} data-type={i.type}>
      <Tag
        color={deduction ? "error" : "success"}
        className="grade-reason-points"
        data-testid="grade-reason-points"
      >
        {signed(i.points)}
      </Tag>
      <div className="grade-reason-body">
        <Space size={[8, 0]} wrap>
          <Typography.Text strong>{pick(i.zh, i.en)}</Typography.Text>
          <Typography.Text type="secondary">{props.dimension}</Typography.Text>
          {i.uncapped !== i.points ? (
            <Typography.Text type="secondary">
              ({t("eval.capped", { n: signed(i.uncapped) })})
            </Typography.Text>
          ) : null}
        </Space>
        {behind.length > 0 ? (
          <div className="grade-reason-records">
            {behind.map((r) => (
              <RecordLink key={r.id} id={r.id} records={props.records} points={r.points} />
            ))}
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** 信用修复建议: the records whose repair would lift the score or the grade, best first. */
function Repairs({ model, records }: { model: ModelExplanation; records: Map<number, CreditRecord> }) {
  const { t, pick } = useI18n();
  const catalog = useCatalog();
  const departments = useDepartments();
  const conditionInfo = useConditionInfo();
  const indicatorName = (id: string) => {
    const i = model.indicators.find((x) => x.id === id);
    return i ? pick(i.zh, i.en) : id;
  };
  const conditionName = (id: string) => {
    const c = conditionInfo(model.modelId, id);
    return c ? pick(c.zh, c.en) : id;
  };
  const columns: TableColumnsType<Repair> = [
    {
      key: "record",
      title: t("eval.repair.record"),
      width: 380,
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <RecordLink id={r.record} records={records} short />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {catalog.categoryName(r.category)} · {departments.name(r.department)} · {r.decisionDate}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "affects",
      title: t("eval.repair.affects"),
      render: (_, r) => (
        <Space size={[4, 4]} wrap>
          {r.indicators.map((id) => (
            <Tag key={id}>{indicatorName(id)}</Tag>
          ))}
          {r.conditions.map((id) => (
            <Tag key={id} color="orange">
              {conditionName(id)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      key: "after",
      title: t("eval.repair.after"),
      width: 210,
      render: (_, r) => (
        <Space size={6}>
          <GradeTag grade={r.grade} />
          <span>{t("eval.pointsN", { n: r.score })}</span>
        </Space>
      ),
    },
    {
      key: "lift",
      title: t("eval.repair.lift"),
      width: 150,
      render: (_, r) => (
        <Space size={4} wrap>
          {r.lift > 0 ? (
            <Typography.Text type="success" strong>
              {t("eval.repair.liftPoints", { n: r.lift })}
            </Typography.Text>
          ) : null}
          {r.grades > 0 ? (
            <Tag color="green" icon={<ArrowUpOutlined />}>
              {t("eval.repair.liftGrades", { n: r.grades })}
            </Tag>
          ) : null}
        </Space>
      ),
    },
  ];
  return (
    <div data-testid="grade-repairs" className="grade-section">
      <Typography.Title level={5} className="grade-section-title">
        {t("eval.repairs")}
      </Typography.Title>
      {model.repairs.length === 0 ? (
        <Typography.Text type="secondary">{t("eval.noRepairs")}</Typography.Text>
      ) : (
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t("eval.repairsHint")}
          </Typography.Paragraph>
          <Table<Repair>
            size="small"
            rowKey="record"
            columns={columns}
            dataSource={model.repairs}
            pagination={model.repairs.length > 8 ? { pageSize: 8, size: "small" } : false}
            data-testid="grade-repairs-table"
          />
        </>
      )}
    </div>
  );
}

/**
 * What the grade is short of, and what each trigger or ceiling that holds does to it: held down (the score gives
 * a better grade), kept from rising (the score gives the grade it allows), or nothing now (it allows a better
 * grade than the score gives) — only the first two are shown as holding the grade.
 */
function NextGrade({ model }: { model: ModelExplanation }) {
  const { t } = useI18n();
  const limits = model.limits;
  const holding = limits.filter((l) => l.effect !== "none");
  const idle = limits.filter((l) => l.effect === "none");
  const held = limits.some((l) => l.effect === "sets");
  let line: ReactNode = null;
  if (model.grade === "NR") {
    line = (
      <Typography.Text type="secondary">
        <InfoCircleOutlined /> {t("eval.nrHint")}
      </Typography.Text>
    );
  } else if (holding.length > 0) {
    // a held grade has no distance to the next one: the alert below says what holds it
  } else if (model.nextGrade) {
    const n = model.nextGrade;
    line = (
      <Space size={8} wrap>
        <Typography.Text strong style={{ color: gradeColor(n.grade) }}>
          <ArrowUpOutlined /> {t("eval.next", { grade: n.grade, n: n.distance })}
        </Typography.Text>
        <Typography.Text type="secondary">
          ({t("eval.nextCutoff", { grade: n.grade, cutoff: n.cutoff })})
        </Typography.Text>
      </Space>
    );
  } else {
    line = (
      <Typography.Text style={{ color: GRADE_COLOR.A }}>
        <CheckCircleOutlined /> {t("eval.top")}
      </Typography.Text>
    );
  }
  return (
    <div data-testid="grade-next" className="grade-next">
      {line}
      {holding.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          icon={<WarningOutlined />}
          style={line ? { marginTop: 8 } : undefined}
          data-testid="grade-blocked"
          data-held={held ? "down" : "at"}
          title={
            held
              ? t("eval.held", {
                  score: model.byScore.score,
                  scoreGrade: model.byScore.grade,
                  grade: model.grade,
                })
              : t("eval.heldAt", { grade: model.grade })
          }
          description={
            <Space orientation="vertical" size={4}>
              {holding.map((l) => (
                <ConditionText key={`${l.kind}-${l.id}`} modelId={model.modelId} limit={l} />
              ))}
              <Typography.Text type="secondary">{t("eval.heldNext")}</Typography.Text>
            </Space>
          }
        />
      ) : null}
      {idle.length > 0 ? (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="grade-limits-info"
          title={
            model.grade === "NR"
              ? t("eval.limitsNoneNR")
              : t("eval.limitsNone", { grade: model.byScore.grade })
          }
          description={
            <Space orientation="vertical" size={4}>
              {idle.map((l) => (
                <ConditionText key={`${l.kind}-${l.id}`} modelId={model.modelId} limit={l} />
              ))}
            </Space>
          }
        />
      ) : null}
    </div>
  );
}

/** One model's grade: the tag, score, model, distance to the next grade, reasons and repairs. */
function ModelGrade({ model, records }: { model: ModelExplanation; records: Map<number, CreditRecord> }) {
  const { t, pick, label } = useI18n();
  const models = useModels();
  const departments = useDepartments();
  const max = models.model(model.modelId)?.maxScore ?? model.dimensions.reduce((a, d) => a + d.max, 0);
  const isPublic = model.kind === "public";
  const summary = (
    <div className="grade-summary">
      <GradeTag grade={model.grade} large testId={`grade-${model.modelId}`} />
      <div className="grade-summary-text">
        <div>
          <span className="grade-score" data-testid="grade-score">
            {model.score}
          </span>
          <Typography.Text type="secondary"> / {t("eval.pointsN", { n: max })}</Typography.Text>
        </div>
        <Space size={6} wrap>
          <Typography.Text strong>{pick(model.title.zh, model.title.en)}</Typography.Text>
          <Tag color={isPublic ? "blue" : "purple"}>{label("evalKind", model.kind)}</Tag>
          <Typography.Text type="secondary">
            {t("eval.version", { v: model.version })} · {departments.name(model.owner)}
          </Typography.Text>
        </Space>
      </div>
    </div>
  );
  return (
    <section data-testid={`grade-model-${model.modelId}`} data-model={model.modelId}>
      <Row gutter={[32, 0]}>
        <Col xs={24} xl={11}>
          {summary}
          <NextGrade model={model} />
          {isPublic ? (
            <Reasons model={model} records={records} />
          ) : (
            <div className="grade-dimensions-inline">
              {model.dimensions.map((d) => (
                <Tag key={d.id}>
                  {pick(d.zh, d.en)} {d.points} / {d.max}
                </Tag>
              ))}
            </div>
          )}
        </Col>
        <Col xs={24} xl={13}>
          {isPublic ? <DimensionChart model={model} /> : <Reasons model={model} records={records} />}
        </Col>
      </Row>
      <Repairs model={model} records={records} />
    </section>
  );
}

/** The stored results, one row per change. */
function History({ data }: { data: SubjectEvaluation }) {
  const { t, lang, pick } = useI18n();
  const models = useModels();
  type Row = SubjectEvaluation["history"][number];
  const titleOf = (id: string) => {
    const m = data.models.find((x) => x.modelId === id);
    return m ? pick(m.title.zh, m.title.en) : models.title(id);
  };
  const columns: TableColumnsType<Row> = [
    { key: "model", title: t("eval.history.model"), render: (_, r) => titleOf(r.modelId) },
    {
      key: "version",
      title: t("eval.history.version"),
      dataIndex: "modelVersion",
      width: 90,
      render: (v: string) => t("eval.version", { v }),
    },
    { key: "asOf", title: t("eval.history.asOf"), dataIndex: "asOf", width: 130 },
    {
      key: "grade",
      title: t("eval.history.grade"),
      dataIndex: "grade",
      width: 190,
      render: (g: string) => <GradeTag grade={g} />,
    },
    { key: "score", title: t("eval.history.score"), dataIndex: "score", width: 90, align: "right" },
    {
      key: "since",
      title: t("eval.history.since"),
      dataIndex: "firstEvaluatedAt",
      width: 190,
      render: (v: string) => formatDateTime(lang, v),
    },
  ];
  return (
    <div data-testid="grade-history" className="grade-section">
      <Typography.Title level={5} className="grade-section-title">
        {t("eval.history")}{" "}
        <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: "normal" }}>
          {t("eval.historyHint")}
        </Typography.Text>
      </Typography.Title>
      {data.history.length === 0 ? (
        <Typography.Text type="secondary">{t("eval.noHistory")}</Typography.Text>
      ) : (
        <Table<Row>
          size="small"
          rowKey={(r) => `${r.modelId}-${r.firstEvaluatedAt}-${r.asOf}`}
          columns={columns}
          dataSource={data.history}
          pagination={data.history.length > 5 ? { pageSize: 5, size: "small" } : false}
        />
      )}
    </div>
  );
}

/**
 * 信用等级: the subject's grade under every model that applies, explained (PIPL art. 24) — the points per
 * dimension, the indicators and records behind them, what keeps the grade down, the distance to the next
 * grade, the repairs that would lift it — and the stored grade history.
 */
export default function GradeCard({ code, records }: { code: string; records: readonly CreditRecord[] }) {
  const { t, lang } = useI18n();
  const { data, error, reload } = useApi(
    (signal) =>
      api.get<SubjectEvaluation>(`/subjects/${encodeURIComponent(code)}/evaluation`, undefined, signal),
    [code],
  );
  const byId = useMemo(() => new Map(records.map((r) => [r.id, r])), [records]);
  const models = useMemo(
    () =>
      [...(data?.models ?? [])].sort(
        (a, b) =>
          Number(b.kind === "public") - Number(a.kind === "public") || a.modelId.localeCompare(b.modelId),
      ),
    [data],
  );

  let body: ReactNode;
  if (error) {
    body = (
      <Alert
        type="error"
        showIcon
        data-testid="grade-error"
        title={errorText(error, lang, t("common.loadFailed"), t("common.networkError"))}
        action={
          <Button size="small" onClick={reload}>
            {t("common.retry")}
          </Button>
        }
      />
    );
  } else if (!data) {
    body = <Skeleton active paragraph={{ rows: 5 }} />;
  } else if (models.length === 0) {
    body = <Empty description={t("eval.none")} />;
  } else {
    body = models.map((m, i) => (
      <div key={m.modelId}>
        {i > 0 ? <Divider style={{ margin: "20px 0" }} /> : null}
        <ModelGrade model={m} records={byId} />
      </div>
    ));
  }

  return (
    <Card
      style={{ marginBottom: 16 }}
      data-testid="grade-card"
      title={t("eval.title")}
      extra={
        data ? (
          <Typography.Text type="secondary">
            {t("eval.asOf", { date: data.asOf })} · {t("eval.live")}
          </Typography.Text>
        ) : null
      }
    >
      {body}
      {data ? (
        <>
          <Divider style={{ margin: "20px 0 12px" }} />
          <ExternalGrades code={code} />
          <Divider style={{ margin: "20px 0 12px" }} />
          <History data={data} />
        </>
      ) : null}
    </Card>
  );
}
