import { Button, type ButtonProps, Form, Input, Select, Space, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import type { User } from "../../../src/contract/admin.ts";
import type { Agency } from "../../../src/contract/ratings.ts";
import { invalidate } from "../api/cache.ts";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { Page } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { ConfirmLink, useAction } from "../components/Actions.tsx";
import { useLocalPagination } from "../components/DataTable.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { FormDrawer, FormModal, useFormSubmit, useRules } from "../components/Forms.tsx";
import { ListPage } from "../components/ListPage.tsx";
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
  const action = useAction();
  const scales = useRatingScales();
  const manage = can("agencies.manage");
  const [editing, setEditing] = useState<Agency | "new">();
  const [binding, setBinding] = useState<Agency>();
  const loaded = useApi((signal) => api.get<Agency[]>("/agencies", undefined, signal), []);

  const changed = () => {
    invalidate("agencies");
    loaded.reload();
  };

  const setStatus = (a: Agency, status: "active" | "suspended") =>
    action(
      () => api.patch(`/agencies/${encodeURIComponent(a.code)}`, { status }),
      t(status === "active" ? "agency.reactivated" : "agency.suspended"),
      changed,
    );

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
                  <ConfirmLink
                    title={t("agency.suspendConfirm", { name: a.name })}
                    description={t("agency.suspendHint")}
                    onConfirm={() => setStatus(a, "suspended")}
                    danger
                    testId="agency-suspend"
                  >
                    {t("agency.suspend")}
                  </ConfirmLink>
                ) : (
                  <ConfirmLink
                    title={t("agency.reactivateConfirm", { name: a.name })}
                    onConfirm={() => setStatus(a, "active")}
                    testId="agency-reactivate"
                  >
                    {t("agency.reactivate")}
                  </ConfirmLink>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <ListPage<Agency>
      title={t("agency.title")}
      sub={t("agency.sub")}
      testId="page-agencies"
      create={
        manage && { label: t("agency.create"), testId: "agency-create", onClick: () => setEditing("new") }
      }
      table={{
        loaded,
        testId: "agency-table",
        rowKey: "code",
        columns,
        dataSource: Array.isArray(loaded.data) ? loaded.data : [],
        scroll: { x: 1150 },
        pagination: useLocalPagination(20),
      }}
    >
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
    </ListPage>
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
  const rules = useRules();
  const isNew = props.agency === "new";
  const existing = props.agency !== "new" ? props.agency : undefined;
  const submitter = useFormSubmit<AgencyForm>(AGENCY_FIELDS, async (v) => {
    if (isNew) await api.post("/agencies", v);
    else if (existing) {
      const { code: _code, ...patch } = v;
      await api.patch(`/agencies/${encodeURIComponent(existing.code)}`, patch);
    }
    message.success(t("common.saved"));
    props.onSaved();
  });

  const required = (field: string) => [rules.required(field, false)];
  return (
    <FormDrawer<AgencyForm>
      open={props.agency !== undefined}
      onClose={props.onClose}
      size={520}
      title={isNew ? t("agency.create") : t("agency.editTitle")}
      submitter={submitter}
      buttons="extra"
      saveTestId="agency-save"
      initialValues={existing}
      testId="agency-form"
    >
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
        rules={[rules.select(t("agency.scale"))]}
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
    </FormDrawer>
  );
}

/** Binds a user of role `agency` to the agency (a user bound elsewhere moves). */
function BindModal(props: { agency: Agency | undefined; onClose: () => void; onBound: () => void }) {
  const { t } = useI18n();
  const message = useMessage();
  const rules = useRules();
  const [q, setQ] = useState("");
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

  const submitter = useFormSubmit<{ username: string }>(["username"], async (v) => {
    if (!props.agency) return;
    await api.post(`/agencies/${encodeURIComponent(props.agency.code)}/members`, v);
    message.success(t("agency.bound", { user: v.username, agency: props.agency.name }));
    props.onBound();
  });

  return (
    <FormModal
      open={open}
      title={props.agency ? t("agency.bindTitle", { name: props.agency.name }) : ""}
      onClose={props.onClose}
      submitter={submitter}
      okText={t("agency.bind")}
      okButtonProps={{ "data-testid": "agency-bind-submit" } as ButtonProps}
      intro={<Typography.Paragraph type="secondary">{t("agency.bindHint")}</Typography.Paragraph>}
    >
      <Form.Item name="username" label={t("agency.user")} rules={[rules.select(t("agency.user"))]}>
        <Select
          showSearch={{ filterOption: false, onSearch: (v) => setQ(v.trim()) }}
          loading={users.loading}
          options={options}
          notFoundContent={users.loading ? undefined : t("agency.noAgencyUsers")}
          data-testid="agency-bind-user"
        />
      </Form.Item>
    </FormModal>
  );
}
