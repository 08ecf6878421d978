import { Card, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo } from "react";
import { Link } from "react-router";
import type { PublicPlanSummary } from "../api/types.ts";
import { PagedTable, usePaged } from "../components/DataTable.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { useI18n } from "../i18n.ts";
import { publicPlanPath, usePlanColumns } from "../inspections/common.tsx";

/** 抽查计划公示: every plan whose pool is frozen, for anyone. */
export default function PublicPlans() {
  const { t } = useI18n();
  const plan = usePlanColumns<PublicPlanSummary>(150);
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
      ...plan.head,
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
      ...plan.times,
    ],
    [t, plan],
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
        <PagedTable<PublicPlanSummary>
          list={plans}
          testId="public-plan-table"
          columns={columns}
          scroll={{ x: 1280 }}
        />
      </Card>
    </>
  );
}
