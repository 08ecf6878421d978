import { Alert, Card, Descriptions, Skeleton, Space, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import type { MarketRating } from "../../../src/contract/ratings.ts";
import { useAuth } from "../auth.tsx";
import { monoColumn, PagedTable, usePaged } from "../components/DataTable.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { chinaToday } from "../dates.ts";
import { formatDateTime, useI18n } from "../i18n.ts";
import { ListFilter, type ListFilters } from "../ratings/columns.tsx";
import { GradeFileImport, GradeImportTable } from "../ratings/GradeFileImport.tsx";
import { useAgencies, useRatingScales } from "../ratings/reference.ts";
import { AgencyStatusTag } from "./Agencies.tsx";

/**
 * 市场评价: third-party credit agencies' ratings (市场信用评价). An agency user sees its agency, uploads a ratings
 * file and reads the outcome, its past imports and the ratings it submitted; government roles read every
 * agency's ratings, by agency or subject.
 */
export default function MarketRatings() {
  const { t } = useI18n();
  const { can } = useAuth();
  return (
    <>
      <PageHeader
        title={t("rating.title")}
        sub={can("ratings.submit") ? t("rating.subAgency") : t("rating.sub")}
        testId="page-ratings"
      />
      {can("ratings.submit") ? <AgencyDesk /> : <RatingsTable withAgency />}
    </>
  );
}

/** The agency user's desk: its agency, the upload, the past imports and its ratings. */
function AgencyDesk() {
  const { t } = useI18n();
  const agencies = useAgencies();
  const scales = useRatingScales();
  const [refresh, setRefresh] = useState(0);
  const own = agencies.list[0];

  return (
    <>
      <Card title={t("rating.myAgency")} style={{ marginBottom: 16 }} data-testid="rating-agency">
        {agencies.error ? (
          <Alert type="error" showIcon title={t("common.loadFailed")} />
        ) : own ? (
          <>
            {own.status !== "active" ? (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title={t("rating.suspended")}
                data-testid="rating-suspended"
              />
            ) : null}
            <Descriptions
              size="small"
              column={{ xs: 1, md: 2, xl: 3 }}
              items={[
                { key: "code", label: t("agency.code"), children: <span className="mono">{own.code}</span> },
                { key: "name", label: t("agency.name"), children: own.name },
                {
                  key: "status",
                  label: t("agency.status"),
                  children: <AgencyStatusTag value={own.status} />,
                },
                { key: "scale", label: t("agency.scale"), children: scales.name(own.scale) },
                { key: "qualification", label: t("agency.qualification"), children: own.qualification },
              ]}
            />
          </>
        ) : agencies.loaded ? (
          <Alert
            type="warning"
            showIcon
            title={t("rating.unbound")}
            description={t("rating.unboundHint")}
            data-testid="rating-unbound"
          />
        ) : (
          <Skeleton active paragraph={{ rows: 1 }} />
        )}
      </Card>
      <GradeFileImport
        path="/ratings/imports"
        testPrefix="ratings-import"
        title={t("rating.import.title")}
        columnsHint={t("rating.import.columns", { scale: own ? scales.name(own.scale) : "" })}
        disabled={own?.status !== "active"}
        onImported={() => setRefresh((n) => n + 1)}
      />
      <Card title={t("import.history")} style={{ marginBottom: 16 }}>
        <GradeImportTable
          kind="ratings"
          refreshKey={refresh}
          sourceName={agencies.name}
          testId="ratings-imports"
        />
      </Card>
      <RatingsTable refresh={refresh} />
    </>
  );
}

/** Ratings as the agencies gave them, with the score on 0–1000 and the mapping used (newest first). */
function RatingsTable({ withAgency, refresh }: { withAgency?: boolean; refresh?: number }) {
  const { t, lang } = useI18n();
  const agencies = useAgencies();
  const scales = useRatingScales();
  const [filters, setFilters] = useState<ListFilters>({});
  const list = usePaged<MarketRating>(
    "/ratings",
    { agency: filters.choice, subject: filters.subject },
    { refresh },
  );
  const today = chinaToday();
  const columns = useMemo<ColumnsType<MarketRating>>(
    () => [
      monoColumn(t("rating.subject"), "subjectCode", 190),
      ...(withAgency
        ? [
            {
              title: t("rating.agency"),
              dataIndex: "agencyCode",
              width: 200,
              ellipsis: true,
              render: (v: string) => agencies.name(v),
            },
          ]
        : []),
      {
        title: t("rating.rating"),
        dataIndex: "rating",
        width: 90,
        render: (v: string) => (
          <Tag color="blue" data-testid="rating-value">
            {v}
          </Tag>
        ),
      },
      { title: t("agency.scale"), dataIndex: "scale", width: 170, render: (v: string) => scales.name(v) },
      { title: t("rating.score"), dataIndex: "score", width: 110, align: "right" },
      monoColumn(t("grades.rule"), "rule", 160),
      { title: t("rating.date"), dataIndex: "ratingDate", width: 110 },
      {
        title: t("rating.validUntil"),
        dataIndex: "validUntil",
        width: 150,
        render: (v: string) => (
          <Space size={4}>
            <span>{v}</span>
            {v < today ? <Tag>{t("rating.expired")}</Tag> : null}
          </Space>
        ),
      },
      { title: t("batch.submitter"), dataIndex: "submittedBy", width: 110, ellipsis: true },
      {
        title: t("rating.submittedAt"),
        dataIndex: "submittedAt",
        width: 170,
        render: (v: string) => formatDateTime(lang, v),
      },
    ],
    [t, lang, agencies, scales, withAgency, today],
  );
  return (
    <Card
      title={withAgency ? t("rating.list") : t("rating.mine")}
      data-testid="ratings-list"
      extra={
        <ListFilter
          testPrefix="ratings"
          onSearch={setFilters}
          choice={
            withAgency
              ? {
                  placeholder: t("rating.agency"),
                  testId: "ratings-filter-agency",
                  options: agencies.list.map((a) => ({ value: a.code, label: `${a.code} ${a.name}` })),
                }
              : undefined
          }
        />
      }
    >
      {withAgency ? (
        <Typography.Paragraph type="secondary">{t("rating.listHint")}</Typography.Paragraph>
      ) : null}
      <PagedTable<MarketRating> list={list} testId="ratings-table" columns={columns} scroll={{ x: 1400 }} />
    </Card>
  );
}
