/**
 * On the grade card: what the evaluation takes from outside the platform — the market rating in force (the
 * rating as the agency gave it and its score on 0–1000) and other systems' grades (纳税信用, 企业信用风险分类 …),
 * each original beside the unified A–E grade and the dated rule that mapped it; the earlier ones on request.
 */
import { Alert, Collapse, Descriptions, Skeleton, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { ReactNode } from "react";
import type { ExternalGrades as External } from "../../../src/contract/ratings.ts";
import { api, errorText } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import { useI18n } from "../i18n.ts";
import { useOtherGradeColumns } from "../ratings/columns.tsx";
import { useAgencies, useRatingScales } from "../ratings/reference.ts";

type GradeRow = External["otherGrades"][number];

export function ExternalGrades({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const agencies = useAgencies();
  const scales = useRatingScales();
  const { data, error } = useApi(
    (signal) => api.get<External>(`/subjects/${encodeURIComponent(code)}/external-grades`, undefined, signal),
    [code],
  );

  const gradeColumns = useOtherGradeColumns<GradeRow>("external-original");

  let body: ReactNode;
  if (error) {
    body = (
      <Alert
        type="warning"
        showIcon
        title={errorText(error, lang, t("common.loadFailed"), t("common.networkError"))}
      />
    );
  } else if (!data) {
    body = <Skeleton active paragraph={{ rows: 2 }} />;
  } else {
    const r = data.marketRating;
    const history = data.history.ratings.length + data.history.grades.length;
    body = (
      <>
        <Typography.Text type="secondary">{t("external.rating")}</Typography.Text>
        {r ? (
          <Descriptions
            size="small"
            style={{ margin: "8px 0 16px" }}
            column={{ xs: 1, md: 2, xl: 3 }}
            data-testid="external-rating"
            items={[
              { key: "agency", label: t("rating.agency"), children: agencies.name(r.agency) },
              {
                key: "rating",
                label: t("rating.rating"),
                children: (
                  <Space size={6}>
                    <Tag color="blue" data-testid="external-rating-value">
                      {r.rating}
                    </Tag>
                    <Typography.Text type="secondary">{scales.name(r.scale)}</Typography.Text>
                  </Space>
                ),
              },
              {
                key: "score",
                label: t("rating.score"),
                children: (
                  <Space size={6}>
                    <b>{r.score}</b>
                    <Typography.Text type="secondary" className="mono">
                      {r.rule}
                    </Typography.Text>
                  </Space>
                ),
              },
              { key: "date", label: t("rating.date"), children: r.ratingDate },
              { key: "valid", label: t("rating.validUntil"), children: r.validUntil },
            ]}
          />
        ) : (
          <div style={{ margin: "4px 0 16px" }}>
            <Typography.Text type="secondary" data-testid="external-no-rating">
              {t("external.noRating")}
            </Typography.Text>
          </div>
        )}
        <Typography.Text type="secondary">{t("external.grades")}</Typography.Text>
        {data.otherGrades.length > 0 ? (
          <Table<GradeRow>
            size="small"
            style={{ marginTop: 8 }}
            rowKey="source"
            pagination={false}
            columns={gradeColumns}
            dataSource={data.otherGrades}
            scroll={{ x: 900 }}
            data-testid="external-grades-table"
          />
        ) : (
          <div style={{ marginTop: 4 }}>
            <Typography.Text type="secondary" data-testid="external-no-grades">
              {t("external.noGrades")}
            </Typography.Text>
          </div>
        )}
        {history > 0 ? (
          <Collapse
            ghost
            size="small"
            style={{ marginTop: 8 }}
            items={[
              {
                key: "history",
                label: t("external.history", { n: history }),
                children: (
                  <>
                    {data.history.ratings.length > 0 ? (
                      <Table
                        size="small"
                        rowKey="id"
                        pagination={data.history.ratings.length > 5 ? { pageSize: 5, size: "small" } : false}
                        dataSource={data.history.ratings}
                        columns={[
                          {
                            title: t("rating.agency"),
                            dataIndex: "agencyCode",
                            render: (v: string) => agencies.name(v),
                          },
                          { title: t("rating.rating"), dataIndex: "rating", width: 90 },
                          { title: t("rating.score"), dataIndex: "score", width: 90, align: "right" },
                          { title: t("rating.date"), dataIndex: "ratingDate", width: 110 },
                          { title: t("rating.validUntil"), dataIndex: "validUntil", width: 120 },
                        ]}
                      />
                    ) : null}
                    {data.history.grades.length > 0 ? (
                      <Table
                        size="small"
                        rowKey="id"
                        style={{ marginTop: 8 }}
                        pagination={data.history.grades.length > 5 ? { pageSize: 5, size: "small" } : false}
                        dataSource={data.history.grades}
                        columns={gradeColumns as ColumnsType<External["history"]["grades"][number]>}
                      />
                    ) : null}
                  </>
                ),
              },
            ]}
          />
        ) : null}
      </>
    );
  }

  return (
    <div data-testid="external-grades" className="grade-section">
      <Typography.Title level={5} className="grade-section-title">
        {t("external.title")}{" "}
        <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: "normal" }}>
          {t("external.hint")}
        </Typography.Text>
      </Typography.Title>
      {body}
    </div>
  );
}
