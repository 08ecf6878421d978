import { KeyOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, Form, Input, Select, Space, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import type { User } from "../../../src/contract/admin.ts";
import { api } from "../api/client.ts";
import { DEPARTMENT_ROLES, grantableRoles, type Role } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { ConfirmLink, useAction } from "../components/Actions.tsx";
import { usePaged } from "../components/DataTable.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { FormDrawer, FormModal, useFormSubmit, useRules } from "../components/Forms.tsx";
import { ListPage } from "../components/ListPage.tsx";
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
  const action = useAction();
  const departments = useDepartments();
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  const [editing, setEditing] = useState<User | "new">();
  const [resetting, setResetting] = useState<User>();

  const list = usePaged<User>("/users", { q: query });
  const { reload } = list;

  const setStatus = (u: User, status: "active" | "disabled") =>
    action(() => api.patch(`/users/${u.id}`, { status }), t("common.saved"), reload);

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
            <ConfirmLink
              title={t("user.disableConfirm", { name: u.username })}
              onConfirm={() => setStatus(u, "disabled")}
              danger
              testId="user-disable"
            >
              {t("user.disable")}
            </ConfirmLink>
          ) : (
            <ConfirmLink
              title={t("user.enableConfirm", { name: u.username })}
              onConfirm={() => setStatus(u, "active")}
              testId="user-enable"
            >
              {t("user.enable")}
            </ConfirmLink>
          )}
          <Button type="link" size="small" onClick={() => setResetting(u)} data-testid="user-reset-password">
            {t("user.resetPassword")}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <ListPage<User>
      title={t("user.title")}
      sub={t("user.sub")}
      testId="page-users"
      create={{ label: t("user.create"), testId: "user-create", onClick: () => setEditing("new") }}
      cardTitle={
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
      table={{
        loaded: list,
        testId: "user-table",
        rowKey: "id",
        columns,
        dataSource: list.data?.items ?? [],
        scroll: { x: 1200 },
        pagination: list.pagination,
      }}
    >
      <UserDrawer
        user={editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          reload();
        }}
      />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(undefined)} />
    </ListPage>
  );
}

function UserDrawer(props: { user: User | "new" | undefined; onClose: () => void; onSaved: () => void }) {
  const { t, label, pick } = useI18n();
  const message = useMessage();
  const { session } = useAuth();
  const departments = useDepartments();
  const rules = useRules();
  const submitter = useFormSubmit<UserForm>(USER_FIELDS, (v) => save(v));
  const role = Form.useWatch("role", submitter.form);
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

  const save = async (v: UserForm) => {
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
  };

  return (
    <FormDrawer<UserForm>
      open={props.user !== undefined}
      onClose={props.onClose}
      size={480}
      title={isNew ? t("user.create") : t("user.edit")}
      submitter={submitter}
      saveTestId="user-form-submit"
      initialValues={initial}
      testId="user-form"
    >
      <Form.Item
        name="username"
        label={t("user.username")}
        extra={isNew ? t("user.usernameRule") : undefined}
        rules={[
          rules.required(t("user.username")),
          { pattern: /^[A-Za-z0-9_.-]{3,64}$/, message: t("user.usernameRule") },
        ]}
      >
        <Input disabled={!isNew} autoComplete="off" maxLength={64} data-testid="user-form-username" />
      </Form.Item>
      <Form.Item
        name="displayName"
        label={t("user.displayName")}
        rules={[rules.required(t("user.displayName"))]}
      >
        <Input maxLength={64} data-testid="user-form-displayName" />
      </Form.Item>
      <Form.Item name="role" label={t("user.role")} rules={[rules.select(t("user.role"))]}>
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
          rules={[rules.select(t("user.department"))]}
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
          rules={[{ ...rules.required(t("user.subjectCode")), required: isNew }]}
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
          rules={[rules.required(t("user.password"), false)]}
        >
          <Input.Password autoComplete="new-password" maxLength={200} data-testid="user-form-password" />
        </Form.Item>
      ) : null}
    </FormDrawer>
  );
}

function ResetPasswordModal({ user, onClose }: { user: User | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const message = useMessage();
  const rules = useRules();
  const submitter = useFormSubmit<{ password: string }>(["password"], async (v) => {
    if (!user) return;
    await api.patch(`/users/${user.id}`, { password: v.password });
    message.success(t("user.passwordReset"));
    onClose();
  });

  return (
    <FormModal
      open={user !== undefined}
      title={user ? t("user.resetPasswordTitle", { name: user.username }) : ""}
      onClose={onClose}
      submitter={submitter}
      okButtonProps={{ icon: <KeyOutlined />, "data-testid": "reset-password-submit" }}
      testId="reset-password-form"
    >
      <Form.Item
        name="password"
        label={t("user.newPassword")}
        extra={t("password.hint")}
        rules={[rules.required(t("user.newPassword"), false)]}
      >
        <Input.Password autoComplete="new-password" maxLength={200} data-testid="reset-password-input" />
      </Form.Item>
    </FormModal>
  );
}
