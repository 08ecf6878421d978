import { SearchOutlined } from "@ant-design/icons";
import { Card, Form, Input } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import type { InspectionObject } from "../../../src/contract/inspections.ts";
import { GRADES } from "../api/types.ts";
import { monoColumn, PagedTable, usePaged } from "../components/DataTable.tsx";
import { AllSelect, FilterCard, FilterField } from "../components/FilterCard.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { GradeTag, useGradeLabel } from "../evaluation/grades.tsx";
import { useI18n } from "../i18n.ts";
import { useIndustries, useRegions } from "../reference.ts";

interface Filters {
  q?: string;
  section?: string;
  region?: string;
  grade?: string;
}

/** 检查对象名录库: the subjects random inspections draw from, with their current grade. */
export default function InspectionObjects() {
  const { t, label } = useI18n();
  const gradeLabel = useGradeLabel();
  const regions = useRegions();
  const industries = useIndustries();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const objects = usePaged<InspectionObject>("/inspection-objects", { ...filters });

  const columns = useMemo<ColumnsType<InspectionObject>>(
    () => [
      monoColumn(t("subject.codeOrId"), "code", 190),
      { title: t("subject.name"), dataIndex: "name", width: 250, ellipsis: true },
      {
        title: t("insp.grade"),
        dataIndex: "grade",
        width: 130,
        render: (g: string) => <GradeTag grade={g} />,
      },
      {
        title: t("insp.objects.score"),
        dataIndex: "score",
        width: 70,
        align: "right",
        render: (v: number | null) => v ?? "—",
      },
      {
        title: t("subject.type"),
        dataIndex: "type",
        width: 100,
        render: (v: string) => label("subjectType", v),
      },
      {
        title: t("subject.region"),
        dataIndex: "region",
        width: 90,
        render: (v: string | null) => regions.name(v),
      },
      {
        title: t("subject.industry"),
        dataIndex: "industrySection",
        width: 170,
        ellipsis: true,
        render: (v: string | null) => (v ? `${v} ${industries.sectionName(v)}` : ""),
      },
      {
        title: t("subject.industryDivision"),
        dataIndex: "industryDivision",
        width: 170,
        ellipsis: true,
        render: (v: string | null) => (v ? `${v} ${industries.divisionName(v)}` : ""),
      },
    ],
    [t, label, regions, industries],
  );

  const clean = (v: Filters): Filters =>
    Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === "string" && x.trim())) as Filters;

  return (
    <>
      <PageHeader
        title={t("insp.objects.title")}
        sub={t("insp.objects.sub")}
        testId="page-inspection-objects"
      />
      <FilterCard<Filters>
        form={form}
        onFinish={(v) => setFilters(clean(v))}
        onReset={() => {
          form.resetFields();
          setFilters({});
        }}
        testId="object-filters"
        searchTestId="object-search"
      >
        <FilterField name="q" label={t("subject.keyword")} wide>
          <Input
            allowClear
            maxLength={100}
            placeholder={t("subject.keywordPlaceholder")}
            prefix={<SearchOutlined />}
            data-testid="object-q"
          />
        </FilterField>
        <FilterField name="section" label={t("subject.industry")} xl={5}>
          <AllSelect
            showSearch={{ optionFilterProp: "label" }}
            popupMatchSelectWidth={false}
            options={industries.sectionOptions}
          />
        </FilterField>
        <FilterField name="region" label={t("subject.region")} xl={5}>
          <AllSelect options={regions.options} />
        </FilterField>
        <FilterField name="grade" label={t("insp.grade")} xl={5}>
          <AllSelect
            data-testid="object-grade"
            options={GRADES.map((g) => ({ value: g, label: `${g} ${gradeLabel(g, true)}` }))}
          />
        </FilterField>
      </FilterCard>
      <Card size="small">
        <PagedTable<InspectionObject>
          list={objects}
          testId="object-table"
          rowKey="code"
          columns={columns}
          scroll={{ x: 1170 }}
          onRow={() => ({ "data-testid": "object-row" }) as object}
        />
      </Card>
    </>
  );
}
