import { Button, Form, Input } from "antd";
import { useState } from "react";
import type { Department } from "../../../src/contract/admin.ts";
import { invalidate } from "../api/cache.ts";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import { useLocalPagination } from "../components/DataTable.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { FormModal, useFormSubmit, useRules } from "../components/Forms.tsx";
import { ListPage } from "../components/ListPage.tsx";
import { useI18n } from "../i18n.ts";

/** What the form edits: the code (new departments only) and the two names. */
type DepartmentForm = Pick<Department, "code" | "nameZh" | "nameEn">;

/** 部门管理: the departments that submit credit information. */
export default function Departments() {
  const { t } = useI18n();
  const [editing, setEditing] = useState<Department | "new">();
  const loaded = useApi((signal) => api.get<Department[]>("/departments", undefined, signal), []);
  const { data, reload } = loaded;

  return (
    <ListPage<Department>
      title={t("dept.title")}
      sub={t("dept.sub")}
      testId="page-departments"
      create={{ label: t("dept.create"), testId: "dept-create", onClick: () => setEditing("new") }}
      table={{
        loaded,
        testId: "dept-table",
        rowKey: "code",
        dataSource: Array.isArray(data) ? data : [],
        pagination: useLocalPagination(50),
        columns: [
          {
            title: t("dept.code"),
            dataIndex: "code",
            width: 140,
            render: (v: string) => <b className="mono">{v}</b>,
          },
          { title: t("dept.nameZh"), dataIndex: "nameZh" },
          { title: t("dept.nameEn"), dataIndex: "nameEn" },
          {
            title: t("common.actions"),
            key: "actions",
            width: 100,
            render: (_: unknown, d) => (
              <Button type="link" size="small" onClick={() => setEditing(d)} data-testid="dept-edit">
                {t("common.edit")}
              </Button>
            ),
          },
        ],
      }}
    >
      <DepartmentModal
        department={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          invalidate("departments");
          reload();
        }}
      />
    </ListPage>
  );
}

function DepartmentModal(props: {
  department: Department | "new" | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const message = useMessage();
  const rules = useRules();
  const isNew = props.department === "new";
  const existing = props.department !== "new" ? props.department : undefined;
  const submitter = useFormSubmit<DepartmentForm>(["code", "nameZh", "nameEn"], async (v) => {
    const body = { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim() };
    if (isNew) await api.post("/departments", { code: v.code.trim().toUpperCase(), ...body });
    else if (existing) await api.patch(`/departments/${encodeURIComponent(existing.code)}`, body);
    message.success(t("common.saved"));
    props.onSaved();
  });

  return (
    <FormModal<DepartmentForm>
      open={props.department !== undefined}
      title={isNew ? t("dept.create") : t("dept.edit")}
      onClose={props.onClose}
      submitter={submitter}
      initialValues={existing}
      testId="dept-form"
    >
      <Form.Item
        name="code"
        label={t("dept.code")}
        extra={isNew ? t("dept.codeRule") : undefined}
        rules={[
          rules.required(t("dept.code"), false),
          { pattern: /^[A-Za-z]{2,16}$/, message: t("dept.codeRule") },
        ]}
      >
        <Input
          disabled={!isNew}
          maxLength={16}
          style={{ textTransform: "uppercase" }}
          data-testid="dept-form-code"
        />
      </Form.Item>
      <Form.Item name="nameZh" label={t("dept.nameZh")} rules={[rules.required(t("dept.nameZh"))]}>
        <Input maxLength={64} data-testid="dept-form-name-zh" />
      </Form.Item>
      <Form.Item name="nameEn" label={t("dept.nameEn")} rules={[rules.required(t("dept.nameEn"))]}>
        <Input maxLength={128} data-testid="dept-form-name-en" />
      </Form.Item>
    </FormModal>
  );
}
