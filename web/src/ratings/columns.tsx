/**
 * Pieces the rating and grade lists share: the columns of another system's grade (original beside unified, the
 * rule that mapped it) and the filter bar of a list (a choice, a subject code, search).
 */
import { SearchOutlined } from "@ant-design/icons";
import { Button, Form, Input, Select, Tag, Typography } from "antd";
import type { ColumnType } from "antd/es/table";
import { useMemo } from "react";
import { monoColumn } from "../components/DataTable.tsx";
import { GradeTag } from "../evaluation/grades.tsx";
import { useI18n } from "../i18n.ts";
import { useDepartments } from "../reference.ts";
import { useGradeSources } from "./reference.ts";

interface GradeLike {
  source: string;
  original: string;
  grade: string;
  rule: string;
  department: string;
  gradeDate: string;
  validUntil: string | null;
}

/** The columns of a grade from another system, in order; `testId` marks the original grade's tag. */
export function useOtherGradeColumns<G extends GradeLike>(testId: string): ColumnType<G>[] {
  const { t } = useI18n();
  const sources = useGradeSources();
  const departments = useDepartments();
  return useMemo<ColumnType<G>[]>(
    () => [
      { title: t("grades.source"), dataIndex: "source", width: 170, render: (v: string) => sources.name(v) },
      {
        title: t("grades.original"),
        dataIndex: "original",
        width: 90,
        render: (v: string) => <Tag data-testid={testId}>{v}</Tag>,
      },
      {
        title: t("grades.unified"),
        dataIndex: "grade",
        width: 150,
        render: (v: string) => <GradeTag grade={v} />,
      },
      monoColumn(t("grades.rule"), "rule", 170),
      {
        title: t("grades.department"),
        dataIndex: "department",
        width: 140,
        ellipsis: true,
        render: (v: string) => departments.name(v),
      },
      { title: t("grades.date"), dataIndex: "gradeDate", width: 110 },
      {
        title: t("rating.validUntil"),
        dataIndex: "validUntil",
        width: 120,
        render: (v: string | null) =>
          v ?? <Typography.Text type="secondary">{t("grades.untilNext")}</Typography.Text>,
      },
    ],
    [t, sources, departments, testId],
  );
}

export interface ListFilters {
  /** The chosen agency or grading system. */
  choice?: string;
  subject?: string;
}

/** A list's filter bar: an optional choice (agency, grading system), a subject's code, and search. */
export function ListFilter(props: {
  choice?: { placeholder: string; options: { value: string; label: string }[]; testId: string };
  testPrefix: string;
  onSearch: (f: ListFilters) => void;
}) {
  const { t } = useI18n();
  return (
    <Form<ListFilters>
      layout="inline"
      onFinish={(v) =>
        props.onSearch({ choice: v.choice || undefined, subject: v.subject?.trim() || undefined })
      }
    >
      {props.choice ? (
        <Form.Item name="choice" style={{ marginBottom: 0 }}>
          <Select
            allowClear
            placeholder={props.choice.placeholder}
            aria-label={props.choice.placeholder}
            style={{ width: 200 }}
            data-testid={props.choice.testId}
            options={props.choice.options}
          />
        </Form.Item>
      ) : null}
      <Form.Item name="subject" style={{ marginBottom: 0 }}>
        <Input
          allowClear
          placeholder={t("rating.subjectPlaceholder")}
          aria-label={t("rating.subjectPlaceholder")}
          maxLength={64}
          style={{ width: 220 }}
          data-testid={`${props.testPrefix}-filter-subject`}
        />
      </Form.Item>
      <Button htmlType="submit" icon={<SearchOutlined />} data-testid={`${props.testPrefix}-search`}>
        {t("common.search")}
      </Button>
    </Form>
  );
}
