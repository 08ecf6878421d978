import { Card, Descriptions, Empty, Space, Table, Tabs, Tag, Typography } from "antd";
import { useMemo } from "react";
import type { ListItem, MeasureLists, MeasureListView } from "../../../src/contract/measures.ts";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import { GRADES, type Grade } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { ErrorView } from "../components/ErrorResult.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { PageLoading } from "../components/PageLoading.tsx";
import { GradeTag } from "../evaluation/grades.tsx";
import { useI18n } from "../i18n.ts";
import { MeasureText } from "../measures/components.tsx";
import { useDepartments } from "../reference.ts";

/** 监管措施清单: the lists in force by department — items, legal basis, and the measures for each grade. */
export default function Measures() {
  const { t } = useI18n();
  const { session } = useAuth();
  const departments = useDepartments();
  const { data, error, loading, reload } = useApi(
    (signal) => api.get<MeasureLists>("/measures", undefined, signal),
    [],
  );
  if (loading && !data) return <PageLoading />;
  if (error) return <ErrorView error={error} onRetry={reload} />;
  if (!data) return null;
  const own = data.lists.find((l) => l.department === session?.user.department);
  return (
    <>
      <PageHeader title={t("measures.title")} sub={t("measures.sub")} testId="page-measures" />
      {data.lists.length === 0 ? (
        <Card>
          <Empty description={t("measures.noLists")} />
        </Card>
      ) : (
        <Card size="small">
          <Tabs
            defaultActiveKey={own?.department ?? data.lists[0]?.department}
            data-testid="measures-tabs"
            items={data.lists.map((l) => ({
              key: l.department,
              label: (
                <span data-testid={`measures-tab-${l.department}`}>
                  {departments.name(l.department)}
                  {l.appliesTo === "all_departments" ? (
                    <Tag style={{ marginInlineStart: 6 }}>{t("measures.general")}</Tag>
                  ) : null}
                </span>
              ),
              children: <ListView list={l} data={data} />,
            }))}
          />
        </Card>
      )}
    </>
  );
}

function ListView({ list, data }: { list: MeasureListView; data: MeasureLists }) {
  const { t, pick } = useI18n();
  return (
    <Space orientation="vertical" size={16} style={{ width: "100%" }} data-testid="measures-list">
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        title={pick(list.title.zh, list.title.en)}
        items={[
          {
            key: "version",
            label: t("measures.versionLabel"),
            children: t("measures.version", { v: list.version }),
          },
          {
            key: "effective",
            label: t("measures.effective"),
            children: list.effectiveTo
              ? t("measures.effectiveRange", { from: list.effectiveFrom, to: list.effectiveTo })
              : t("measures.effectiveFrom", { from: list.effectiveFrom }),
          },
          {
            key: "applies",
            label: t("measures.appliesTo"),
            children: t(list.appliesTo === "all_departments" ? "measures.general" : "measures.ownDepartment"),
          },
          {
            key: "digest",
            label: t("measures.digest"),
            children: (
              <Typography.Text className="mono" copyable={{ text: list.digest }}>
                {list.digest.slice(0, 16)}…
              </Typography.Text>
            ),
          },
          { key: "source", label: t("measures.source"), span: 2, children: list.source },
        ]}
      />
      {list.items.map((item) => (
        <ItemCard key={item.id} item={item} list={list} data={data} />
      ))}
    </Space>
  );
}

function ItemCard({ item, list, data }: { item: ListItem; list: MeasureListView; data: MeasureLists }) {
  const { t, pick } = useI18n();
  const scenario = data.scenarios.find((s) => s.id === item.scenario);
  const byId = useMemo(() => new Map(list.measures.map((m) => [m.id, m])), [list]);
  const rows = GRADES.map((g) => ({ grade: g, ids: item.perGrade?.[g] ?? [] }));
  return (
    <Card
      size="small"
      type="inner"
      data-testid="measures-item"
      data-item={item.id}
      title={
        <Space>
          <span>{pick(item.zh, item.en)}</span>
          <Tag color="blue">{scenario ? pick(scenario.zh, scenario.en) : item.scenario}</Tag>
        </Space>
      }
    >
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 12 }}
        items={[
          { key: "basis", label: t("measures.legalBasis"), children: item.legalBasis },
          {
            key: "model",
            label: t("measures.model"),
            children: (
              <span>
                {pick(item.modelTitle.zh, item.modelTitle.en)}
                {item.modelKind === "industry" ? (
                  <Typography.Text type="secondary">（{t("measures.modelFallback")}）</Typography.Text>
                ) : null}
              </span>
            ),
          },
        ]}
      />
      <Table<{ grade: Grade; ids: string[] }>
        rowKey="grade"
        size="small"
        pagination={false}
        dataSource={rows}
        columns={[
          {
            title: t("measures.grade"),
            dataIndex: "grade",
            width: 150,
            render: (g: string) => <GradeTag grade={g} />,
          },
          {
            title: t("measures.measures"),
            key: "measures",
            render: (_, r) =>
              r.ids.length === 0 ? (
                <Typography.Text type="secondary">{t("measures.none")}</Typography.Text>
              ) : (
                <Space orientation="vertical" size={4}>
                  {r.ids.map((id) => {
                    const m = byId.get(id);
                    return m ? <MeasureText key={id} m={m} /> : <span key={id}>{id}</span>;
                  })}
                </Space>
              ),
          },
        ]}
      />
    </Card>
  );
}
