/**
 * The list pages' one table: the load error with a retry above it, a small Ant Design table in a div that
 * tests find by its test id, and — for lists paged on the server — the page state and the pagination bar.
 */
import { Alert, Button, Table, type TableProps, Typography } from "antd";
import type { ColumnType, TablePaginationConfig } from "antd/es/table";
import { useState } from "react";
import { api, errorText } from "../api/client.ts";
import { type Loaded, useApi } from "../api/hooks.ts";
import type { Page } from "../api/types.ts";
import { useI18n } from "../i18n.ts";

/** A failed load, in the UI language, with a retry button (or nothing when there is no error). */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      title={errorText(error, lang, t("common.loadFailed"), t("common.networkError"))}
      action={
        <Button size="small" onClick={onRetry}>
          {t("common.retry")}
        </Button>
      }
    />
  );
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface Paged<T> extends Loaded<Page<T>> {
  page: number;
  size: number;
  /** Back to the first page (the filters changed). */
  first: () => void;
  pagination: TablePaginationConfig;
}

/**
 * A list paged on the server (`GET path?…&limit&offset` answering `{ items, total }`). A change of `query`
 * (or of `opts.refresh`, which is not sent) starts again at the first page.
 */
export function usePaged<T>(
  path: string,
  query: Query = {},
  opts: { size?: number; sizes?: number[]; refresh?: unknown } = {},
): Paged<T> {
  const { t } = useI18n();
  const key = JSON.stringify([query, opts.refresh ?? null]);
  const [at, setAt] = useState({ key, page: 1 });
  const [size, setSize] = useState(opts.size ?? 20);
  const page = at.key === key ? at.page : 1;
  const loaded = useApi(
    (signal) => api.get<Page<T>>(path, { ...query, limit: size, offset: (page - 1) * size }, signal),
    [path, key, page, size],
  );
  return {
    ...loaded,
    page,
    size,
    first: () => setAt({ key, page: 1 }),
    pagination: {
      current: page,
      pageSize: size,
      total: loaded.data?.total ?? 0,
      showSizeChanger: true,
      ...(opts.sizes ? { pageSizeOptions: opts.sizes } : {}),
      showTotal: (n) => <Typography.Text type="secondary">{t("common.total", { n })}</Typography.Text>,
      onChange: (p, s) => {
        setAt({ key, page: s !== size ? 1 : p });
        setSize(s);
      },
    },
  };
}

export interface DataTableProps<T> extends Omit<TableProps<T>, "loading"> {
  /** The load behind the rows: its error is shown above the table, its `loading` on it. */
  loaded: Pick<Loaded<unknown>, "error" | "loading" | "reload">;
  testId: string;
}

/** The table of a list page (see the module comment); any Ant Design table property passes through. */
export function DataTable<T extends object>({ loaded, testId, ...table }: DataTableProps<T>) {
  return (
    <>
      <LoadError error={loaded.error} onRetry={loaded.reload} />
      <div data-testid={testId}>
        <Table<T> size="small" loading={loaded.loading} {...table} />
      </div>
    </>
  );
}

/**
 * The table of a list paged on the server (`usePaged`): its rows, its load and its pagination bar; rows are
 * keyed by their `id` unless `rowKey` says otherwise.
 */
export function PagedTable<T extends object>({
  list,
  rowKey = "id",
  ...table
}: Omit<DataTableProps<T>, "loaded" | "dataSource" | "pagination"> & { list: Paged<T> }) {
  return (
    <DataTable<T>
      loaded={list}
      rowKey={rowKey}
      dataSource={list.data?.items ?? []}
      pagination={list.pagination}
      {...table}
    />
  );
}

/** The pagination of a list loaded whole: `size` rows a page, the count, no bar when one page holds them all. */
export function useLocalPagination(size: number): TablePaginationConfig {
  const { t } = useI18n();
  return { pageSize: size, hideOnSinglePage: true, showTotal: (n) => t("common.total", { n }) };
}

/** A column of codes (subject codes, ids, rules), in the monospaced face. */
export function monoColumn<T>(title: string, dataIndex: keyof T & string, width: number): ColumnType<T> {
  return { title, dataIndex, width, render: (v: string | null) => <span className="mono">{v}</span> };
}
