import { Button, Card, Segmented, Space, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import type { InspectionTask, TaskStatus } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { PagedTable, usePaged } from "../components/DataTable.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { GradeTag } from "../evaluation/grades.tsx";
import { useI18n } from "../i18n.ts";
import { OutcomeTag, TaskKindTag, TaskStatusTag } from "../inspections/common.tsx";
import { ResultDrawer } from "../inspections/ResultDrawer.tsx";

const FILTERS = ["all", "assigned", "done", "unassigned"] as const;

/** 检查任务: an inspector's own tasks (department staff: all of the department's), and result entry. */
export default function InspectionTasks() {
  const { t, label, pick } = useI18n();
  const { can, session } = useAuth();
  const [status, setStatus] = useState<(typeof FILTERS)[number]>("all");
  const [entering, setEntering] = useState<InspectionTask>();
  const [saved, setSaved] = useState(0);
  const tasks = usePaged<InspectionTask & { inspector?: string | null }>(
    "/inspection-tasks",
    { status: status === "all" ? undefined : status },
    { refresh: saved },
  );
  const mine = session?.user.role === "inspector";
  const canEnter = can("inspections.results");

  const columns = useMemo<ColumnsType<InspectionTask>>(
    () => [
      {
        title: t("insp.task.plan"),
        key: "plan",
        width: 190,
        render: (_, x) => (
          <Space orientation="vertical" size={0}>
            <Link to={`/inspection-plans/${encodeURIComponent(x.planId)}`}>{x.planTitle}</Link>
            <Typography.Text type="secondary">{x.items.join("；")}</Typography.Text>
          </Space>
        ),
      },
      {
        title: t("insp.task.subject"),
        key: "subject",
        width: 230,
        render: (_, x) => (
          <Space orientation="vertical" size={0}>
            <span data-testid="task-subject">{x.subjectName}</span>
            <Typography.Text type="secondary" className="mono">
              {x.subjectCode}
            </Typography.Text>
          </Space>
        ),
      },
      {
        title: t("insp.task.gradeAtDraw"),
        dataIndex: "stratum",
        width: 120,
        render: (g: string) => <GradeTag grade={g} />,
      },
      {
        title: t("insp.task.kind"),
        dataIndex: "kind",
        width: 100,
        render: (k: string) => <TaskKindTag kind={k} />,
      },
      {
        title: t("insp.task.inspectors"),
        key: "inspectors",
        width: 130,
        render: (_, x) =>
          x.inspectors.length ? (
            x.inspectors.map((i) => (
              <div key={i.id}>
                {i.name}
                {i.rank === 1 ? (
                  <Typography.Text type="secondary">（{t("insp.task.lead")}）</Typography.Text>
                ) : null}
              </div>
            ))
          ) : (
            <Tooltip title={pick(x.note?.zh, x.note?.en)}>
              <Typography.Text type="warning">{t("insp.task.noInspectors")}</Typography.Text>
            </Tooltip>
          ),
      },
      {
        title: t("insp.task.status"),
        dataIndex: "status",
        width: 100,
        render: (s: string) => <TaskStatusTag status={s} />,
      },
      {
        title: t("insp.task.result"),
        key: "result",
        width: 120,
        render: (_, x) =>
          x.result ? (
            <Space orientation="vertical" size={0}>
              <OutcomeTag outcome={x.result.outcome} />
              <Typography.Text type="secondary">{x.result.inspectedOn}</Typography.Text>
            </Space>
          ) : (
            <Typography.Text type="secondary">—</Typography.Text>
          ),
      },
      ...(canEnter
        ? [
            {
              title: t("common.actions"),
              key: "actions",
              width: 110,
              fixed: "right" as const,
              render: (_: unknown, x: InspectionTask) =>
                x.status === "unassigned" ? null : (
                  <Button type="link" size="small" onClick={() => setEntering(x)} data-testid="task-enter">
                    {x.result ? t("insp.task.correct") : t("insp.task.enter")}
                  </Button>
                ),
            },
          ]
        : []),
    ],
    [t, pick, canEnter],
  );

  return (
    <>
      <PageHeader
        title={mine ? t("insp.tasks.mine") : t("insp.tasks.title")}
        sub={mine ? t("insp.tasks.mineSub") : t("insp.tasks.sub")}
        testId="page-inspection-tasks"
      />
      <Card
        size="small"
        title={
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as (typeof FILTERS)[number])}
            options={FILTERS.map((f) => ({
              value: f,
              label: f === "all" ? t("common.all") : label("taskStatus", f as TaskStatus),
            }))}
            data-testid="task-filter"
          />
        }
      >
        {mine && tasks.data && (tasks.data as { inspector?: string | null }).inspector === null ? (
          <Typography.Paragraph type="warning">{t("insp.tasks.unbound")}</Typography.Paragraph>
        ) : null}
        <PagedTable<InspectionTask>
          list={tasks}
          testId="task-table"
          columns={columns}
          scroll={{ x: 1100 }}
          onRow={(x) =>
            ({
              "data-testid": "task-row",
              "data-task": x.id,
              "data-code": x.subjectCode,
              "data-kind": x.kind,
            }) as object
          }
        />
      </Card>
      <ResultDrawer
        task={entering}
        onClose={() => setEntering(undefined)}
        onSaved={() => setSaved((n) => n + 1)}
      />
    </>
  );
}
