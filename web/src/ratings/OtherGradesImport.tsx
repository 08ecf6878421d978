import { Card, Form, Select } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import type { OtherGrade } from "../../../src/contract/ratings.ts";
import { useAuth } from "../auth.tsx";
import { monoColumn, PagedTable, usePaged } from "../components/DataTable.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { useCatalog } from "../reference.ts";
import { ListFilter, type ListFilters, useOtherGradeColumns } from "./columns.tsx";
import { GradeFileImport, GradeImportTable } from "./GradeFileImport.tsx";
import { useGradeSources } from "./reference.ts";

interface GradesForm {
  source?: string;
  department?: string;
}

export default function OtherGradesImport() {
  const { t, pick } = useI18n();
  const { session, can } = useAuth();
  const { catalog } = useCatalog();
  const sources = useGradeSources();
  const me = session?.user;
  const cityOffice = me?.role === "city_admin";
  const [refresh, setRefresh] = useState(0);

  // A department submits the systems it issues (or those open to any department); the city office any.
  const mine = sources.list.filter(
    (s) => cityOffice || !s.departments?.length || (me?.department && s.departments.includes(me.department)),
  );

  return (
    <>
      <GradeFileImport<GradesForm>
        path="/other-grades/imports"
        testPrefix="grades-import"
        title={t("grades.import.title")}
        columnsHint={t("grades.import.columns")}
        initialValues={{ department: me?.department ?? undefined }}
        fieldNames={["source", "department"]}
        queryOf={(v) => ({ source: v.source, department: cityOffice ? v.department : undefined })}
        onImported={() => setRefresh((n) => n + 1)}
        fields={() => (
          <>
            <Form.Item
              name="source"
              label={t("grades.source")}
              rules={[{ required: true, message: t("common.select", { field: t("grades.source") }) }]}
              extra={mine.length === 0 ? t("grades.noSource") : t("grades.sourceHint")}
            >
              <Select
                data-testid="grades-import-source"
                options={mine.map((s) => ({
                  value: s.id,
                  label: `${pick(s.zh, s.en)}${s.departments?.length ? ` · ${s.departments.join("/")}` : ""}`,
                }))}
              />
            </Form.Item>
            {cityOffice ? (
              <Form.Item name="department" label={t("grades.department")} extra={t("grades.departmentHint")}>
                <Select
                  showSearch={{ optionFilterProp: "label" }}
                  data-testid="grades-import-department"
                  options={(catalog?.departments ?? []).map((d) => ({
                    value: d.code,
                    label: pick(d.zh, d.en),
                  }))}
                />
              </Form.Item>
            ) : null}
          </>
        )}
      />
      <Card title={t("import.history")} style={{ marginBottom: 16 }}>
        <GradeImportTable
          kind="grades"
          refreshKey={refresh}
          sourceName={sources.name}
          testId="grades-imports"
        />
      </Card>
      {can("subjects.read") ? <OtherGradesTable refresh={refresh} /> : null}
    </>
  );
}

/** The grades of other systems as submitted: the original grade, the unified one and the rule that mapped it. */
export function OtherGradesTable({ refresh }: { refresh?: number }) {
  const { t, lang } = useI18n();
  const sources = useGradeSources();
  const [filters, setFilters] = useState<ListFilters>({});
  const list = usePaged<OtherGrade>(
    "/other-grades",
    { source: filters.choice, subject: filters.subject },
    { refresh },
  );
  const gradeColumns = useOtherGradeColumns<OtherGrade>("grades-original");
  const columns = useMemo<ColumnsType<OtherGrade>>(
    () => [
      monoColumn(t("rating.subject"), "subjectCode", 190),
      ...gradeColumns,
      {
        title: t("rating.submittedAt"),
        dataIndex: "submittedAt",
        width: 170,
        render: (v: string) => formatDateTime(lang, v),
      },
    ],
    [t, lang, gradeColumns],
  );
  return (
    <Card
      title={t("grades.list")}
      data-testid="grades-list"
      extra={
        <ListFilter
          testPrefix="grades"
          onSearch={setFilters}
          choice={{
            placeholder: t("grades.source"),
            testId: "grades-filter-source",
            options: sources.list.map((s) => ({ value: s.id, label: sources.name(s.id) })),
          }}
        />
      }
    >
      <PagedTable<OtherGrade> list={list} testId="grades-table" columns={columns} scroll={{ x: 1300 }} />
    </Card>
  );
}
