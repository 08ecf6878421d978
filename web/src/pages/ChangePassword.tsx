import { LockOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, type FormItemProps, Input } from "antd";
import { useNavigate } from "react-router";
import { api } from "../api/client.ts";
import { useAuth } from "../auth.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { useFormSubmit, useRules } from "../components/Forms.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
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
  const rules = useRules();
  const submitter = useFormSubmit<PasswordForm>(["current", "next", "confirm"], async (v) => {
    await api.post("/auth/password", { current: v.current, next: v.next });
    message.success(t("password.changed"));
    submitter.form.resetFields();
    if (session?.user.mustChangePassword) {
      refresh();
      navigate("/", { replace: true });
    }
  });
  const { form, errors, busy } = submitter;

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
        <Form<PasswordForm>
          form={form}
          layout="vertical"
          onFinish={submitter.submit}
          data-testid="password-form"
        >
          <PasswordItem
            name="current"
            label={t("password.current")}
            rules={[rules.required(t("password.current"), false)]}
            autoComplete="current-password"
            testId="password-current"
          />
          <PasswordItem
            name="next"
            label={t("password.next")}
            extra={t("password.hint")}
            rules={[rules.required(t("password.next"), false)]}
            autoComplete="new-password"
            testId="password-next"
          />
          <PasswordItem
            name="confirm"
            label={t("password.confirm")}
            dependencies={["next"]}
            autoComplete="new-password"
            testId="password-confirm"
            rules={[
              rules.required(t("password.confirm"), false),
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  !value || getFieldValue("next") === value
                    ? Promise.resolve()
                    : Promise.reject(new Error(t("password.mismatch"))),
              }),
            ]}
          />
          <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
            {t("common.save")}
          </Button>
        </Form>
      </Card>
    </>
  );
}

/** A password field with the lock icon. */
function PasswordItem({
  autoComplete,
  testId,
  ...item
}: FormItemProps & { autoComplete: string; testId: string }) {
  return (
    <Form.Item {...item}>
      <Input.Password
        prefix={<LockOutlined />}
        autoComplete={autoComplete}
        maxLength={256}
        data-testid={testId}
      />
    </Form.Item>
  );
}
