import { LockOutlined, SafetyCertificateFilled, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { useAuth } from "../auth.tsx";
import { useFormSubmit } from "../components/Forms.tsx";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { PageLoading } from "../components/PageLoading.tsx";
import { useI18n } from "../i18n.ts";

interface LoginForm {
  username: string;
  password: string;
}

/** Only a path inside this app may be a place to return to (no `//host` or `https:` redirects). */
function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login") ? next : "/";
}

export default function Login() {
  const { t } = useI18n();
  const { status, login, expired } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNext(params.get("next"));
  const submitter = useFormSubmit<LoginForm>(
    ["username", "password"],
    async (v) => {
      try {
        await login(v.username.trim(), v.password);
        navigate(next, { replace: true });
      } catch (e) {
        submitter.form.setFieldValue("password", "");
        throw e;
      }
    },
    { testId: "login-error" },
  );
  const { form, errors, busy } = submitter;

  if (status === "loading") return <PageLoading />;
  if (status === "signedIn" && !busy) return <Navigate to={next} replace />;

  return (
    <div className="login-page">
      <div className="login-top">
        <LangSwitch size="middle" />
      </div>
      <main className="login-main">
        <div className="login-box">
          <div className="login-brand">
            <SafetyCertificateFilled style={{ fontSize: 44, color: "#fff" }} />
            <h1>{t("app.title")}</h1>
            <p>{t("app.subtitle")}</p>
          </div>
          <Card title={t("login.title")} data-testid="login-card">
            {expired ? (
              <Alert type="warning" showIcon title={t("login.sessionExpired")} style={{ marginBottom: 16 }} />
            ) : null}
            {errors.alert}
            <Form<LoginForm>
              form={form}
              layout="vertical"
              onFinish={submitter.submit}
              requiredMark={false}
              data-testid="login-form"
              autoComplete="on"
            >
              <Form.Item
                name="username"
                label={t("login.username")}
                rules={[{ required: true, whitespace: true, message: t("login.usernameRequired") }]}
              >
                <Input
                  size="large"
                  prefix={<UserOutlined />}
                  autoComplete="username"
                  autoFocus
                  maxLength={64}
                  data-testid="login-username"
                />
              </Form.Item>
              <Form.Item
                name="password"
                label={t("login.password")}
                rules={[{ required: true, message: t("login.passwordRequired") }]}
              >
                <Input.Password
                  size="large"
                  prefix={<LockOutlined />}
                  autoComplete="current-password"
                  maxLength={200}
                  data-testid="login-password"
                />
              </Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                size="large"
                block
                loading={busy}
                data-testid="login-submit"
              >
                {t("login.submit")}
              </Button>
            </Form>
            <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
              {t("login.notice")}
            </Typography.Paragraph>
          </Card>
        </div>
      </main>
      <footer className="login-footer">{t("app.footer")}</footer>
    </div>
  );
}
