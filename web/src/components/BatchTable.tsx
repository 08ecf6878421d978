import { Tooltip, Typography } from "antd";
import type { ColumnsType, ColumnType } from "antd/es/table";
import { useMemo } from "react";
import type { ImportBatch } from "../../../src/contract/records.ts";
import { ApiError, apiUrl } from "../api/client.ts";
import { formatDateTime, useI18n } from "../i18n.ts";
import { useDepartments } from "../reference.ts";
import { PagedTable, usePaged } from "./DataTable.tsx";
import { RejectsLink } from "./FileImport.tsx";
import { BatchStatusTag } from "./Tags.tsx";

export function rejectsUrl(batchId: string): string {
  return apiUrl(`/imports/${encodeURIComponent(batchId)}/rejects`);
}

/**
 * What every import batch has (credit records, ratings, other systems' grades). The file name and start time
 * are read by column name only (dataIndex `fileName`, `startedAt`), so they are not required here.
 */
export interface BatchLike {
  id: string;
  department: string | null;
  submitter: string;
  channel: string;
  status: string;
  accepted: number;
  rejected: number;
}

/**
 * The columns import batch tables share, by name, for a table to compose in its own order; `rejects` is the
 * download link of a batch's report (undefined: none).
 */
export function useBatchColumns<B extends BatchLike>(rejects: (b: B) => string | undefined, testId: string) {
  const { t, label, lang } = useI18n();
  const departments = useDepartments();
  return useMemo(() => {
    const col = {
      startedAt: {
        title: t("batch.startedAt"),
        dataIndex: "startedAt",
        width: 160,
        render: (v: string) => formatDateTime(lang, v),
      },
      fileName: {
        title: t("batch.fileName"),
        dataIndex: "fileName",
        ellipsis: true,
        render: (v: string | null, b: B) => (
          <Tooltip title={`${t("batch.id")}: ${b.id}`}>
            <span>{v || <Typography.Text type="secondary">{b.id}</Typography.Text>}</span>
          </Tooltip>
        ),
      },
      department: {
        title: t("batch.department"),
        dataIndex: "department",
        width: 130,
        ellipsis: true,
        render: (v: string | null) => departments.name(v),
      },
      submitter: { title: t("batch.submitter"), dataIndex: "submitter", width: 100, ellipsis: true },
      channel: {
        title: t("batch.channel"),
        dataIndex: "channel",
        width: 70,
        render: (v: string) => label("channel", v),
      },
      status: {
        title: t("batch.status"),
        dataIndex: "status",
        width: 80,
        render: (v: string) => <BatchStatusTag value={v} />,
      },
      accepted: { title: t("import.accepted"), dataIndex: "accepted", width: 70, align: "right" },
      rejected: {
        title: t("import.rejected"),
        dataIndex: "rejected",
        width: 70,
        align: "right",
        render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v),
      },
      actions: {
        title: t("common.actions"),
        key: "actions",
        width: 130,
        fixed: "right",
        render: (_: unknown, b: B) => {
          const href = b.rejected > 0 ? rejects(b) : undefined;
          return href ? <RejectsLink href={href} testId={testId} /> : null;
        },
      },
    } satisfies Record<string, ColumnType<B>>;
    return col as Record<keyof typeof col, ColumnType<B>>;
  }, [t, label, lang, departments, rejects, testId]);
}

const recordRejects = (b: ImportBatch) => (b.hasRejects ? rejectsUrl(b.id) : undefined);

/** Import batches, newest first, paged on the server. `refreshKey` changing loads the first page again. */
export function BatchTable(props: { department?: string; refreshKey?: number; testId?: string }) {
  const { t } = useI18n();
  const list = usePaged<ImportBatch>(
    "/imports",
    { department: props.department },
    { size: 10, refresh: props.refreshKey },
  );
  const c = useBatchColumns<ImportBatch>(recordRejects, "batch-rejects-download");
  const columns = useMemo<ColumnsType<ImportBatch>>(
    () => [
      c.startedAt,
      c.fileName,
      c.department,
      c.submitter,
      c.channel,
      c.status,
      c.accepted,
      { title: t("import.duplicates"), dataIndex: "duplicates", width: 80, align: "right" },
      { title: t("import.versions"), dataIndex: "versions", width: 70, align: "right" },
      c.rejected,
      c.actions,
    ],
    [c, t],
  );

  if (list.error instanceof ApiError && list.error.status === 403) return null;

  return (
    <PagedTable<ImportBatch>
      list={list}
      testId={props.testId ?? "batch-table"}
      columns={columns}
      scroll={{ x: 1200 }}
    />
  );
}
