import {
  LockOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  SafetyCertificateFilled,
  UserOutlined,
} from "@ant-design/icons";
import { Button, Divider, Layout, Menu, type MenuProps, Space, Tag, Tooltip, Typography } from "antd";
import { Suspense, useMemo, useState } from "react";
import { Link, Navigate, Outlet, useLocation, useNavigate } from "react-router";
import { useAuth } from "../auth.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { LangSwitch } from "../components/LangSwitch.tsx";
import { PageBoundary } from "../components/PageBoundary.tsx";
import { PageLoading } from "../components/PageLoading.tsx";
import { useI18n } from "../i18n.ts";
import { useDepartments } from "../reference.ts";
import { entryOfPath, MENU } from "./menu.tsx";

const { Header, Sider, Content, Footer } = Layout;

/** The signed-in shell: side menu by task, top bar with the user, language and sign-out; pages in between. */
export default function AppLayout() {
  const { t, label } = useI18n();
  const { session, can, logout } = useAuth();
  const message = useMessage();
  const departments = useDepartments();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);

  const items = useMemo<MenuProps["items"]>(
    () =>
      MENU.map((g) => {
        const entries = g.entries.filter((e) => can(e.permission));
        if (entries.length === 0) return null;
        return {
          type: "group" as const,
          key: g.key,
          label: collapsed ? null : t(g.label),
          children: entries.map((e) => ({
            key: e.key,
            icon: e.icon,
            label: (
              <Link to={e.path} data-testid={`menu-${e.key}`}>
                {t(e.label)}
              </Link>
            ),
          })),
        };
      }).filter((g) => g !== null),
    [can, t, collapsed],
  );

  const selected = entryOfPath(location.pathname)?.key;
  const user = session?.user;

  const signOut = async () => {
    await logout();
    message.success(t("header.signedOut"));
    navigate("/login", { replace: true });
  };

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Sider
        width={224}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        trigger={null}
        theme="dark"
        className="app-sider"
      >
        <Link to="/" className="app-brand" data-testid="brand">
          <SafetyCertificateFilled className="app-brand-logo" />
          {collapsed ? null : <span className="app-brand-title">{t("app.shortTitle")}</span>}
        </Link>
        <nav data-testid="side-menu">
          <Menu theme="dark" mode="inline" items={items} selectedKeys={selected ? [selected] : []} />
        </nav>
      </Sider>
      <Layout>
        <Header className="app-header">
          <Space size={12}>
            <Tooltip title={collapsed ? t("header.expand") : t("header.collapse")}>
              <Button
                type="text"
                icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                onClick={() => setCollapsed((c) => !c)}
                aria-label={collapsed ? t("header.expand") : t("header.collapse")}
              />
            </Tooltip>
            <Typography.Text strong className="app-header-title">
              {t("app.title")}
            </Typography.Text>
          </Space>
          <Space size={4} separator={<Divider orientation="vertical" />} className="app-header-right">
            <Space size={6} data-testid="user-info">
              <UserOutlined />
              <Typography.Text strong data-testid="user-name">
                {user?.displayName || user?.username}
              </Typography.Text>
              <Tag color="blue" style={{ marginInlineEnd: 0 }} data-testid="user-role">
                {label("role", user?.role)}
              </Tag>
              <Typography.Text type="secondary" data-testid="user-department">
                {user?.department ? departments.name(user.department) : t("header.noDepartment")}
              </Typography.Text>
            </Space>
            <LangSwitch />
            <Space size={0}>
              <Button
                type="text"
                icon={<LockOutlined />}
                onClick={() => navigate("/password")}
                data-testid="change-password"
              >
                {t("menu.password")}
              </Button>
              <Button type="text" icon={<LogoutOutlined />} onClick={signOut} data-testid="logout">
                {t("header.signOut")}
              </Button>
            </Space>
          </Space>
        </Header>
        <Content className="app-content">
          <PageBoundary resetKey={location.pathname}>
            <Suspense fallback={<PageLoading />}>
              {user?.mustChangePassword && location.pathname !== "/password" ? (
                <Navigate to="/password" replace />
              ) : (
                <Outlet />
              )}
            </Suspense>
          </PageBoundary>
        </Content>
        <Footer className="app-footer">
          {t("app.title")} · {t("app.footer")}
        </Footer>
      </Layout>
    </Layout>
  );
}
