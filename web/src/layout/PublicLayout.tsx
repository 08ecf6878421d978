import { SafetyCertificateFilled } from "@ant-design/icons";
import { Button, Layout, Space } from "antd";
import { Suspense } from "react";
import { Link, Outlet, useLocation } from "react-router";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { PageBoundary } from "../components/PageBoundary.tsx";
import { PageLoading } from "../components/PageLoading.tsx";
import { useI18n } from "../i18n.ts";

/** Pages anyone may open without signing in (一公开): a plain top bar, no menu. */
export default function PublicLayout() {
  const { t } = useI18n();
  const location = useLocation();
  return (
    <Layout style={{ minHeight: "100vh" }} data-testid="public-layout">
      <Layout.Header className="app-header public-header">
        <Link to="/public/plans" className="public-brand">
          <SafetyCertificateFilled className="app-brand-logo" />
          <span>{t("app.title")}</span>
          <span className="public-brand-sub">{t("insp.public.title")}</span>
        </Link>
        <Space size={12}>
          <LangSwitch />
          <Link to="/login">
            <Button type="link" data-testid="public-login">
              {t("login.submit")}
            </Button>
          </Link>
        </Space>
      </Layout.Header>
      <Layout.Content className="public-content">
        <PageBoundary resetKey={location.pathname}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </PageBoundary>
      </Layout.Content>
      <Layout.Footer className="app-footer">
        {t("app.title")} · {t("app.footer")}
      </Layout.Footer>
    </Layout>
  );
}
