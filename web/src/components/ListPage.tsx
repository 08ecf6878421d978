/**
 * A list page (the admin pages' "CRUD page"): the header with an optional create button, a card holding the
 * table (a filter, if any, as the card's title) and, after it, the page's forms. A load the server refuses (403)
 * shows the 403 page instead.
 */
import { Card } from "antd";
import type { ReactNode } from "react";
import { CreateButton } from "./Actions.tsx";
import { DataTable, type DataTableProps } from "./DataTable.tsx";
import { ErrorView, isForbidden } from "./ErrorResult.tsx";
import { PageHeader } from "./PageHeader.tsx";

export function ListPage<T extends object>(props: {
  title: ReactNode;
  sub: ReactNode;
  testId: string;
  /** The header's create button (none when absent or false). */
  create?: { label: ReactNode; testId: string; onClick: () => void } | false;
  cardTitle?: ReactNode;
  table: DataTableProps<T>;
  /** The page's drawers and modals. */
  children?: ReactNode;
}) {
  const { create, table } = props;
  if (isForbidden(table.loaded.error)) return <ErrorView error={table.loaded.error} />;
  return (
    <>
      <PageHeader
        title={props.title}
        sub={props.sub}
        testId={props.testId}
        extra={
          create ? (
            <CreateButton testId={create.testId} onClick={create.onClick}>
              {create.label}
            </CreateButton>
          ) : null
        }
      />
      <Card size="small" title={props.cardTitle}>
        <DataTable<T> {...table} />
      </Card>
      {props.children}
    </>
  );
}
