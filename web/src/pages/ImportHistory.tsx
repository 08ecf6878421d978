import { Card, Form, Select } from "antd";
import { useState } from "react";
import { useAuth } from "../auth.tsx";
import { BatchTable } from "../components/BatchTable.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { useI18n } from "../i18n.ts";
import { useDepartments } from "../reference.ts";

/** 导入记录: every import batch, filterable by department (fixed to the user's own when they have one). */
export default function ImportHistory() {
  const { t, pick } = useI18n();
  const { session } = useAuth();
  const departments = useDepartments();
  const me = session?.user;
  const seesAll = me?.role === "city_admin" || me?.role === "security_admin" || me?.role === "auditor";
  const fixed = seesAll ? undefined : (me?.department ?? undefined);
  const [department, setDepartment] = useState<string | undefined>(fixed);
  return (
    <>
      <PageHeader title={t("import.history")} sub={t("import.historySub")} testId="page-imports" />
      <Card
        size="small"
        title={
          <Form layout="inline">
            <Form.Item
              label={t("batch.department")}
              htmlFor="imports-filter-department"
              style={{ marginBottom: 0 }}
            >
              <Select
                id="imports-filter-department"
                style={{ width: 240 }}
                allowClear={!fixed}
                disabled={!!fixed}
                value={department}
                onChange={setDepartment}
                placeholder={t("common.all")}
                showSearch={{ optionFilterProp: "label" }}
                data-testid="imports-filter-department"
                options={departments.list.map((d) => ({ value: d.code, label: pick(d.zh, d.en) }))}
              />
            </Form.Item>
          </Form>
        }
      >
        <BatchTable department={department} testId="imports-table" />
      </Card>
    </>
  );
}
