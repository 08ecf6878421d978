import { DownloadOutlined } from "@ant-design/icons";
import { Alert, Button, Table, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import { ApiError, api, apiUrl, errorText } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { ImportBatch, Page } from "../api/types.ts";
import { formatDateTime, useI18n } from "../i18n.ts";
import { useDepartments } from "../reference.ts";
import { BatchStatusTag } from "./Tags.tsx";

export function rejectsUrl(batchId: string): string {
  return apiUrl(`/imports/${encodeURIComponent(batchId)}/rejects`);
}

/** Import batches, newest first, paged on the server. `refreshKey` changing loads the first page again. */
export function BatchTable(props: { department?: string; refreshKey?: number; testId?: string }) {
  const { t, label, lang } = useI18n();
  const departments = useDepartments();
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(10);
  const { data, error, loading, reload } = useApi(
    (signal) =>
      api.get<Page<ImportBatch>>(
        "/imports",
        { department: props.department, limit: size, offset: (page - 1) * size },
        signal,
      ),
    [page, size, props.department, props.refreshKey],
  );

  const columns = useMemo<ColumnsType<ImportBatch>>(
    () => [
      {
        title: t("batch.startedAt"),
        dataIndex: "started_at",
        width: 170,
        render: (v: string) => formatDateTime(lang, v),
      },
      {
        title: t("batch.fileName"),
        dataIndex: "file_name",
        ellipsis: true,
        render: (v: string | null, b) => (
          <Tooltip title={`${t("batch.id")}: ${b.id}`}>
            <span>{v || <Typography.Text type="secondary">{b.id}</Typography.Text>}</span>
          </Tooltip>
        ),
      },
      {
        title: t("batch.department"),
        dataIndex: "department",
        width: 150,
        ellipsis: true,
        render: (v: string | null) => departments.name(v),
      },
      { title: t("batch.submitter"), dataIndex: "submitter", width: 110, ellipsis: true },
      {
        title: t("batch.channel"),
        dataIndex: "channel",
        width: 80,
        render: (v: string) => label("channel", v),
      },
      {
        title: t("batch.status"),
        dataIndex: "status",
        width: 90,
        render: (v: string) => <BatchStatusTag value={v} />,
      },
      { title: t("import.accepted"), dataIndex: "accepted", width: 80, align: "right" },
      { title: t("import.duplicates"), dataIndex: "duplicates", width: 90, align: "right" },
      { title: t("import.versions"), dataIndex: "versions", width: 80, align: "right" },
      {
        title: t("import.rejected"),
        dataIndex: "rejected",
        width: 80,
        align: "right",
        render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v),
      },
      {
        title: t("common.actions"),
        key: "actions",
        width: 130,
        fixed: "right",
        render: (_: unknown, b) =>
          b.rejected > 0 && b.rejects_file ? (
            <a href={rejectsUrl(b.id)} download data-testid="batch-rejects-download">
              <DownloadOutlined /> {t("import.downloadRejects")}
            </a>
          ) : null,
      },
    ],
    [t, label, lang, departments],
  );

  if (error instanceof ApiError && error.status === 403) return null;

  return (
    <div data-testid={props.testId ?? "batch-table"}>
      {error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={errorText(error, lang, t("common.loadFailed"), t("common.networkError"))}
          action={
            <Button size="small" onClick={reload}>
              {t("common.retry")}
            </Button>
          }
        />
      ) : null}
      <Table<ImportBatch>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        scroll={{ x: 1200 }}
        pagination={{
          current: page,
          pageSize: size,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (n) => t("common.total", { n }),
          onChange: (p, s) => {
            setPage(s !== size ? 1 : p);
            setSize(s);
          },
        }}
      />
    </div>
  );
}
