import { KeyOutlined, PlusOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, Card, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import type { User } from "../../../src/contract/admin.ts";
import { ApiError, api, errorText } from "../api/client.ts";
import { DEPARTMENT_ROLES, grantableRoles, type Role } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { DataTable, usePaged } from "../components/DataTable.tsx";
import { ErrorView } from "../components/ErrorResult.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { useServerErrors } from "../components/ServerErrors.tsx";
import { UserStatusTag } from "../components/Tags.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { useDepartments } from "../reference.ts";

interface UserForm {
  username: string;
  displayName: string;
  role: string;
  department?: string | null;
  subjectCode?: string | null;
  password?: string;
}

const USER_FIELDS = ["username", "displayName", "role", "department", "subjectCode", "password"] as const;

/** 用户管理: accounts, their role and department; create and edit in a drawer, disable, reset password. */
export default function Users() {
  const { t, label, lang } = useI18n();
  const message = useMessage();
  const departments = useDepartments();
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  const [editing, setEditing] = useState<User | "new">();
  const [resetting, setResetting] = useState<User>();

  const list = usePaged<User>("/users", { q: query });
  const { error, reload } = list;

  const setStatus = async (u: User, status: "active" | "disabled") => {
    try {
      await api.patch(`/users/${u.id}`, { status });
      message.success(t("common.saved"));
      reload();
    } catch (e) {
      message.error(errorText(e, lang, t("common.unknownError"), t("common.networkError")));
    }
  };

  const columns: ColumnsType<User> = [
    { title: t("user.username"), dataIndex: "username", width: 140, render: (v: string) => <b>{v}</b> },
    { title: t("user.displayName"), dataIndex: "displayName", width: 120 },
    { title: t("user.role"), dataIndex: "role", width: 160, render: (v: string) => label("role", v) },
    {
      title: t("user.department"),
      dataIndex: "department",
      ellipsis: true,
      render: (v: string | null) => departments.name(v),
    },
    {
      title: t("user.subjectCode"),
      dataIndex: "subjectCode",
      width: 190,
      render: (v: string | null) => (v ? <span className="mono">{v}</span> : null),
    },
    {
      title: t("user.status"),
      dataIndex: "status",
      width: 90,
      render: (v: string) => <UserStatusTag value={v} />,
    },
    {
      title: t("user.lastLogin"),
      dataIndex: "lastLoginAt",
      width: 170,
      render: (v: string | null) =>
        v ? formatDateTime(lang, v) : <Typography.Text type="secondary">{t("user.never")}</Typography.Text>,
    },
    {
      title: t("common.actions"),
      key: "actions",
      width: 210,
      fixed: "right",
      render: (_: unknown, u) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setEditing(u)} data-testid="user-edit">
            {t("common.edit")}
          </Button>
          {u.status === "active" ? (
            <Popconfirm
              title={t("user.disableConfirm", { name: u.username })}
              onConfirm={() => setStatus(u, "disabled")}
            >
              <Button type="link" size="small" danger data-testid="user-disable">
                {t("user.disable")}
              </Button>
            </Popconfirm>
          ) : (
            <Popconfirm
              title={t("user.enableConfirm", { name: u.username })}
              onConfirm={() => setStatus(u, "active")}
            >
              <Button type="link" size="small" data-testid="user-enable">
                {t("user.enable")}
              </Button>
            </Popconfirm>
          )}
          <Button type="link" size="small" onClick={() => setResetting(u)} data-testid="user-reset-password">
            {t("user.resetPassword")}
          </Button>
        </Space>
      ),
    },
  ];

  if (error instanceof ApiError && error.status === 403) return <ErrorView error={error} />;

  return (
    <>
      <PageHeader
        title={t("user.title")}
        sub={t("user.sub")}
        testId="page-users"
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing("new")}
            data-testid="user-create"
          >
            {t("user.create")}
          </Button>
        }
      />
      <Card
        size="small"
        title={
          <Input.Search
            style={{ maxWidth: 320 }}
            allowClear
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onSearch={(v) => {
              list.first();
              setQuery(v.trim());
            }}
            placeholder={t("user.searchPlaceholder")}
            enterButton={<SearchOutlined />}
            data-testid="user-search-input"
          />
        }
      >
        <DataTable<User>
          loaded={list}
          testId="user-table"
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1200 }}
          pagination={list.pagination}
        />
      </Card>
      <UserDrawer
        user={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          reload();
        }}
      />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(undefined)} />
    </>
  );
}

function UserDrawer(props: { user: User | "new" | undefined; onClose: () => void; onSaved: () => void }) {
  const { t, label, pick } = useI18n();
  const message = useMessage();
  const { session } = useAuth();
  const departments = useDepartments();
  const [form] = Form.useForm<UserForm>();
  const errors = useServerErrors(form, USER_FIELDS);
  const [busy, setBusy] = useState(false);
  const role = Form.useWatch("role", form);
  const isNew = props.user === "new";
  const existing = props.user !== "new" ? props.user : undefined;
  // An administrator of one department manages that department's users only.
  const me = session?.user;
  const fixedDepartment = me?.role === "dept_admin" && me.department ? me.department : undefined;
  const roles = grantableRoles(me?.role);
  const needsDepartment = role ? DEPARTMENT_ROLES.includes(role as Role) : false;

  const initial: Partial<UserForm> = existing
    ? {
        username: existing.username,
        displayName: existing.displayName,
        role: existing.role,
        department: existing.department,
        subjectCode: existing.subjectCode,
      }
    : { department: fixedDepartment };

  const submit = async (v: UserForm) => {
    setBusy(true);
    errors.clear();
    try {
      // Only department roles carry a department here; for other roles it is left as the server has it.
      const department = needsDepartment ? (fixedDepartment ?? v.department ?? undefined) : undefined;
      if (isNew) {
        await api.post("/users", {
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          role: v.role,
          department,
          subjectCode: v.role === "enterprise" ? v.subjectCode?.trim().toUpperCase() || undefined : undefined,
          password: v.password,
        });
      } else if (existing) {
        await api.patch(`/users/${existing.id}`, {
          displayName: v.displayName.trim(),
          role: v.role,
          department,
        });
      }
      message.success(t("common.saved"));
      props.onSaved();
    } catch (e) {
      errors.report(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={props.user !== undefined}
      onClose={props.onClose}
      size={480}
      destroyOnHidden
      title={isNew ? t("user.create") : t("user.edit")}
      afterOpenChange={(open) => {
        if (!open) errors.clear();
      }}
      footer={
        <Space style={{ float: "right" }}>
          <Button onClick={props.onClose}>{t("common.cancel")}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="user-form-submit">
            {t("common.save")}
          </Button>
        </Space>
      }
    >
      {errors.alert}
      <Form<UserForm>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        preserve={false}
        data-testid="user-form"
      >
        <Form.Item
          name="username"
          label={t("user.username")}
          extra={isNew ? t("user.usernameRule") : undefined}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t("common.required", { field: t("user.username") }),
            },
            { pattern: /^[A-Za-z0-9_.-]{3,64}$/, message: t("user.usernameRule") },
          ]}
        >
          <Input disabled={!isNew} autoComplete="off" maxLength={64} data-testid="user-form-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t("user.displayName")}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t("common.required", { field: t("user.displayName") }),
            },
          ]}
        >
          <Input maxLength={64} data-testid="user-form-displayName" />
        </Form.Item>
        <Form.Item
          name="role"
          label={t("user.role")}
          rules={[{ required: true, message: t("common.select", { field: t("user.role") }) }]}
        >
          <Select
            data-testid="user-form-role"
            options={(roles.length ? roles : existing ? [existing.role] : []).map((r) => ({
              value: r,
              label: label("role", r),
            }))}
          />
        </Form.Item>
        {needsDepartment ? (
          <Form.Item
            name="department"
            label={t("user.department")}
            rules={[{ required: true, message: t("common.select", { field: t("user.department") }) }]}
          >
            <Select
              disabled={!!fixedDepartment}
              showSearch={{ optionFilterProp: "label" }}
              data-testid="user-form-department"
              options={departments.list.map((d) => ({ value: d.code, label: pick(d.zh, d.en) }))}
            />
          </Form.Item>
        ) : null}
        {role === "enterprise" ? (
          <Form.Item
            name="subjectCode"
            label={t("user.subjectCode")}
            rules={[
              {
                required: isNew,
                whitespace: true,
                message: t("common.required", { field: t("user.subjectCode") }),
              },
            ]}
          >
            <Input
              disabled={!isNew}
              maxLength={18}
              className="mono"
              style={{ textTransform: "uppercase" }}
              data-testid="user-form-subjectCode"
            />
          </Form.Item>
        ) : null}
        {isNew ? (
          <Form.Item
            name="password"
            label={t("user.password")}
            extra={t("password.hint")}
            rules={[{ required: true, message: t("common.required", { field: t("user.password") }) }]}
          >
            <Input.Password autoComplete="new-password" maxLength={200} data-testid="user-form-password" />
          </Form.Item>
        ) : null}
      </Form>
    </Drawer>
  );
}

function ResetPasswordModal({ user, onClose }: { user: User | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const message = useMessage();
  const [form] = Form.useForm<{ password: string }>();
  const errors = useServerErrors(form, ["password"]);
  const [busy, setBusy] = useState(false);

  const submit = async (v: { password: string }) => {
    if (!user) return;
    setBusy(true);
    errors.clear();
    try {
      await api.patch(`/users/${user.id}`, { password: v.password });
      message.success(t("user.passwordReset"));
      onClose();
    } catch (e) {
      errors.report(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={user !== undefined}
      title={user ? t("user.resetPasswordTitle", { name: user.username }) : ""}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ icon: <KeyOutlined />, "data-testid": "reset-password-submit" }}
    >
      {errors.alert}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        preserve={false}
        data-testid="reset-password-form"
      >
        <Form.Item
          name="password"
          label={t("user.newPassword")}
          extra={t("password.hint")}
          rules={[{ required: true, message: t("common.required", { field: t("user.newPassword") }) }]}
        >
          <Input.Password autoComplete="new-password" maxLength={200} data-testid="reset-password-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
