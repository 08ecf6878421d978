import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Select, Space, Tabs, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { InspectionPlan, InspectionStats } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { monoColumn, PagedTable, usePaged } from "../components/DataTable.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { usePlanColumns } from "../inspections/common.tsx";
import { StatsChart } from "../inspections/StatsChart.tsx";
import { useDepartments } from "../reference.ts";

/** 抽查计划: the department's plans (the city office sees all), and 分级有效性 over all of them. */
export default function InspectionPlans() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "stats" ? "stats" : "plans";
  return (
    <>
      <PageHeader
        title={t("insp.plans.title")}
        sub={t("insp.plans.sub")}
        testId="page-inspection-plans"
        extra={
          can("inspections.manage") ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate("/inspection-plans/new")}
              data-testid="plan-create"
            >
              {t("insp.plans.create")}
            </Button>
          ) : null
        }
      />
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams(k === "stats" ? { tab: "stats" } : {}, { replace: true })}
          items={[
            { key: "plans", label: t("insp.plans.list"), children: <PlanList /> },
            {
              key: "stats",
              label: <span data-testid="tab-effectiveness">{t("insp.stats.title")}</span>,
              children: <Effectiveness />,
            },
          ]}
        />
      </Card>
    </>
  );
}

function PlanList() {
  const { t, lang } = useI18n();
  const plan = usePlanColumns<InspectionPlan>(140);
  const plans = usePaged<InspectionPlan>("/inspection-plans");
  const columns = useMemo<ColumnsType<InspectionPlan>>(
    () => [
      {
        title: t("insp.plan.title"),
        dataIndex: "title",
        width: 280,
        render: (v: string, p) => (
          <Link to={`/inspection-plans/${encodeURIComponent(p.id)}`} data-testid="plan-link">
            {v}
          </Link>
        ),
      },
      monoColumn(t("insp.plan.id"), "id", 200),
      ...plan.head,
      {
        title: t("insp.plan.items"),
        key: "items",
        width: 240,
        ellipsis: true,
        render: (_, p) => p.settings.items.join("；"),
      },
      {
        title: t("insp.plan.poolSize"),
        dataIndex: "poolSize",
        width: 90,
        align: "right",
        render: (v: number | null) => (v === null ? "—" : v.toLocaleString()),
      },
      ...plan.times,
      {
        title: t("insp.plan.created"),
        key: "created",
        width: 190,
        render: (_, p) => (
          <Space orientation="vertical" size={0}>
            <span>{p.createdBy}</span>
            <Typography.Text type="secondary">{formatDateTime(lang, p.createdAt)}</Typography.Text>
          </Space>
        ),
      },
    ],
    [t, lang, plan],
  );
  return (
    <PagedTable<InspectionPlan>
      list={plans}
      testId="plan-table"
      columns={columns}
      scroll={{ x: 1600 }}
      onRow={(p) => ({ "data-testid": "plan-row", "data-plan": p.id }) as object}
    />
  );
}

/** 分级有效性: problems found per grade over all plans of the department (the city office: any or all). */
function Effectiveness() {
  const { t } = useI18n();
  const { session } = useAuth();
  const departments = useDepartments();
  const city = session?.user.role === "city_admin";
  const [department, setDepartment] = useState<string>();
  const stats = useApi(
    (signal) => api.get<InspectionStats>("/inspection-stats", { department }, signal),
    [department],
  );
  return (
    <Space orientation="vertical" size={12} style={{ width: "100%" }}>
      <Space wrap>
        <Typography.Text type="secondary">{t("insp.stats.sub")}</Typography.Text>
        {city ? (
          <Select
            allowClear
            style={{ minWidth: 200 }}
            placeholder={t("insp.stats.allDepartments")}
            value={department}
            onChange={setDepartment}
            options={departments.list.map((d) => ({ value: d.code, label: departments.name(d.code) }))}
          />
        ) : null}
      </Space>
      <StatsChart strata={stats.data?.strata} loading={stats.loading} testId="effectiveness-chart" />
    </Space>
  );
}
