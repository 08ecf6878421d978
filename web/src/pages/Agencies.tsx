import { PlusOutlined } from "@ant-design/icons";
import {
  Button,
  Card,
  Drawer,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useState } from "react";
import type { User } from "../../../src/contract/admin.ts";
import type { Agency } from "../../../src/contract/ratings.ts";
import { invalidate } from "../api/cache.ts";
import { ApiError, api, errorText } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { Page } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { DataTable } from "../components/DataTable.tsx";
import { ErrorView } from "../components/ErrorResult.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { useServerErrors } from "../components/ServerErrors.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { useRatingScales } from "../ratings/reference.ts";

export function AgencyStatusTag({ value }: { value: string }) {
  const { label } = useI18n();
  return (
    <Tag color={value === "active" ? "green" : "orange"} data-testid="agency-status" data-status={value}>
      {label("agencyStatus", value)}
    </Tag>
  );
}

/**
 * 信用服务机构: the register of third-party credit agencies whose ratings count in the evaluation. The city
 * credit office registers an agency, suspends or reactivates it (a suspended agency's ratings stop counting at
 * once) and binds the agency users who submit for it; other government roles read the register.
 */
export default function Agencies() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const message = useMessage();
  const scales = useRatingScales();
  const manage = can("agencies.manage");
  const [editing, setEditing] = useState<Agency | "new">();
  const [binding, setBinding] = useState<Agency>();
  const loaded = useApi((signal) => api.get<Agency[]>("/agencies", undefined, signal), []);

  const changed = () => {
    invalidate("agencies");
    loaded.reload();
  };

  const setStatus = async (a: Agency, status: "active" | "suspended") => {
    try {
      await api.patch(`/agencies/${encodeURIComponent(a.code)}`, { status });
      message.success(t(status === "active" ? "agency.reactivated" : "agency.suspended"));
      changed();
    } catch (e) {
      message.error(errorText(e, lang, t("common.unknownError"), t("common.networkError")));
    }
  };

  const columns: ColumnsType<Agency> = [
    {
      title: t("agency.code"),
      dataIndex: "code",
      width: 110,
      fixed: "left",
      render: (v: string) => <b className="mono">{v}</b>,
    },
    { title: t("agency.name"), dataIndex: "name", width: 200 },
    { title: t("agency.qualification"), dataIndex: "qualification", ellipsis: true },
    {
      title: t("agency.scale"),
      dataIndex: "scale",
      width: 180,
      render: (v: string) => (
        <Tooltip title={v}>
          <span>{scales.name(v)}</span>
        </Tooltip>
      ),
    },
    {
      title: t("agency.status"),
      dataIndex: "status",
      width: 90,
      render: (v: string) => <AgencyStatusTag value={v} />,
    },
    ...(manage
      ? [
          {
            title: t("agency.members"),
            key: "members",
            width: 150,
            render: (_: unknown, a: Agency) =>
              a.members?.length ? (
                <Space size={[4, 4]} wrap>
                  {a.members.map((m) => (
                    <Tooltip
                      key={m.username}
                      title={t("agency.boundBy", { by: m.boundBy, at: formatDateTime(lang, m.boundAt) })}
                    >
                      <Tag data-testid="agency-member">{m.username}</Tag>
                    </Tooltip>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t("agency.noMembers")}</Typography.Text>
              ),
          },
        ]
      : []),
    {
      title: t("agency.updatedAt"),
      dataIndex: "updatedAt",
      width: 160,
      render: (v: string) => formatDateTime(lang, v),
    },
    ...(manage
      ? [
          {
            title: t("common.actions"),
            key: "actions",
            width: 190,
            fixed: "right" as const,
            render: (_: unknown, a: Agency) => (
              <Space size={0} wrap>
                <Button type="link" size="small" onClick={() => setEditing(a)} data-testid="agency-edit">
                  {t("common.edit")}
                </Button>
                <Button type="link" size="small" onClick={() => setBinding(a)} data-testid="agency-bind">
                  {t("agency.bind")}
                </Button>
                {a.status === "active" ? (
                  <Popconfirm
                    title={t("agency.suspendConfirm", { name: a.name })}
                    description={t("agency.suspendHint")}
                    onConfirm={() => setStatus(a, "suspended")}
                  >
                    <Button type="link" size="small" danger data-testid="agency-suspend">
                      {t("agency.suspend")}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Popconfirm
                    title={t("agency.reactivateConfirm", { name: a.name })}
                    onConfirm={() => setStatus(a, "active")}
                  >
                    <Button type="link" size="small" data-testid="agency-reactivate">
                      {t("agency.reactivate")}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  if (loaded.error instanceof ApiError && loaded.error.status === 403)
    return <ErrorView error={loaded.error} />;

  return (
    <>
      <PageHeader
        title={t("agency.title")}
        sub={t("agency.sub")}
        testId="page-agencies"
        extra={
          manage ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing("new")}
              data-testid="agency-create"
            >
              {t("agency.create")}
            </Button>
          ) : null
        }
      />
      <Card size="small">
        <DataTable<Agency>
          loaded={loaded}
          testId="agency-table"
          rowKey="code"
          columns={columns}
          dataSource={Array.isArray(loaded.data) ? loaded.data : []}
          scroll={{ x: 1150 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => t("common.total", { n }) }}
        />
      </Card>
      {manage ? (
        <>
          <AgencyDrawer
            agency={editing}
            onClose={() => setEditing(undefined)}
            onSaved={() => {
              setEditing(undefined);
              changed();
            }}
          />
          <BindModal
            agency={binding}
            onClose={() => setBinding(undefined)}
            onBound={() => {
              setBinding(undefined);
              changed();
            }}
          />
        </>
      ) : null}
    </>
  );
}

interface AgencyForm {
  code: string;
  name: string;
  qualification: string;
  scale: string;
}

const AGENCY_FIELDS = ["code", "name", "qualification", "scale"] as const;

function AgencyDrawer(props: {
  agency: Agency | "new" | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, pick } = useI18n();
  const message = useMessage();
  const scales = useRatingScales();
  const [form] = Form.useForm<AgencyForm>();
  const errors = useServerErrors(form, AGENCY_FIELDS);
  const [saving, setSaving] = useState(false);
  const isNew = props.agency === "new";
  const open = props.agency !== undefined;

  useEffect(() => {
    if (!open) return;
    errors.clear();
    form.resetFields();
    if (props.agency && props.agency !== "new") form.setFieldsValue(props.agency);
  }, [open, props.agency, form, errors.clear]);

  const save = async (v: AgencyForm) => {
    setSaving(true);
    errors.clear();
    try {
      if (isNew) await api.post("/agencies", v);
      else if (props.agency && props.agency !== "new") {
        const { code: _code, ...patch } = v;
        await api.patch(`/agencies/${encodeURIComponent(props.agency.code)}`, patch);
      }
      message.success(t("common.saved"));
      props.onSaved();
    } catch (e) {
      errors.report(e);
    } finally {
      setSaving(false);
    }
  };

  const required = (field: string) => [{ required: true, message: t("common.required", { field }) }];
  return (
    <Drawer
      open={open}
      onClose={props.onClose}
      size={520}
      destroyOnHidden
      title={isNew ? t("agency.create") : t("agency.editTitle")}
      extra={
        <Space>
          <Button onClick={props.onClose}>{t("common.cancel")}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="agency-save">
            {t("common.save")}
          </Button>
        </Space>
      }
    >
      {errors.alert}
      <Form<AgencyForm> form={form} layout="vertical" onFinish={save} data-testid="agency-form">
        <Form.Item
          name="code"
          label={t("agency.code")}
          rules={required(t("agency.code"))}
          extra={t("agency.codeHint")}
        >
          <Input maxLength={32} disabled={!isNew} className="mono" data-testid="agency-code" />
        </Form.Item>
        <Form.Item name="name" label={t("agency.name")} rules={required(t("agency.name"))}>
          <Input maxLength={128} data-testid="agency-name" />
        </Form.Item>
        <Form.Item
          name="qualification"
          label={t("agency.qualification")}
          rules={required(t("agency.qualification"))}
          extra={t("agency.qualificationHint")}
        >
          <Input.TextArea maxLength={500} rows={2} data-testid="agency-qualification" />
        </Form.Item>
        <Form.Item
          name="scale"
          label={t("agency.scale")}
          rules={[{ required: true, message: t("common.select", { field: t("agency.scale") }) }]}
          extra={t("agency.scaleHint")}
        >
          <Select
            data-testid="agency-scale"
            options={scales.list.map((s) => ({
              value: s.id,
              label: `${pick(s.title.zh, s.title.en)}${
                s.kind === "letters" && s.grades ? `（${s.grades.slice(0, 3).join("、")}…）` : ""
              }`,
            }))}
          />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/** Binds a user of role `agency` to the agency (a user bound elsewhere moves). */
function BindModal(props: { agency: Agency | undefined; onClose: () => void; onBound: () => void }) {
  const { t } = useI18n();
  const message = useMessage();
  const [form] = Form.useForm<{ username: string }>();
  const errors = useServerErrors(form, ["username"]);
  const [q, setQ] = useState("");
  const [saving, setSaving] = useState(false);
  const open = props.agency !== undefined;
  // Users of the agency role matching what is typed (the server searches names; the role is filtered here).
  const users = useApi(
    (signal) =>
      open ? api.get<Page<User>>("/users", { q, limit: 100 }, signal) : Promise.resolve(undefined),
    [q, open],
  );
  const options = (users.data?.items ?? [])
    .filter((u) => u.role === "agency")
    .map((u) => ({ value: u.username, label: `${u.username} · ${u.displayName}` }));

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    errors.clear();
  }, [open, form, errors.clear]);

  const bind = async (v: { username: string }) => {
    if (!props.agency) return;
    setSaving(true);
    errors.clear();
    try {
      await api.post(`/agencies/${encodeURIComponent(props.agency.code)}/members`, v);
      message.success(t("agency.bound", { user: v.username, agency: props.agency.name }));
      props.onBound();
    } catch (e) {
      errors.report(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={props.agency ? t("agency.bindTitle", { name: props.agency.name }) : ""}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={t("agency.bind")}
      okButtonProps={{ loading: saving, "data-testid": "agency-bind-submit" }}
      destroyOnHidden
    >
      {errors.alert}
      <Typography.Paragraph type="secondary">{t("agency.bindHint")}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={bind}>
        <Form.Item
          name="username"
          label={t("agency.user")}
          rules={[{ required: true, message: t("common.select", { field: t("agency.user") }) }]}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: (v) => setQ(v.trim()) }}
            loading={users.loading}
            options={options}
            notFoundContent={users.loading ? undefined : t("agency.noAgencyUsers")}
            data-testid="agency-bind-user"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
