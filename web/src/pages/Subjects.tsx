import { ReloadOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, Card, Form, Input, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useMemo } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import type { Subject } from "../../../src/contract/subjects.ts";
import { SUBJECT_STATUSES, SUBJECT_TYPES } from "../../../src/core/reference/subject-types.ts";
import { ApiError, api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { Page } from "../api/types.ts";
import { DataTable } from "../components/DataTable.tsx";
import { ErrorView } from "../components/ErrorResult.tsx";
import { AllSelect, FilterCard, FilterField } from "../components/FilterCard.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { SubjectStatusTag } from "../components/Tags.tsx";
import { useI18n } from "../i18n.ts";
import { useIndustries, useRegions } from "../reference.ts";

interface Filters {
  q?: string;
  region?: string;
  industry?: string;
  type?: string;
  status?: string;
}

const FILTER_KEYS = ["q", "region", "industry", "type", "status"] as const;
const PAGE_SIZES = [10, 20, 50, 100];
const EMPTY: Filters = {
  q: undefined,
  region: undefined,
  industry: undefined,
  type: undefined,
  status: undefined,
};

/** 主体查询: filters and paging live in the address, so a search can be bookmarked and Back returns to it. */
export default function Subjects() {
  const { t, label, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [form] = Form.useForm<Filters>();
  const regions = useRegions();
  const industries = useIndustries();

  const page = Math.max(1, Number(params.get("page")) || 1);
  const size = PAGE_SIZES.includes(Number(params.get("size"))) ? Number(params.get("size")) : 20;
  const filters: Filters = Object.fromEntries(
    FILTER_KEYS.map((k) => [k, params.get(k) ?? undefined]).filter(([, v]) => v),
  );

  // The address changed (Back, a link): show its filters in the form.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the address is the source of truth
  useEffect(() => {
    form.setFieldsValue({ ...EMPTY, ...filters });
  }, [params.toString()]);

  const loaded = useApi(
    (signal) =>
      api.get<Page<Subject>>("/subjects", { ...filters, limit: size, offset: (page - 1) * size }, signal),
    [params.toString()],
  );
  const { data, error, reload } = loaded;

  const apply = (next: Filters, nextPage = 1, nextSize = size) => {
    const p = new URLSearchParams();
    for (const k of FILTER_KEYS) {
      const v = next[k]?.trim();
      if (v) p.set(k, v);
    }
    if (nextPage > 1) p.set("page", String(nextPage));
    if (nextSize !== 20) p.set("size", String(nextSize));
    setParams(p);
  };

  const columns = useMemo<ColumnsType<Subject>>(
    () => [
      {
        title: t("subject.codeOrId"),
        dataIndex: "code",
        width: 200,
        render: (code: string, s) => (
          <>
            <Link to={profilePath(s)} className="mono">
              {code}
            </Link>
            {s.masked ? <Tag style={{ marginLeft: 4 }}>{t("subject.masked")}</Tag> : null}
          </>
        ),
      },
      {
        title: t("subject.name"),
        dataIndex: "name",
        width: 300,
        ellipsis: true,
        render: (name: string, s) => (
          <Link to={profilePath(s)} data-testid="subject-link">
            {name}
          </Link>
        ),
      },
      {
        title: t("subject.type"),
        dataIndex: "type",
        width: 120,
        render: (v: string) => label("subjectType", v),
      },
      {
        title: t("subject.region"),
        dataIndex: "region",
        width: 110,
        render: (v: string | null) => regions.name(v),
      },
      {
        title: t("subject.industry"),
        dataIndex: "industrySection",
        width: 200,
        ellipsis: true,
        render: (v: string | null) => industries.sectionName(v),
      },
      {
        title: t("subject.status"),
        dataIndex: "status",
        width: 100,
        render: (v: string) => <SubjectStatusTag value={v} />,
      },
      { title: t("subject.registeredOn"), dataIndex: "registeredOn", width: 110 },
      {
        title: t("subject.capital"),
        dataIndex: "registeredCapital",
        width: 140,
        align: "right",
        render: (v: number | null) =>
          v === null || v === undefined ? "" : v.toLocaleString(lang === "zh" ? "zh-CN" : "en-GB"),
      },
    ],
    [t, label, lang, regions, industries],
  );

  if (error instanceof ApiError && error.status === 403) return <ErrorView error={error} />;

  return (
    <>
      <PageHeader title={t("subject.search.title")} sub={t("subject.search.sub")} testId="page-subjects" />
      <FilterCard<Filters>
        form={form}
        initialValues={filters}
        onFinish={(v) => apply(v)}
        onReset={() => {
          form.setFieldsValue(EMPTY);
          apply({});
        }}
        testId="subject-filters"
        searchTestId="subject-search-submit"
        resetTestId="subject-search-reset"
      >
        <FilterField name="q" label={t("subject.keyword")} wide>
          <Input
            allowClear
            placeholder={t("subject.keywordPlaceholder")}
            maxLength={100}
            data-testid="subject-search-input"
            prefix={<SearchOutlined />}
          />
        </FilterField>
        <FilterField name="region" label={t("subject.region")}>
          <AllSelect data-testid="subject-filter-region" options={regions.options} />
        </FilterField>
        <FilterField name="industry" label={t("subject.industry")}>
          <AllSelect
            showSearch={{ optionFilterProp: "label" }}
            data-testid="subject-filter-industry"
            popupMatchSelectWidth={false}
            options={industries.sectionOptions}
          />
        </FilterField>
        <FilterField name="type" label={t("subject.type")}>
          <AllSelect
            data-testid="subject-filter-type"
            options={SUBJECT_TYPES.map((v) => ({ value: v, label: label("subjectType", v) }))}
          />
        </FilterField>
        <FilterField name="status" label={t("subject.status")}>
          <AllSelect
            data-testid="subject-filter-status"
            options={SUBJECT_STATUSES.map((v) => ({ value: v, label: label("subjectStatus", v) }))}
          />
        </FilterField>
      </FilterCard>
      <Card
        size="small"
        title={data ? t("common.total", { n: data.total.toLocaleString() }) : undefined}
        extra={
          <Tooltip title={t("common.refresh")}>
            <Button type="text" icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.refresh")} />
          </Tooltip>
        }
      >
        <DataTable<Subject>
          loaded={loaded}
          testId="subject-table"
          rowKey="id"
          columns={columns}
          dataSource={data?.items ?? []}
          scroll={{ x: 1280 }}
          rowClassName={() => "clickable-row"}
          onRow={(s) => ({
            onClick: (e) => {
              if ((e.target as HTMLElement).closest("a")) return;
              navigate(profilePath(s));
            },
          })}
          pagination={{
            current: page,
            pageSize: size,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            showTotal: (n) => <Typography.Text type="secondary">{t("common.total", { n })}</Typography.Text>,
            onChange: (p, s) => apply(filters, s !== size ? 1 : p, s),
          }}
        />
      </Card>
    </>
  );
}

/** A natural person's number is masked in lists, so the profile is opened by the subject's id instead. */
function profilePath(s: Subject): string {
  return `/subjects/${encodeURIComponent(s.masked ? `id:${s.id}` : s.code)}`;
}
