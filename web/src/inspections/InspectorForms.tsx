/** Add or edit an inspector (department administrators), and declare a conflict of interest (回避). */
import { type ButtonProps, Form, Input, Select } from "antd";
import { useEffect } from "react";
import type { Inspector } from "../../../src/contract/inspections.ts";
import { api } from "../api/client.ts";
import { useAuth } from "../auth.tsx";
import { FormDrawer, FormModal, useFormSubmit, useRules } from "../components/Forms.tsx";
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
  const rules = useRules();
  const existing = props.editing === "new" ? undefined : props.editing;
  const submitter = useFormSubmit<InspectorForm>(FIELDS, (v) => save(v), { testId: "inspector-error" });
  const { form, errors } = submitter;

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

  const save = async (v: InspectorForm) => {
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
  };

  const required = rules.required;
  return (
    <FormDrawer<InspectorForm>
      open={props.editing !== undefined}
      onClose={props.onClose}
      size={480}
      title={existing ? t("insp.inspector.edit") : t("insp.inspector.add")}
      submitter={submitter}
      buttons="end"
      saveTestId="inspector-submit"
      drawerTestId="inspector-drawer"
      testId="inspector-form"
    >
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
      <Form.Item name="username" label={t("insp.inspector.account")} extra={t("insp.inspector.accountHint")}>
        <Input allowClear maxLength={64} data-testid="inspector-username" />
      </Form.Item>
    </FormDrawer>
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
  const rules = useRules();
  const submitter = useFormSubmit<ConflictForm>(
    ["subjectCode", "reason"],
    async (v) => {
      if (!props.inspector) return;
      await api.post(`/inspectors/${encodeURIComponent(props.inspector.id)}/conflicts`, {
        subjectCode: v.subjectCode.trim(),
        reason: v.reason.trim(),
      });
      props.onSaved();
    },
    { testId: "conflict-error" },
  );
  const { form, errors } = submitter;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new inspector starts a new form
  useEffect(() => {
    errors.clear();
    form.resetFields();
  }, [props.inspector?.id]);
  return (
    <FormModal<ConflictForm>
      open={props.inspector !== undefined}
      onClose={props.onClose}
      title={t("insp.conflict.title", { name: props.inspector?.name ?? "" })}
      okText={t("insp.conflict.submit")}
      submitter={submitter}
      okButtonProps={{ "data-testid": "conflict-submit" } as ButtonProps}
      testId="conflict-form"
    >
      <Form.Item
        name="subjectCode"
        label={t("insp.conflict.subject")}
        rules={[rules.required(t("insp.conflict.subject"))]}
      >
        <Input maxLength={32} className="mono" placeholder={t("check.subjectPlaceholder")} />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t("insp.conflict.reason")}
        rules={[rules.required(t("insp.conflict.reason"))]}
      >
        <Input.TextArea
          rows={3}
          maxLength={500}
          showCount
          placeholder={t("insp.conflict.reasonPlaceholder")}
        />
      </Form.Item>
    </FormModal>
  );
}
