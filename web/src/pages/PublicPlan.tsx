import { DownloadOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Descriptions, Row, Space, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { PublicPlan as Plan, PublicDrawn } from "../api/types.ts";
import { PagedTable, usePaged } from "../components/DataTable.tsx";
import { ErrorView } from "../components/ErrorResult.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { PageLoading } from "../components/PageLoading.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import {
  CommitmentView,
  DigestBlock,
  drawnColumns,
  drawTextUrl,
  OutcomeTag,
  PlanStatusTag,
  poolFileUrl,
  RatiosLine,
  VerifyHelp,
} from "../inspections/common.tsx";
import { useDepartments } from "../reference.ts";

type Drawn = PublicDrawn;

/**
 * 抽查计划公示 (一公开): parameters, pool digest, seed commitment, seed, how to verify, and the drawn subjects with
 * their results — a page at a time (a city-wide plan draws tens of thousands), the whole draw as one file.
 */
export default function PublicPlan() {
  const { id = "" } = useParams();
  const { t, lang } = useI18n();
  const departments = useDepartments();
  const plan = useApi(
    (signal) => api.get<Plan>(`/public/inspection-plans/${encodeURIComponent(id)}`, undefined, signal),
    [id],
  );
  const drawn = usePaged<Drawn>(`/public/inspection-plans/${encodeURIComponent(id)}/drawn`, {}, { size: 20 });
  const columns = useMemo<ColumnsType<Drawn>>(
    () => [
      { title: t("insp.task.seq"), dataIndex: "seq", width: 64 },
      {
        title: t("subject.codeOrId"),
        dataIndex: "code",
        width: 200,
        render: (v: string) => (
          <span className="mono" data-testid="public-code">
            {v}
          </span>
        ),
      },
      { title: t("subject.name"), dataIndex: "name", width: 260 },
      ...drawnColumns<Drawn>(t),
      {
        title: t("insp.task.result"),
        key: "result",
        render: (_, d) =>
          d.result ? (
            <Space orientation="vertical" size={0} data-testid="public-result">
              <Space size={4}>
                <OutcomeTag outcome={d.result.outcome} />
                <Typography.Text type="secondary">{d.result.inspectedOn}</Typography.Text>
              </Space>
              {d.result.problems ? <span>{d.result.problems}</span> : null}
            </Space>
          ) : (
            <Typography.Text type="secondary">{t("insp.public.pending")}</Typography.Text>
          ),
      },
    ],
    [t],
  );
  if (plan.error) return <ErrorView error={plan.error} onRetry={plan.reload} />;
  if (!plan.data) return <PageLoading />;
  const p = plan.data;
  return (
    <div data-testid="page-public-plan" data-plan={p.id}>
      <PageHeader
        title={
          <Space>
            <span data-testid="public-title">{p.title}</span>
            <PlanStatusTag status={p.status} />
          </Space>
        }
        sub={t("insp.detail.sub", { id: p.id, department: departments.name(p.department) })}
        extra={
          <Link to="/public/plans">
            <Button>{t("insp.public.all")}</Button>
          </Link>
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t("insp.public.about")} style={{ height: "100%" }}>
            <Descriptions
              size="small"
              bordered
              column={1}
              items={[
                {
                  key: "department",
                  label: t("insp.plan.department"),
                  children: departments.name(p.department),
                },
                { key: "date", label: t("insp.plan.planDate"), children: p.planDate },
                { key: "items", label: t("insp.plan.items"), children: p.items.join("；") },
                {
                  key: "ratios",
                  label: t("insp.plan.ratios"),
                  children: <RatiosLine ratiosBp={p.ratiosBp} />,
                },
                { key: "size", label: t("insp.plan.poolSize"), children: (p.poolSize ?? 0).toLocaleString() },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t("insp.pool.title")} style={{ height: "100%" }}>
            <Typography.Text type="secondary">
              {t("insp.public.frozenAt", { at: formatDateTime(lang, p.frozenAt) })}
            </Typography.Text>
            {p.poolDigest ? <DigestBlock digest={p.poolDigest} testId="public-digest" /> : null}
            <Typography.Text type="secondary">{t("insp.commit.title")}</Typography.Text>
            <CommitmentView commitment={p.seedCommitment} />
            <Button icon={<DownloadOutlined />} href={poolFileUrl(p.id)} data-testid="public-pool-download">
              {t("insp.pool.download", { file: `pool-${p.id}.csv` })}
            </Button>
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t("insp.draw.title")}>
            {p.seed ? (
              <>
                <Descriptions
                  size="small"
                  bordered
                  column={{ xs: 1, md: 3 }}
                  style={{ marginBottom: 16 }}
                  items={[
                    {
                      key: "seed",
                      label: t("insp.plan.seed"),
                      children: (
                        <Typography.Text
                          className="mono"
                          copyable={{ text: p.seed }}
                          data-testid="public-seed"
                        >
                          {p.seed}
                        </Typography.Text>
                      ),
                    },
                    { key: "at", label: t("insp.plan.drawnAt"), children: formatDateTime(lang, p.drawnAt) },
                    { key: "algorithm", label: t("insp.plan.algorithm"), children: p.algorithm },
                  ]}
                />
                <VerifyHelp planId={p.id} seed={p.seed} ratios={p.ratios} commitment={p.seedCommitment} />
                <Space wrap>
                  <Button
                    icon={<DownloadOutlined />}
                    href={drawTextUrl(p.id)}
                    data-testid="public-draw-download"
                  >
                    {t("insp.public.drawDownload", { file: `draw-${p.id}.txt` })}
                  </Button>
                  <Typography.Text type="secondary">{t("insp.public.drawDownloadHint")}</Typography.Text>
                </Space>
              </>
            ) : (
              <Alert type="info" showIcon title={t("insp.public.notDrawn")} data-testid="public-not-drawn" />
            )}
          </Card>
        </Col>
        {p.seed ? (
          <Col span={24}>
            <Card
              title={t("insp.public.drawn", { n: p.drawnCount.random + p.drawnCount.must })}
              extra={<Typography.Text type="secondary">{t("insp.public.drawnHint")}</Typography.Text>}
            >
              <div data-testid="public-drawn">
                <PagedTable<Drawn>
                  list={drawn}
                  testId="public-drawn-table"
                  rowKey="seq"
                  columns={columns}
                  scroll={{ x: 1100 }}
                  onRow={(d) =>
                    ({ "data-testid": "public-row", "data-code": d.code, "data-kind": d.kind }) as object
                  }
                />
              </div>
            </Card>
          </Col>
        ) : null}
      </Row>
    </div>
  );
}
