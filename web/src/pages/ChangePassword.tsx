import { LockOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input } from "antd";
import { useState } from "react";
import { useNavigate } from "react-router";
import { api } from "../api/client.ts";
import { useAuth } from "../auth.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { useServerErrors } from "../components/ServerErrors.tsx";
import { useI18n } from "../i18n.ts";

interface PasswordForm {
  current: string;
  next: string;
  confirm: string;
}

/** 修改密码: the server judges strength and names the field at fault (`current` or `next`). */
export default function ChangePassword() {
  const { t } = useI18n();
  const message = useMessage();
  const { session, refresh } = useAuth();
  const navigate = useNavigate();
  const [form] = Form.useForm<PasswordForm>();
  const errors = useServerErrors(form, ["current", "next", "confirm"]);
  const [busy, setBusy] = useState(false);

  const submit = async (v: PasswordForm) => {
    setBusy(true);
    errors.clear();
    try {
      await api.post("/auth/password", { current: v.current, next: v.next });
      message.success(t("password.changed"));
      form.resetFields();
      if (session?.user.mustChangePassword) {
        refresh();
        navigate("/", { replace: true });
      }
    } catch (e) {
      errors.report(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t("password.title")} sub={t("password.sub")} testId="page-password" />
      <Card style={{ maxWidth: 560 }}>
        {session?.user.mustChangePassword ? (
          <Alert
            type="warning"
            showIcon
            title={t("password.mustChange")}
            style={{ marginBottom: 16 }}
            data-testid="password-must-change"
          />
        ) : null}
        {errors.alert}
        <Form<PasswordForm> form={form} layout="vertical" onFinish={submit} data-testid="password-form">
          <Form.Item
            name="current"
            label={t("password.current")}
            rules={[{ required: true, message: t("common.required", { field: t("password.current") }) }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              maxLength={256}
              data-testid="password-current"
            />
          </Form.Item>
          <Form.Item
            name="next"
            label={t("password.next")}
            extra={t("password.hint")}
            rules={[{ required: true, message: t("common.required", { field: t("password.next") }) }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="new-password"
              maxLength={256}
              data-testid="password-next"
            />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t("password.confirm")}
            dependencies={["next"]}
            rules={[
              { required: true, message: t("common.required", { field: t("password.confirm") }) },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  !value || getFieldValue("next") === value
                    ? Promise.resolve()
                    : Promise.reject(new Error(t("password.mismatch"))),
              }),
            ]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="new-password"
              maxLength={256}
              data-testid="password-confirm"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
            {t("common.save")}
          </Button>
        </Form>
      </Card>
    </>
  );
}
