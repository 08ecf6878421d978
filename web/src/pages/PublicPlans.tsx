import { Card, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo } from "react";
import { Link } from "react-router";
import type { PublicPlanSummary } from "../api/types.ts";
import { DataTable, usePaged } from "../components/DataTable.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { PlanStatusTag, publicPlanPath } from "../inspections/common.tsx";
import { useDepartments } from "../reference.ts";

/** 抽查计划公示: every plan whose pool is frozen, for anyone. */
export default function PublicPlans() {
  const { t, lang } = useI18n();
  const departments = useDepartments();
  const plans = usePaged<PublicPlanSummary>("/public/inspection-plans");
  const columns = useMemo<ColumnsType<PublicPlanSummary>>(
    () => [
      {
        title: t("insp.plan.title"),
        dataIndex: "title",
        width: 300,
        render: (v: string, p) => (
          <Link to={publicPlanPath(p.id)} data-testid="public-plan-link">
            {v}
          </Link>
        ),
      },
      {
        title: t("insp.plan.department"),
        dataIndex: "department",
        width: 150,
        render: (v: string) => departments.name(v),
      },
      {
        title: t("insp.plan.status"),
        dataIndex: "status",
        width: 110,
        render: (v: string) => <PlanStatusTag status={v} />,
      },
      {
        title: t("insp.pool.digest"),
        dataIndex: "poolDigest",
        width: 180,
        render: (v: string | null) => (v ? <span className="mono">{v.slice(0, 16)}…</span> : "—"),
      },
      {
        title: t("insp.commit.title"),
        dataIndex: "seedCommitment",
        width: 200,
        render: (c: PublicPlanSummary["seedCommitment"]) => (
          <span data-testid="public-plan-commitment" data-kind={c?.kind ?? "none"}>
            {c === null
              ? t("insp.commit.none")
              : c.kind === "sha256"
                ? t("insp.commit.kindSha256")
                : `${c.description} · ${c.availableOn}`}
          </span>
        ),
      },
      {
        title: t("insp.plan.frozenAt"),
        dataIndex: "frozenAt",
        width: 170,
        render: (v: string | null) => formatDateTime(lang, v) || "—",
      },
      {
        title: t("insp.plan.drawnAt"),
        dataIndex: "drawnAt",
        width: 170,
        render: (v: string | null) => formatDateTime(lang, v) || "—",
      },
    ],
    [t, lang, departments],
  );
  return (
    <>
      <PageHeader
        title={t("insp.public.listTitle")}
        sub={t("insp.public.listSub")}
        testId="page-public-plans"
      />
      <Card size="small">
        <Typography.Paragraph type="secondary">{t("insp.public.listHint")}</Typography.Paragraph>
        <DataTable<PublicPlanSummary>
          loaded={plans}
          testId="public-plan-table"
          rowKey="id"
          columns={columns}
          dataSource={plans.data?.items ?? []}
          pagination={plans.pagination}
          scroll={{ x: 1280 }}
        />
      </Card>
    </>
  );
}
