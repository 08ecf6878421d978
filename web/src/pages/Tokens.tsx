import { Alert, Button, Form, Input, InputNumber, Modal, Select, Space, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import type { ApiToken, IssuedApiToken } from "../../../src/contract/admin.ts";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import { TOKEN_SCOPES } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { ConfirmLink, useAction } from "../components/Actions.tsx";
import { CheckboxGroup } from "../components/CheckboxGroup.tsx";
import { useLocalPagination } from "../components/DataTable.tsx";
import { FormModal, useFormSubmit, useRules } from "../components/Forms.tsx";
import { ListPage } from "../components/ListPage.tsx";
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
  const action = useAction();
  const departments = useDepartments();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<IssuedApiToken>();
  const loaded = useApi((signal) => api.get<ApiToken[]>("/tokens", undefined, signal), []);
  const { data, reload } = loaded;

  const revoke = (tk: ApiToken) =>
    action(() => api.post(`/tokens/${tk.id}/revoke`), t("token.revoked"), reload);

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
          <ConfirmLink
            title={t("token.revokeConfirm")}
            onConfirm={() => revoke(tk)}
            danger
            testId="token-revoke"
          >
            {t("token.revoke")}
          </ConfirmLink>
        ),
    },
  ];

  return (
    <ListPage<ApiToken>
      title={t("token.title")}
      sub={t("token.sub")}
      testId="page-tokens"
      create={{ label: t("token.create"), testId: "token-create", onClick: () => setCreating(true) }}
      table={{
        loaded,
        testId: "token-table",
        rowKey: "id",
        columns,
        dataSource: Array.isArray(data) ? data : [],
        scroll: { x: 1100 },
        pagination: useLocalPagination(20),
      }}
    >
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
    </ListPage>
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
  const rules = useRules();
  // Only the city credit office issues tokens for other departments.
  const me = session?.user;
  const fixedDepartment = me?.role !== "city_admin" ? (me?.department ?? undefined) : undefined;
  const submitter = useFormSubmit<TokenForm>(["name", "department", "scopes", "expiresInDays"], async (v) => {
    const c = await api.post<IssuedApiToken>("/tokens", {
      name: v.name.trim(),
      department: fixedDepartment ?? v.department,
      scopes: v.scopes,
      expiresInDays: v.expiresInDays,
    });
    props.onCreated(c);
  });

  return (
    <FormModal<TokenForm>
      open={props.open}
      title={t("token.create")}
      onClose={props.onClose}
      submitter={submitter}
      initialValues={{
        department: fixedDepartment ?? me?.department ?? undefined,
        scopes: ["records.submit", "imports.read"],
        expiresInDays: 180,
      }}
      testId="token-form"
    >
      <Form.Item name="name" label={t("token.name")} rules={[rules.required(t("token.name"))]}>
        <Input maxLength={64} data-testid="token-form-name" />
      </Form.Item>
      <Form.Item
        name="department"
        label={t("token.department")}
        rules={[rules.select(t("token.department"))]}
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
        rules={[{ ...rules.select(t("token.scopes")), type: "array", min: 1 }]}
      >
        <CheckboxGroup
          data-testid="token-form-scopes"
          options={TOKEN_SCOPES.map((s) => ({ value: s, label: label("scope", s) }))}
        />
      </Form.Item>
      <Form.Item
        name="expiresInDays"
        label={t("token.expiresInDays")}
        rules={[rules.required(t("token.expiresInDays"), false)]}
      >
        <InputNumber
          min={1}
          max={MAX_DAYS}
          precision={0}
          style={{ width: 160 }}
          data-testid="token-form-days"
        />
      </Form.Item>
    </FormModal>
  );
}
