import { ExportOutlined, StopOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Modal, Row, Space, Steps, Typography } from "antd";
import { Link, useParams } from "react-router";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { InspectionPlanDetail, InspectionStats, PlanCounts } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { useAction } from "../components/Actions.tsx";
import { ErrorView } from "../components/ErrorResult.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { PageLoading } from "../components/PageLoading.tsx";
import { useI18n } from "../i18n.ts";
import { CountsTable, PlanStatusTag, publicPlanPath } from "../inspections/common.tsx";
import { ask, DrawCard, DrawnTable, FreezeCard, PoolCard, SeedCard } from "../inspections/DrawCards.tsx";
import { PlanParams } from "../inspections/PlanParams.tsx";
import { StatsChart } from "../inspections/StatsChart.tsx";
import { useDepartments } from "../reference.ts";

const STEP_OF: Record<string, number> = { draft: 0, frozen: 1, drawn: 2, closed: 3 };

/** 抽查计划 / 抽取: counts per grade, freeze (digest public), then the seed and the draw, then the results. */
export default function PlanDetail() {
  const { id = "" } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const action = useAction();
  const departments = useDepartments();
  const [modal, holder] = Modal.useModal();
  const path = `/inspection-plans/${encodeURIComponent(id)}`;
  const plan = useApi((signal) => api.get<InspectionPlanDetail>(path, undefined, signal), [path]);
  const version = `${plan.data?.status}`;
  const counts = useApi(
    (signal) => api.get<PlanCounts>(`${path}/preview`, undefined, signal),
    [path, version],
  );
  const drawn = plan.data?.status === "drawn" || plan.data?.status === "closed";
  const stats = useApi(
    (signal) =>
      drawn ? api.get<InspectionStats>(`${path}/stats`, undefined, signal) : Promise.resolve(undefined),
    [path, drawn],
  );

  if (plan.error && !plan.data) return <ErrorView error={plan.error} onRetry={plan.reload} />;
  if (!plan.data) return <PageLoading />;
  const p = plan.data;
  const canManage = can("inspections.manage");

  const close = async () => {
    const confirm = ask(
      modal.confirm,
      t("insp.close.confirmTitle"),
      t("insp.close.confirm"),
      t("insp.close.button"),
      "close-confirm",
    );
    if (await confirm()) await action(() => api.post(`${path}/close`), undefined, plan.reload);
  };

  return (
    <div data-testid="page-plan-detail" data-plan={p.id} data-status={p.status}>
      {holder}
      <PageHeader
        title={
          <Space>
            <span data-testid="plan-title">{p.title}</span>
            <PlanStatusTag status={p.status} />
          </Space>
        }
        sub={t("insp.detail.sub", { id: p.id, department: departments.name(p.department) })}
        extra={
          <Space wrap>
            <Link to="/inspection-plans">
              <Button>{t("common.back")}</Button>
            </Link>
            {p.status !== "draft" ? (
              <Link to={publicPlanPath(p.id)} target="_blank" data-testid="plan-public-link">
                <Button icon={<ExportOutlined />}>{t("insp.public.open")}</Button>
              </Link>
            ) : null}
            {canManage && p.status === "drawn" ? (
              <Button danger icon={<StopOutlined />} onClick={close} data-testid="plan-close">
                {t("insp.close.button")}
              </Button>
            ) : null}
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Steps
          size="small"
          current={STEP_OF[p.status] ?? 0}
          status={p.status === "closed" ? "finish" : "process"}
          items={[
            { title: t("insp.step.define") },
            { title: t("insp.step.freeze") },
            { title: t("insp.step.draw") },
            { title: t("insp.step.results") },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Space orientation="vertical" size={16} style={{ width: "100%" }}>
            {p.status === "draft" ? (
              <FreezeCard plan={p} canManage={canManage} confirm={modal.confirm} onDone={plan.reload} />
            ) : (
              <PoolCard plan={p} />
            )}
            {p.status === "frozen" && canManage ? (
              <SeedCard plan={p} confirm={modal.confirm} onDone={plan.reload} />
            ) : null}
            {p.status === "frozen" && !canManage ? (
              <Alert type="info" showIcon title={t("insp.seed.waiting")} />
            ) : null}
            <DrawCard plan={p} />
          </Space>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t("insp.detail.params")}>
            <PlanParams plan={p} />
          </Card>
        </Col>
        <Col span={24}>
          <Card
            title={t("insp.counts.title")}
            extra={
              <Typography.Text type="secondary">
                {t(p.status === "draft" ? "insp.counts.live" : "insp.counts.frozen")}
              </Typography.Text>
            }
          >
            {counts.error ? <ErrorView error={counts.error} onRetry={counts.reload} /> : null}
            <CountsTable counts={counts.data} loading={counts.loading} />
          </Card>
        </Col>
        {drawn ? (
          <>
            <Col span={24}>
              <DrawnTable plan={p} />
            </Col>
            <Col span={24}>
              <Card title={t("insp.stats.planTitle")}>
                <StatsChart strata={stats.data?.strata} loading={stats.loading} testId="plan-stats-chart" />
              </Card>
            </Col>
          </>
        ) : null}
      </Row>
    </div>
  );
}
