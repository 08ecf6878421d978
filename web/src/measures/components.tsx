/**
 * Pieces the supervision pages share: a measure's kind as a tag, the applied measures with their reasons, the
 * grades a result was decided on, the credit check log, and the two profile cards (适用的监管措施,
 * 谁查询了我的信用).
 */
import { Card, Empty, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import type {
  AppliedMeasure,
  CreditCheck,
  MeasureKind,
  SubjectGrade,
  SubjectMeasures,
} from "../../../src/contract/measures.ts";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { Page } from "../api/types.ts";
import { ErrorView } from "../components/ErrorResult.tsx";
import { GradeTag } from "../evaluation/grades.tsx";
import { formatDateTime, type MessageKey, useI18n } from "../i18n.ts";
import { useDepartments } from "../reference.ts";

const KIND_COLOR: Record<MeasureKind, string> = { incentive: "green", constraint: "red", neutral: "default" };

export function KindTag({ kind }: { kind: MeasureKind }) {
  const { t } = useI18n();
  return (
    <Tag color={KIND_COLOR[kind]} data-testid="measure-kind" data-kind={kind}>
      {t(`measures.kind.${kind}` as MessageKey)}
    </Tag>
  );
}

/** A measure with its kind, e.g. [约束] 列为重点监管对象. */
export function MeasureText({ m }: { m: { zh: string; en: string; kind: MeasureKind } }) {
  const { pick } = useI18n();
  return (
    <Space size={4} align="start">
      <KindTag kind={m.kind} />
      <span>{pick(m.zh, m.en)}</span>
    </Space>
  );
}

/** The grades a result was decided on: tag, model and score. */
export function GradesLine({ grades }: { grades: SubjectGrade[] }) {
  const { t, pick } = useI18n();
  if (grades.length === 0) return <Typography.Text type="secondary">{t("check.noGrades")}</Typography.Text>;
  return (
    <Space wrap size={[16, 8]} data-testid="applied-grades">
      {grades.map((g) => (
        <Space key={g.modelId} size={4} data-testid="applied-grade" data-model={g.modelId}>
          <GradeTag grade={g.grade} />
          <span>{pick(g.title.zh, g.title.en)}</span>
          <Typography.Text type="secondary">{t("check.points", { n: g.score })}</Typography.Text>
        </Space>
      ))}
    </Space>
  );
}

/** The measures that apply, one row each: list, item, measure (with its kind), the grade that decided, why. */
export function AppliedMeasuresTable({ measures }: { measures: AppliedMeasure[] }) {
  const { t, pick } = useI18n();
  const departments = useDepartments();
  const columns = useMemo<ColumnsType<AppliedMeasure>>(
    () => [
      {
        title: t("measure.list"),
        dataIndex: "department",
        width: 130,
        render: (v: string) => departments.name(v),
      },
      { title: t("measures.item"), key: "item", width: 200, render: (_, m) => pick(m.item.zh, m.item.en) },
      {
        title: t("measure.measure"),
        key: "measure",
        width: 280,
        render: (_, m) => <MeasureText m={m.measure} />,
      },
      {
        title: t("measures.grade"),
        dataIndex: "grade",
        width: 110,
        render: (g: string) => <GradeTag grade={g} />,
      },
      {
        title: t("measure.reason"),
        key: "reason",
        render: (_, m) => <span data-testid="measure-reason">{pick(m.reason.zh, m.reason.en)}</span>,
      },
    ],
    [t, pick, departments],
  );
  if (measures.length === 0) return <Empty description={t("subjectMeasures.empty")} />;
  return (
    <Table<AppliedMeasure>
      rowKey={(m) => `${m.department}/${m.item.id}/${m.measure.id}`}
      size="small"
      columns={columns}
      dataSource={measures}
      pagination={false}
      scroll={{ x: 1100 }}
      onRow={(m) => ({ "data-testid": "applied-measure", "data-kind": m.measure.kind }) as object}
    />
  );
}

/** How many incentives, constraints and usual measures a check answered. */
function outcome(c: CreditCheck): { i: number; c: number; n: number } {
  const count = (k: MeasureKind) => c.result.measures.filter((m) => m.measure.kind === k).length;
  return { i: count("incentive"), c: count("constraint"), n: count("neutral") };
}

/** A page of the check log, newest first. `self`: the subject's own view (no subject column). */
export function ChecksTable(props: {
  data: Page<CreditCheck> | undefined;
  loading: boolean;
  page: number;
  size: number;
  onPage: (page: number, size: number) => void;
  self?: boolean;
  testId: string;
}) {
  const { t, pick, label, lang } = useI18n();
  const departments = useDepartments();
  const columns = useMemo<ColumnsType<CreditCheck>>(
    () => [
      { title: t("check.at"), dataIndex: "at", width: 170, render: (v: string) => formatDateTime(lang, v) },
      {
        title: t("check.department"),
        dataIndex: "department",
        width: 150,
        render: (v: string) => departments.name(v),
      },
      {
        title: t("check.caller"),
        key: "caller",
        width: 190,
        render: (_, c) => (
          <Space orientation="vertical" size={0}>
            <span data-testid="check-caller">{c.caller}</span>
            <Typography.Text type="secondary">{label("role", c.callerRole)}</Typography.Text>
          </Space>
        ),
      },
      ...(props.self
        ? []
        : [
            {
              title: t("check.subjectName"),
              key: "subject",
              width: 240,
              render: (_: unknown, c: CreditCheck) => (
                <Space orientation="vertical" size={0}>
                  <span>{c.result.subject.name}</span>
                  <Typography.Text type="secondary" className="mono">
                    {c.subjectCode}
                  </Typography.Text>
                </Space>
              ),
            },
          ]),
      {
        title: t("measures.scenario"),
        key: "scenario",
        width: 120,
        render: (_, c) => pick(c.scenario.zh, c.scenario.en),
      },
      {
        title: t("check.purpose"),
        dataIndex: "purpose",
        width: 260,
        render: (v: string) => <span data-testid="check-purpose">{v}</span>,
      },
      {
        title: t("check.outcome"),
        key: "outcome",
        width: 260,
        render: (_, c) => (
          <Space size={4} wrap>
            {c.result.grades.map((g) => (
              <GradeTag key={g.modelId} grade={g.grade} />
            ))}
            <Typography.Text type="secondary">{t("check.outcomeSummary", outcome(c))}</Typography.Text>
          </Space>
        ),
      },
    ],
    [t, pick, label, lang, departments, props.self],
  );
  return (
    <div data-testid={props.testId}>
      <Table<CreditCheck>
        rowKey="id"
        size="small"
        loading={props.loading}
        columns={columns}
        dataSource={props.data?.items ?? []}
        scroll={{ x: 1400 }}
        locale={{ emptyText: <Empty description={t("checks.empty")} /> }}
        onRow={() => ({ "data-testid": "check-row" }) as object}
        pagination={{
          current: props.page,
          pageSize: props.size,
          total: props.data?.total ?? 0,
          showTotal: (n) => t("common.total", { n }),
          onChange: (p, s) => props.onPage(s !== props.size ? 1 : p, s),
        }}
      />
    </div>
  );
}

/** 适用的监管措施: on a subject's profile, matched to its current grades (they follow a grade change). */
export function SubjectMeasuresCard({ code }: { code: string }) {
  const { t, pick } = useI18n();
  const [scenario, setScenario] = useState<string>();
  const { data, error, loading, reload } = useApi(
    (signal) =>
      api.get<SubjectMeasures>(`/subjects/${encodeURIComponent(code)}/measures`, { scenario }, signal),
    [code, scenario],
  );
  return (
    <Card
      style={{ marginBottom: 16 }}
      data-testid="subject-measures"
      title={t("subjectMeasures.title")}
      loading={loading && !data}
      extra={
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t("subjectMeasures.allScenarios")}
          aria-label={t("measures.scenario")}
          value={scenario}
          onChange={setScenario}
          data-testid="subject-measures-scenario"
          options={(data?.scenarios ?? []).map((s) => ({ value: s.id, label: pick(s.zh, s.en) }))}
        />
      }
    >
      {error ? (
        <ErrorView error={error} onRetry={reload} />
      ) : (
        <Space orientation="vertical" size={12} style={{ width: "100%" }}>
          <Typography.Text type="secondary">{t("subjectMeasures.hint")}</Typography.Text>
          <GradesLine grades={data?.grades ?? []} />
          <AppliedMeasuresTable measures={data?.measures ?? []} />
        </Space>
      )}
    </Card>
  );
}

/** 谁查询了我的信用: the checks of the enterprise's own subject — when, which department, who, why. */
export function SelfChecksCard() {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(10);
  const { data, error, loading, reload } = useApi(
    (signal) =>
      api.get<Page<CreditCheck>>("/self/credit-checks", { limit: size, offset: (page - 1) * size }, signal),
    [page, size],
  );
  return (
    <Card style={{ marginBottom: 16 }} title={t("self.checks.title")} data-testid="self-checks">
      <Typography.Paragraph type="secondary">{t("self.checks.hint")}</Typography.Paragraph>
      {error ? (
        <ErrorView error={error} onRetry={reload} />
      ) : (
        <ChecksTable
          data={data}
          loading={loading}
          page={page}
          size={size}
          self
          testId="self-checks-table"
          onPage={(p, s) => {
            setPage(p);
            setSize(s);
          }}
        />
      )}
    </Card>
  );
}
