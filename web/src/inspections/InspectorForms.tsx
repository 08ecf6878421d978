/** Add or edit an inspector (department administrators), and declare a conflict of interest (回避). */
import { Button, type ButtonProps, Drawer, Form, Input, Modal, Select, Space } from "antd";
import { useEffect, useState } from "react";
import type { Inspector } from "../../../src/contract/inspections.ts";
import { api } from "../api/client.ts";
import { useAuth } from "../auth.tsx";
import { useServerErrors } from "../components/ServerErrors.tsx";
import { useI18n } from "../i18n.ts";
import { useDepartments } from "../reference.ts";

interface InspectorForm {
  id: string;
  department?: string;
  name: string;
  certificateNo: string;
  qualifications: string[];
  username?: string | null;
}

const FIELDS = ["id", "department", "name", "certificateNo", "qualifications", "username"] as const;

export function InspectorDrawer(props: {
  editing: Inspector | "new" | undefined;
  qualifications: string[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { session } = useAuth();
  const departments = useDepartments();
  const [form] = Form.useForm<InspectorForm>();
  const errors = useServerErrors(form, FIELDS, { testId: "inspector-error" });
  const [busy, setBusy] = useState(false);
  const existing = props.editing === "new" ? undefined : props.editing;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new target starts a new form
  useEffect(() => {
    errors.clear();
    form.resetFields();
    if (existing)
      form.setFieldsValue({
        id: existing.id,
        name: existing.name,
        certificateNo: existing.certificateNo,
        qualifications: existing.qualifications,
        username: existing.username,
      });
  }, [props.editing]);

  const submit = async (v: InspectorForm) => {
    setBusy(true);
    errors.clear();
    try {
      const username = v.username?.trim() || null;
      if (existing)
        await api.patch(`/inspectors/${encodeURIComponent(existing.id)}`, {
          name: v.name,
          certificateNo: v.certificateNo,
          qualifications: v.qualifications ?? [],
          username,
        });
      else
        await api.post("/inspectors", {
          id: v.id.trim(),
          ...(v.department ? { department: v.department } : {}),
          name: v.name,
          certificateNo: v.certificateNo,
          qualifications: v.qualifications ?? [],
          username,
        });
      props.onSaved();
    } catch (e) {
      errors.report(e);
    } finally {
      setBusy(false);
    }
  };

  const required = (field: string) => ({
    required: true,
    whitespace: true,
    message: t("common.required", { field }),
  });
  return (
    <Drawer
      open={props.editing !== undefined}
      onClose={props.onClose}
      size={480}
      destroyOnHidden
      title={existing ? t("insp.inspector.edit") : t("insp.inspector.add")}
      data-testid="inspector-drawer"
    >
      {errors.alert}
      <Form<InspectorForm> form={form} layout="vertical" onFinish={submit} data-testid="inspector-form">
        <Form.Item
          name="id"
          label={t("insp.inspector.id")}
          extra={t("insp.inspector.idHint")}
          rules={[
            required(t("insp.inspector.id")),
            { pattern: /^[A-Za-z0-9-]{2,32}$/, message: t("insp.inspector.idRule") },
          ]}
        >
          <Input disabled={existing !== undefined} className="mono" data-testid="inspector-id" />
        </Form.Item>
        {session?.user.role === "city_admin" && !existing ? (
          <Form.Item name="department" label={t("insp.plan.department")}>
            <Select
              options={departments.list.map((d) => ({ value: d.code, label: departments.name(d.code) }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item name="name" label={t("insp.inspector.name")} rules={[required(t("insp.inspector.name"))]}>
          <Input maxLength={50} data-testid="inspector-name" />
        </Form.Item>
        <Form.Item
          name="certificateNo"
          label={t("insp.inspector.certificate")}
          rules={[required(t("insp.inspector.certificate"))]}
        >
          <Input maxLength={50} className="mono" data-testid="inspector-certificate" />
        </Form.Item>
        <Form.Item name="qualifications" label={t("insp.inspector.qualifications")}>
          <Select
            mode="tags"
            options={props.qualifications.map((q) => ({ value: q, label: q }))}
            data-testid="inspector-qualifications"
          />
        </Form.Item>
        <Form.Item
          name="username"
          label={t("insp.inspector.account")}
          extra={t("insp.inspector.accountHint")}
        >
          <Input allowClear maxLength={64} data-testid="inspector-username" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="inspector-submit">
            {t("common.save")}
          </Button>
          <Button onClick={props.onClose}>{t("common.cancel")}</Button>
        </Space>
      </Form>
    </Drawer>
  );
}

interface ConflictForm {
  subjectCode: string;
  reason: string;
}

export function ConflictModal(props: {
  inspector: Inspector | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<ConflictForm>();
  const errors = useServerErrors(form, ["subjectCode", "reason"], { testId: "conflict-error" });
  const [busy, setBusy] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new inspector starts a new form
  useEffect(() => {
    errors.clear();
    form.resetFields();
  }, [props.inspector?.id]);
  const submit = async (v: ConflictForm) => {
    if (!props.inspector) return;
    setBusy(true);
    errors.clear();
    try {
      await api.post(`/inspectors/${encodeURIComponent(props.inspector.id)}/conflicts`, {
        subjectCode: v.subjectCode.trim(),
        reason: v.reason.trim(),
      });
      props.onSaved();
    } catch (e) {
      errors.report(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={props.inspector !== undefined}
      onCancel={props.onClose}
      title={t("insp.conflict.title", { name: props.inspector?.name ?? "" })}
      okText={t("insp.conflict.submit")}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ "data-testid": "conflict-submit" } as ButtonProps}
    >
      {errors.alert}
      <Form<ConflictForm> form={form} layout="vertical" onFinish={submit} data-testid="conflict-form">
        <Form.Item
          name="subjectCode"
          label={t("insp.conflict.subject")}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t("common.required", { field: t("insp.conflict.subject") }),
            },
          ]}
        >
          <Input maxLength={32} className="mono" placeholder={t("check.subjectPlaceholder")} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("insp.conflict.reason")}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t("common.required", { field: t("insp.conflict.reason") }),
            },
          ]}
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder={t("insp.conflict.reasonPlaceholder")}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
