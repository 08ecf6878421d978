import { SearchOutlined } from "@ant-design/icons";
import { Button, Card, Form, Input, Space, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import type { AuditEntry } from "../../../src/contract/admin.ts";
import { ApiError } from "../api/client.ts";
import { monoColumn, PagedTable, usePaged } from "../components/DataTable.tsx";
import { ErrorView } from "../components/ErrorResult.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { useDepartments } from "../reference.ts";

interface Filters {
  actor?: string;
  action?: string;
}

const RESULT_COLOR: Record<string, string> = { ok: "green", denied: "red", failed: "orange" };

/** 审计日志: who did what, when, from where — read only, newest first. */
export default function Audit() {
  const { t, label, lang } = useI18n();
  const departments = useDepartments();
  const [filters, setFilters] = useState<Filters>({});
  const list = usePaged<AuditEntry>("/audit", { ...filters }, { size: 50, sizes: [20, 50, 100, 200] });

  const columns = useMemo<ColumnsType<AuditEntry>>(
    () => [
      { title: t("audit.at"), dataIndex: "at", width: 170, render: (v: string) => formatDateTime(lang, v) },
      { title: t("audit.actor"), dataIndex: "actor", width: 130 },
      { title: t("audit.role"), dataIndex: "role", width: 150, render: (v: string) => label("role", v) },
      {
        title: t("audit.department"),
        dataIndex: "department",
        width: 150,
        ellipsis: true,
        render: (v: string | null) => departments.name(v),
      },
      monoColumn(t("audit.action"), "action", 200),
      { title: t("audit.target"), dataIndex: "object", ellipsis: true },
      {
        title: t("audit.outcome"),
        dataIndex: "result",
        width: 80,
        render: (v: string) => <Tag color={RESULT_COLOR[v] ?? "default"}>{label("auditResult", v)}</Tag>,
      },
      {
        title: t("audit.ip"),
        dataIndex: "ip",
        width: 130,
        render: (v: string | null) => <span className="mono">{v}</span>,
      },
    ],
    [t, label, lang, departments],
  );

  if (list.error instanceof ApiError && list.error.status === 403) return <ErrorView error={list.error} />;

  return (
    <>
      <PageHeader title={t("audit.title")} sub={t("audit.sub")} testId="page-audit" />
      <Card
        size="small"
        title={
          <Form<Filters>
            layout="inline"
            onFinish={(v) => {
              list.first();
              setFilters({ actor: v.actor?.trim() || undefined, action: v.action?.trim() || undefined });
            }}
          >
            <Form.Item name="actor" label={t("audit.actor")} style={{ marginBottom: 0 }}>
              <Input
                allowClear
                placeholder={t("audit.actorPlaceholder")}
                maxLength={64}
                data-testid="audit-actor"
              />
            </Form.Item>
            <Form.Item name="action" label={t("audit.action")} style={{ marginBottom: 0 }}>
              <Input
                allowClear
                placeholder={t("audit.actionPlaceholder")}
                maxLength={64}
                data-testid="audit-action"
              />
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t("common.search")}
              </Button>
            </Space>
          </Form>
        }
      >
        <PagedTable<AuditEntry> list={list} testId="audit-table" columns={columns} scroll={{ x: 1200 }} />
      </Card>
    </>
  );
}
