/**
 * The what-if of a draft model version (POST /models/:id/diff) on screen: the grade transition matrix as a heat
 * table, the PSI with its reading (the thresholds come with the answer), the moves, and the subjects per grade
 * before and after as a chart.
 */
import { Alert, Col, Row, Skeleton, Space, Statistic, Table, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { type CSSProperties, type HTMLAttributes, lazy, Suspense, useMemo } from "react";
import type { ModelDiff } from "../../../src/contract/models.ts";
import type { ChartOption } from "../components/Chart.tsx";
import { chartGrid } from "../components/chart-layout.ts";
import { gradeColor, isGrade, useGradeLabel } from "../evaluation/grades.tsx";
import { type MessageKey, useI18n } from "../i18n.ts";

const Chart = lazy(() => import("../components/Chart.tsx"));

const RANK: Record<string, number> = { A: 0, B: 1, C: 2, D: 3, E: 4 };

export type Move = "same" | "up" | "down" | "other";

/** What a cell of the matrix means: current grade `from`, draft grade `to`. */
export function moveOf(from: string, to: string): Move {
  if (from === to) return "same";
  const a = RANK[from];
  const b = RANK[to];
  if (a === undefined || b === undefined) return "other";
  return b < a ? "up" : "down";
}

const MOVE_RGB: Record<Move, string> = {
  same: "31, 95, 191",
  up: "43, 138, 62",
  down: "201, 42, 42",
  other: "230, 119, 0",
};

/**
 * A cell's colour: the hue says what the move is, the strength how many subjects make it — against the
 * largest cell of the same kind (staying cells dwarf the moves; each kind is scaled on its own). The number is
 * dark on every strength: white text would be below 4.5:1 on all but the strongest cells.
 */
function heat(move: Move, n: number, max: number): CSSProperties {
  if (n === 0 || max === 0) return { color: "rgba(0,0,0,0.56)" };
  const alpha = 0.12 + 0.68 * Math.sqrt(n / max);
  return {
    background: `rgba(${MOVE_RGB[move]}, ${alpha.toFixed(3)})`,
    color: "rgba(0,0,0,0.88)",
    fontWeight: 600,
  };
}

const SHIFT_COLOR: Record<ModelDiff["shift"], string> = { stable: "green", moderate: "orange", major: "red" };

interface MatrixRow {
  key: string;
  from: string;
  total: number;
}

function GradeHead({ grade }: { grade: string }) {
  const label = useGradeLabel();
  const { t } = useI18n();
  const text = grade === "OUT" ? t("whatif.out") : isGrade(grade) ? label(grade, true) : grade;
  return (
    <Tooltip title={text}>
      <span style={{ color: grade === "OUT" ? "rgba(0,0,0,0.56)" : gradeColor(grade), fontWeight: 600 }}>
        {grade === "NR" || grade === "OUT" ? text : grade}
      </span>
    </Tooltip>
  );
}

/** Rows: the current version's grade; columns: the draft's; totals on the right and at the bottom. */
function Matrix({ diff }: { diff: ModelDiff }) {
  const { t } = useI18n();
  const max = useMemo(() => {
    const m: Record<Move, number> = { same: 0, up: 0, down: 0, other: 0 };
    for (const a of diff.grades)
      for (const b of diff.grades) {
        const k = moveOf(a, b);
        m[k] = Math.max(m[k], diff.matrix[a]?.[b] ?? 0);
      }
    return m;
  }, [diff]);
  const rows: MatrixRow[] = diff.grades.map((g) => ({ key: g, from: g, total: diff.currentCounts[g] ?? 0 }));
  const columns: ColumnsType<MatrixRow> = [
    {
      title: t("whatif.matrixCorner"),
      dataIndex: "from",
      width: 130,
      fixed: "left",
      render: (g: string) => <GradeHead grade={g} />,
    },
    ...diff.grades.map((to) => ({
      title: <GradeHead grade={to} />,
      key: to,
      width: 84,
      align: "center" as const,
      onCell: (r: MatrixRow) => {
        const n = diff.matrix[r.from]?.[to] ?? 0;
        return {
          style: heat(moveOf(r.from, to), n, max[moveOf(r.from, to)]),
          "data-testid": "whatif-cell",
          "data-from": r.from,
          "data-to": to,
        } as HTMLAttributes<HTMLElement>;
      },
      render: (_: unknown, r: MatrixRow) => (diff.matrix[r.from]?.[to] ?? 0).toLocaleString(),
    })),
    {
      title: t("whatif.totalCurrent"),
      dataIndex: "total",
      width: 100,
      align: "right",
      render: (n: number) => <b>{n.toLocaleString()}</b>,
    },
  ];
  return (
    <div data-testid="whatif-matrix">
      <Table<MatrixRow>
        size="small"
        bordered
        pagination={false}
        columns={columns}
        dataSource={rows}
        scroll={{ x: 130 + diff.grades.length * 84 + 100 }}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <b>{t("whatif.totalDraft")}</b>
            </Table.Summary.Cell>
            {diff.grades.map((g, i) => (
              <Table.Summary.Cell key={g} index={i + 1} align="center">
                <b>{(diff.draftCounts[g] ?? 0).toLocaleString()}</b>
              </Table.Summary.Cell>
            ))}
            <Table.Summary.Cell index={diff.grades.length + 1} align="right">
              <b>{diff.subjects.toLocaleString()}</b>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      <Space size={16} wrap style={{ marginTop: 8 }}>
        {(["same", "up", "down", "other"] as const).map((m) => (
          <Space key={m} size={6}>
            <span
              style={{
                display: "inline-block",
                width: 14,
                height: 14,
                borderRadius: 3,
                background: `rgba(${MOVE_RGB[m]}, 0.7)`,
              }}
            />
            <Typography.Text type="secondary">{t(`whatif.move.${m}` as MessageKey)}</Typography.Text>
          </Space>
        ))}
      </Space>
    </div>
  );
}

function CountsChart({ diff }: { diff: ModelDiff }) {
  const { t } = useI18n();
  const label = useGradeLabel();
  const option = useMemo<ChartOption>(
    () => ({
      grid: chartGrid(8, 36),
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: {
        type: "category",
        data: diff.grades.map((g) => (g === "OUT" ? t("whatif.out") : g === "NR" ? label(g, true) : g)),
      },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        {
          type: "bar",
          name: t("whatif.current", { v: diff.current.version }),
          data: diff.grades.map((g) => diff.currentCounts[g] ?? 0),
          itemStyle: { color: "#9fb3d1" },
        },
        {
          type: "bar",
          name: t("whatif.draft", { v: diff.draft.version }),
          data: diff.grades.map((g) => diff.draftCounts[g] ?? 0),
          itemStyle: { color: "#1f5fbf" },
        },
      ],
    }),
    [diff, t, label],
  );
  return (
    <div data-testid="whatif-counts">
      <Suspense fallback={<Skeleton.Node active style={{ width: "100%", height: 260 }} />}>
        <Chart option={option} height={260} />
      </Suspense>
    </div>
  );
}

/** The per-grade counts as a table too (what the chart shows, for reading and copying). */
function CountsTable({ diff }: { diff: ModelDiff }) {
  const { t } = useI18n();
  type R = { key: string; grade: string; before: number; after: number };
  const rows: R[] = diff.grades.map((g) => ({
    key: g,
    grade: g,
    before: diff.currentCounts[g] ?? 0,
    after: diff.draftCounts[g] ?? 0,
  }));
  return (
    <Table<R>
      size="small"
      pagination={false}
      dataSource={rows}
      data-testid="whatif-counts-table"
      columns={[
        { title: t("whatif.grade"), dataIndex: "grade", render: (g: string) => <GradeHead grade={g} /> },
        { title: t("whatif.before"), dataIndex: "before", align: "right" },
        { title: t("whatif.after"), dataIndex: "after", align: "right" },
        {
          title: t("whatif.change"),
          key: "change",
          align: "right",
          render: (_: unknown, r) => {
            const d = r.after - r.before;
            return (
              <Typography.Text
                type={d === 0 ? "secondary" : undefined}
                style={{ fontVariantNumeric: "tabular-nums" }}
              >
                {d > 0 ? `+${d}` : d}
              </Typography.Text>
            );
          },
        },
      ]}
    />
  );
}

export function WhatIfResult({ diff }: { diff: ModelDiff }) {
  const { t } = useI18n();
  const b = diff.psiBands;
  return (
    <div data-testid="whatif-result">
      <Typography.Paragraph type="secondary">
        {t("whatif.summary", {
          current: diff.current.version,
          draft: diff.draft.version,
          asOf: diff.asOf,
          n: diff.subjects.toLocaleString(),
          s: diff.seconds.toFixed(1),
        })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8}>
          <div data-testid="whatif-psi" data-shift={diff.shift}>
            <Statistic title={t("whatif.psi")} value={diff.psi.toFixed(4)} />
            <Tag color={SHIFT_COLOR[diff.shift]} style={{ marginTop: 4 }} data-testid="whatif-shift">
              {t(`whatif.shift.${diff.shift}` as MessageKey)}
            </Tag>
          </div>
        </Col>
        <Col xs={12} md={4}>
          <Statistic
            title={t("whatif.move.up")}
            value={diff.moves.up}
            styles={{ content: { color: "#2b8a3e" } }}
          />
        </Col>
        <Col xs={12} md={4}>
          <Statistic
            title={t("whatif.move.down")}
            value={diff.moves.down}
            styles={{ content: { color: "#c92a2a" } }}
          />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title={t("whatif.move.same")} value={diff.moves.same} />
        </Col>
        <Col xs={12} md={4}>
          <Statistic title={t("whatif.move.other")} value={diff.moves.other} />
        </Col>
      </Row>
      <Alert
        type={diff.shift === "stable" ? "success" : diff.shift === "moderate" ? "warning" : "error"}
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="whatif-reading"
        title={t(`whatif.reading.${diff.shift}` as MessageKey, { psi: diff.psi.toFixed(4) })}
        description={
          <>
            {t("whatif.bands", { moderate: b.moderate, major: b.major })}{" "}
            {diff.scoreChanges.changed > 0
              ? t("whatif.scores", {
                  n: diff.scoreChanges.changed.toLocaleString(),
                  mean: (diff.scoreChanges.mean > 0 ? "+" : "") + diff.scoreChanges.mean.toFixed(1),
                })
              : t("whatif.noScoreChange")}
          </>
        }
      />
      <Typography.Title level={5}>{t("whatif.matrix")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("whatif.matrixHint")}</Typography.Paragraph>
      <Matrix diff={diff} />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t("whatif.counts")}
      </Typography.Title>
      <Row gutter={[24, 16]}>
        <Col xs={24} xl={14}>
          <CountsChart diff={diff} />
        </Col>
        <Col xs={24} xl={10}>
          <CountsTable diff={diff} />
        </Col>
      </Row>
    </div>
  );
}
