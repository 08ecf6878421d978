import { PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Tag,
  Typography,
} from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import type { ApiToken, IssuedApiToken } from "../../../src/contract/admin.ts";
import { ApiError, api, errorText } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import { TOKEN_SCOPES } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { CheckboxGroup } from "../components/CheckboxGroup.tsx";
import { DataTable } from "../components/DataTable.tsx";
import { ErrorView } from "../components/ErrorResult.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { useServerErrors } from "../components/ServerErrors.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { useDepartments } from "../reference.ts";

interface TokenForm {
  name: string;
  department?: string;
  scopes: string[];
  expiresInDays: number;
}

/** Longest validity the policy allows (policy/security.yaml tokens.max_days); the server has the last word. */
const MAX_DAYS = 366;

function tokenState(tk: ApiToken): "revoked" | "expired" | "valid" {
  if (tk.revokedAt) return "revoked";
  if (tk.expiresAt && new Date(tk.expiresAt).getTime() < Date.now()) return "expired";
  return "valid";
}

/** 接口令牌: tokens for departments' business systems; the secret is shown once, at creation. */
export default function Tokens() {
  const { t, label, lang } = useI18n();
  const message = useMessage();
  const departments = useDepartments();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<IssuedApiToken>();
  const loaded = useApi((signal) => api.get<ApiToken[]>("/tokens", undefined, signal), []);
  const { data, error, reload } = loaded;

  const revoke = async (tk: ApiToken) => {
    try {
      await api.post(`/tokens/${tk.id}/revoke`);
      message.success(t("token.revoked"));
      reload();
    } catch (e) {
      message.error(errorText(e, lang, t("common.unknownError"), t("common.networkError")));
    }
  };

  const columns: ColumnsType<ApiToken> = [
    { title: t("token.name"), dataIndex: "name", render: (v: string) => <b>{v}</b> },
    {
      title: t("token.department"),
      dataIndex: "department",
      width: 160,
      render: (v: string | null) => departments.name(v),
    },
    {
      title: t("token.scopes"),
      dataIndex: "scopes",
      render: (v: string[]) => (
        <Space size={[4, 4]} wrap>
          {(v ?? []).map((s) => (
            <Tag key={s}>{label("scope", s)}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t("token.status"),
      key: "status",
      width: 90,
      render: (_: unknown, tk) => {
        const s = tokenState(tk);
        return (
          <Tag color={s === "valid" ? "green" : s === "expired" ? "orange" : "default"}>
            {t(`token.${s}`)}
          </Tag>
        );
      },
    },
    {
      title: t("token.createdAt"),
      dataIndex: "createdAt",
      width: 170,
      render: (v: string) => formatDateTime(lang, v),
    },
    {
      title: t("token.expiresAt"),
      dataIndex: "expiresAt",
      width: 170,
      render: (v: string | null) => formatDateTime(lang, v),
    },
    {
      title: t("token.lastUsed"),
      dataIndex: "lastUsedAt",
      width: 170,
      render: (v: string | null) =>
        v ? formatDateTime(lang, v) : <Typography.Text type="secondary">{t("token.never")}</Typography.Text>,
    },
    {
      title: t("common.actions"),
      key: "actions",
      width: 90,
      fixed: "right",
      render: (_: unknown, tk) =>
        tokenState(tk) === "revoked" ? null : (
          <Popconfirm title={t("token.revokeConfirm")} onConfirm={() => revoke(tk)}>
            <Button type="link" size="small" danger data-testid="token-revoke">
              {t("token.revoke")}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  if (error instanceof ApiError && error.status === 403) return <ErrorView error={error} />;

  return (
    <>
      <PageHeader
        title={t("token.title")}
        sub={t("token.sub")}
        testId="page-tokens"
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="token-create"
          >
            {t("token.create")}
          </Button>
        }
      />
      <Card size="small">
        <DataTable<ApiToken>
          loaded={loaded}
          testId="token-table"
          rowKey="id"
          columns={columns}
          dataSource={Array.isArray(data) ? data : []}
          scroll={{ x: 1100 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t("common.total", { n }) }}
        />
      </Card>
      <CreateTokenModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => {
          setCreating(false);
          setCreated(c);
          reload();
        }}
      />
      <Modal
        open={created !== undefined}
        title={t("token.createdTitle")}
        onCancel={() => setCreated(undefined)}
        footer={
          <Button type="primary" onClick={() => setCreated(undefined)} data-testid="token-created-close">
            {t("common.close")}
          </Button>
        }
        mask={{ closable: false }}
        destroyOnHidden
      >
        <Alert type="warning" showIcon title={t("token.createdWarning")} style={{ marginBottom: 12 }} />
        <Typography.Paragraph
          className="mono"
          copyable={{ text: created?.token ?? "", tooltips: [t("common.copy"), t("token.copied")] }}
          style={{ background: "#f5f7fa", padding: "8px 12px", borderRadius: 4 }}
          data-testid="token-secret"
        >
          {created?.token}
        </Typography.Paragraph>
        <Typography.Text type="secondary">{t("token.copyHint")}</Typography.Text>
      </Modal>
    </>
  );
}

function CreateTokenModal(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (c: IssuedApiToken) => void;
}) {
  const { t, label, pick } = useI18n();
  const { session } = useAuth();
  const departments = useDepartments();
  const [form] = Form.useForm<TokenForm>();
  const errors = useServerErrors(form, ["name", "department", "scopes", "expiresInDays"]);
  const [busy, setBusy] = useState(false);
  // Only the city credit office issues tokens for other departments.
  const me = session?.user;
  const fixedDepartment = me?.role !== "city_admin" ? (me?.department ?? undefined) : undefined;

  const submit = async (v: TokenForm) => {
    setBusy(true);
    errors.clear();
    try {
      const c = await api.post<IssuedApiToken>("/tokens", {
        name: v.name.trim(),
        department: fixedDepartment ?? v.department,
        scopes: v.scopes,
        expiresInDays: v.expiresInDays,
      });
      props.onCreated(c);
    } catch (e) {
      errors.report(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={t("token.create")}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      destroyOnHidden
      afterClose={errors.clear}
    >
      {errors.alert}
      <Form<TokenForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        initialValues={{
          department: fixedDepartment ?? me?.department ?? undefined,
          scopes: ["records.submit", "imports.read"],
          expiresInDays: 180,
        }}
        data-testid="token-form"
      >
        <Form.Item
          name="name"
          label={t("token.name")}
          rules={[
            { required: true, whitespace: true, message: t("common.required", { field: t("token.name") }) },
          ]}
        >
          <Input maxLength={64} data-testid="token-form-name" />
        </Form.Item>
        <Form.Item
          name="department"
          label={t("token.department")}
          rules={[{ required: true, message: t("common.select", { field: t("token.department") }) }]}
        >
          <Select
            disabled={!!fixedDepartment}
            showSearch={{ optionFilterProp: "label" }}
            data-testid="token-form-department"
            options={departments.list.map((d) => ({ value: d.code, label: pick(d.zh, d.en) }))}
          />
        </Form.Item>
        <Form.Item
          name="scopes"
          label={t("token.scopes")}
          extra={t("token.scopeHint")}
          rules={[
            {
              required: true,
              type: "array",
              min: 1,
              message: t("common.select", { field: t("token.scopes") }),
            },
          ]}
        >
          <CheckboxGroup
            data-testid="token-form-scopes"
            options={TOKEN_SCOPES.map((s) => ({ value: s, label: label("scope", s) }))}
          />
        </Form.Item>
        <Form.Item
          name="expiresInDays"
          label={t("token.expiresInDays")}
          rules={[{ required: true, message: t("common.required", { field: t("token.expiresInDays") }) }]}
        >
          <InputNumber
            min={1}
            max={MAX_DAYS}
            precision={0}
            style={{ width: 160 }}
            data-testid="token-form-days"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
