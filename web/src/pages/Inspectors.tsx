import { Button, Segmented, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import type { Inspector, InspectorConflict } from "../../../src/contract/inspections.ts";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import { useAuth } from "../auth.tsx";
import { ConfirmLink, useAction } from "../components/Actions.tsx";
import { monoColumn } from "../components/DataTable.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { ListPage } from "../components/ListPage.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { ConflictModal, InspectorDrawer } from "../inspections/InspectorForms.tsx";
import { useDepartments } from "../reference.ts";

type StatusFilter = "active" | "inactive" | "all";

/** 执法检查人员名录: qualifications, bound account, status, declared conflicts of interest (回避). */
export default function Inspectors() {
  const { t, label, lang } = useI18n();
  const { can, session } = useAuth();
  const message = useMessage();
  const action = useAction();
  const departments = useDepartments();
  const [status, setStatus] = useState<StatusFilter>("active");
  const [editing, setEditing] = useState<Inspector | "new">();
  const [declaring, setDeclaring] = useState<Inspector>();
  const list = useApi(
    (signal) =>
      api.get<{ items: Inspector[] }>(
        "/inspectors",
        { status: status === "all" ? undefined : status },
        signal,
      ),
    [status],
  );
  const manage = can("inspectors.manage");
  const mayDeclare = (i: Inspector) =>
    can("inspectors.conflicts") && (manage || (i.username !== null && i.username === session?.user.username));
  const qualifications = useMemo(
    () => [...new Set((list.data?.items ?? []).flatMap((i) => i.qualifications))],
    [list.data],
  );

  const act = (run: () => Promise<unknown>) => action(run, t("common.saved"), list.reload);
  const setActive = (i: Inspector, active: boolean) =>
    act(() =>
      api.patch(`/inspectors/${encodeURIComponent(i.id)}`, { status: active ? "active" : "inactive" }),
    );
  const withdraw = (c: InspectorConflict) => act(() => api.post(`/inspector-conflicts/${c.id}/withdraw`));

  const columns: ColumnsType<Inspector> = [
    monoColumn(t("insp.inspector.id"), "id", 110),
    { title: t("insp.inspector.name"), dataIndex: "name", width: 80 },
    {
      title: t("insp.inspector.qualifications"),
      dataIndex: "qualifications",
      width: 210,
      render: (q: string[]) =>
        q.map((x) => (
          <Tag key={x} color="blue" style={{ marginBottom: 4 }}>
            {x}
          </Tag>
        )),
    },
    {
      title: t("insp.inspector.account"),
      dataIndex: "username",
      width: 100,
      render: (v: string | null) =>
        v ?? <Typography.Text type="secondary">{t("insp.inspector.unbound")}</Typography.Text>,
    },
    {
      title: t("insp.inspector.status"),
      dataIndex: "status",
      width: 80,
      render: (v: string) => (
        <Tag color={v === "active" ? "green" : "default"}>{label("inspectorStatus", v)}</Tag>
      ),
    },
    {
      title: t("insp.inspector.conflicts"),
      key: "conflicts",
      width: 90,
      render: (_, i) =>
        i.conflicts.length ? (
          <Tag color="orange" data-testid="inspector-conflict-count">
            {t("insp.inspector.conflictsN", { n: i.conflicts.length })}
          </Tag>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    monoColumn(t("insp.inspector.certificate"), "certificateNo", 120),
    {
      title: t("insp.plan.department"),
      dataIndex: "department",
      width: 130,
      render: (v: string) => departments.name(v),
    },
    {
      title: t("common.actions"),
      key: "actions",
      width: 190,
      fixed: "right",
      render: (_, i) => (
        <Space size={0} wrap>
          {manage ? (
            <Button type="link" size="small" onClick={() => setEditing(i)} data-testid="inspector-edit">
              {t("common.edit")}
            </Button>
          ) : null}
          {manage ? (
            <ConfirmLink
              title={
                i.status === "active"
                  ? t("insp.inspector.deactivateConfirm", { name: i.name })
                  : t("insp.inspector.activateConfirm", { name: i.name })
              }
              onConfirm={() => setActive(i, i.status !== "active")}
              danger={i.status === "active"}
              testId="inspector-toggle"
            >
              {i.status === "active" ? t("insp.inspector.deactivate") : t("insp.inspector.activate")}
            </ConfirmLink>
          ) : null}
          {mayDeclare(i) ? (
            <Button type="link" size="small" onClick={() => setDeclaring(i)} data-testid="inspector-declare">
              {t("insp.conflict.declare")}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  const conflictColumns: ColumnsType<InspectorConflict> = [
    monoColumn(t("insp.conflict.subject"), "subjectCode", 200),
    { title: t("insp.conflict.reason"), dataIndex: "reason" },
    {
      title: t("insp.conflict.declaredAt"),
      dataIndex: "declaredAt",
      width: 180,
      render: (v: string) => formatDateTime(lang, v),
    },
    ...(manage
      ? [
          {
            title: t("common.actions"),
            key: "withdraw",
            width: 100,
            render: (_: unknown, c: InspectorConflict) => (
              <ConfirmLink
                title={t("insp.conflict.withdrawConfirm")}
                onConfirm={() => withdraw(c)}
                testId="conflict-withdraw"
              >
                {t("insp.conflict.withdraw")}
              </ConfirmLink>
            ),
          },
        ]
      : []),
  ];

  return (
    <ListPage<Inspector>
      title={t("insp.inspectors.title")}
      sub={t("insp.inspectors.sub")}
      testId="page-inspectors"
      create={
        manage && {
          label: t("insp.inspector.add"),
          testId: "inspector-add",
          onClick: () => setEditing("new"),
        }
      }
      cardTitle={
        <Segmented<StatusFilter>
          value={status}
          onChange={setStatus}
          options={(["active", "inactive", "all"] as const).map((s) => ({
            value: s,
            label: s === "all" ? t("common.all") : label("inspectorStatus", s),
          }))}
        />
      }
      table={{
        loaded: list,
        testId: "inspector-table",
        rowKey: "id",
        columns,
        dataSource: list.data?.items ?? [],
        pagination: { pageSize: 20, showTotal: (n) => t("common.total", { n }) },
        scroll: { x: 1150 },
        onRow: (i) => ({ "data-testid": "inspector-row", "data-inspector": i.id }) as object,
        expandable: {
          rowExpandable: (i) => i.conflicts.length > 0,
          expandedRowRender: (i) => (
            <Table<InspectorConflict>
              rowKey="id"
              size="small"
              pagination={false}
              columns={conflictColumns}
              dataSource={i.conflicts}
              data-testid="conflict-table"
            />
          ),
        },
      }}
    >
      <InspectorDrawer
        editing={editing}
        qualifications={qualifications}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          message.success(t("common.saved"));
          list.reload();
        }}
      />
      <ConflictModal
        inspector={declaring}
        onClose={() => setDeclaring(undefined)}
        onSaved={() => {
          setDeclaring(undefined);
          message.success(t("insp.conflict.saved"));
          list.reload();
        }}
      />
    </ListPage>
  );
}
