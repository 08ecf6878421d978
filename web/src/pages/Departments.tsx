import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Form, Input, Modal } from "antd";
import { useState } from "react";
import type { Department } from "../../../src/contract/admin.ts";
import { invalidate } from "../api/cache.ts";
import { ApiError, api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import { DataTable } from "../components/DataTable.tsx";
import { ErrorView } from "../components/ErrorResult.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { useServerErrors } from "../components/ServerErrors.tsx";
import { useI18n } from "../i18n.ts";

/** What the form edits: the code (new departments only) and the two names. */
type DepartmentForm = Pick<Department, "code" | "nameZh" | "nameEn">;

/** 部门管理: the departments that submit credit information. */
export default function Departments() {
  const { t } = useI18n();
  const [editing, setEditing] = useState<Department | "new">();
  const loaded = useApi((signal) => api.get<Department[]>("/departments", undefined, signal), []);
  const { data, error, reload } = loaded;

  if (error instanceof ApiError && error.status === 403) return <ErrorView error={error} />;

  return (
    <>
      <PageHeader
        title={t("dept.title")}
        sub={t("dept.sub")}
        testId="page-departments"
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing("new")}
            data-testid="dept-create"
          >
            {t("dept.create")}
          </Button>
        }
      />
      <Card size="small">
        <DataTable<Department>
          loaded={loaded}
          testId="dept-table"
          rowKey="code"
          dataSource={Array.isArray(data) ? data : []}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t("common.total", { n }) }}
          columns={[
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
          ]}
        />
      </Card>
      <DepartmentModal
        department={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          invalidate("departments");
          reload();
        }}
      />
    </>
  );
}

function DepartmentModal(props: {
  department: Department | "new" | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const message = useMessage();
  const [form] = Form.useForm<DepartmentForm>();
  const errors = useServerErrors(form, ["code", "nameZh", "nameEn"]);
  const [busy, setBusy] = useState(false);
  const isNew = props.department === "new";
  const existing = props.department !== "new" ? props.department : undefined;

  const submit = async (v: DepartmentForm) => {
    setBusy(true);
    errors.clear();
    try {
      const body = { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim() };
      if (isNew) await api.post("/departments", { code: v.code.trim().toUpperCase(), ...body });
      else if (existing) await api.patch(`/departments/${encodeURIComponent(existing.code)}`, body);
      message.success(t("common.saved"));
      props.onSaved();
    } catch (e) {
      errors.report(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.department !== undefined}
      title={isNew ? t("dept.create") : t("dept.edit")}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      destroyOnHidden
      afterClose={errors.clear}
    >
      {errors.alert}
      <Form<DepartmentForm>
        form={form}
        layout="vertical"
        initialValues={existing}
        onFinish={submit}
        preserve={false}
        data-testid="dept-form"
      >
        <Form.Item
          name="code"
          label={t("dept.code")}
          extra={isNew ? t("dept.codeRule") : undefined}
          rules={[
            { required: true, message: t("common.required", { field: t("dept.code") }) },
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
        <Form.Item
          name="nameZh"
          label={t("dept.nameZh")}
          rules={[
            { required: true, whitespace: true, message: t("common.required", { field: t("dept.nameZh") }) },
          ]}
        >
          <Input maxLength={64} data-testid="dept-form-name-zh" />
        </Form.Item>
        <Form.Item
          name="nameEn"
          label={t("dept.nameEn")}
          rules={[
            { required: true, whitespace: true, message: t("common.required", { field: t("dept.nameEn") }) },
          ]}
        >
          <Input maxLength={128} data-testid="dept-form-name-en" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
