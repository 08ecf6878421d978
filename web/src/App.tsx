import { ConfigProvider, theme } from "antd";
import enUS from "antd/es/locale/en_US";
import zhCN from "antd/es/locale/zh_CN";
import { lazy, type ReactNode, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import type { Permission } from "./api/types.ts";
import { AuthProvider, useAuth } from "./auth.tsx";
import { ErrorView, StatusResult } from "./components/ErrorResult.tsx";
import { MessageProvider } from "./components/Feedback.tsx";
import { PageBoundary } from "./components/PageBoundary.tsx";
import { PageLoading } from "./components/PageLoading.tsx";
import { ScrollRegions } from "./components/ScrollRegions.tsx";
import { I18nProvider, useI18n } from "./i18n.ts";

// Every page is its own chunk, and so is the signed-in shell (menu, header): the first load carries only
// the providers, the router and the error pages.
const AppLayout = lazy(() => import("./layout/AppLayout.tsx"));
const Login = lazy(() => import("./pages/Login.tsx"));
const Home = lazy(() => import("./pages/Home.tsx"));
const Subjects = lazy(() => import("./pages/Subjects.tsx"));
const SubjectProfile = lazy(() => import("./pages/SubjectProfile.tsx"));
const SelfProfile = lazy(() => import("./pages/SelfProfile.tsx"));
const Dashboard = lazy(() => import("./pages/Dashboard.tsx"));
const Models = lazy(() => import("./pages/Models.tsx"));
const MarketRatings = lazy(() => import("./pages/MarketRatings.tsx"));
const Agencies = lazy(() => import("./pages/Agencies.tsx"));
const Measures = lazy(() => import("./pages/Measures.tsx"));
const CreditChecks = lazy(() => import("./pages/CreditChecks.tsx"));
const InspectionPlans = lazy(() => import("./pages/InspectionPlans.tsx"));
const PlanWizard = lazy(() => import("./pages/PlanWizard.tsx"));
const PlanDetail = lazy(() => import("./pages/PlanDetail.tsx"));
const InspectionTasks = lazy(() => import("./pages/InspectionTasks.tsx"));
const Inspectors = lazy(() => import("./pages/Inspectors.tsx"));
const InspectionObjects = lazy(() => import("./pages/InspectionObjects.tsx"));
const PublicLayout = lazy(() => import("./layout/PublicLayout.tsx"));
const PublicPlans = lazy(() => import("./pages/PublicPlans.tsx"));
const PublicPlan = lazy(() => import("./pages/PublicPlan.tsx"));
const ImportCenter = lazy(() => import("./pages/ImportCenter.tsx"));
const ImportHistory = lazy(() => import("./pages/ImportHistory.tsx"));
const Users = lazy(() => import("./pages/Users.tsx"));
const Departments = lazy(() => import("./pages/Departments.tsx"));
const Tokens = lazy(() => import("./pages/Tokens.tsx"));
const Audit = lazy(() => import("./pages/Audit.tsx"));
const ChangePassword = lazy(() => import("./pages/ChangePassword.tsx"));

export const PRIMARY_COLOR = "#1f5fbf";

/** Signed-in pages: anyone else goes to the sign-in page, and comes back here after it. */
function RequireAuth({ children }: { children: ReactNode }) {
  const { status, error, refresh, signedOutByUser } = useAuth();
  const location = useLocation();
  if (status === "loading") return <PageLoading />;
  if (status === "error") return <ErrorView error={error} onRetry={refresh} />;
  if (status === "signedOut") {
    const next = `${location.pathname}${location.search}`;
    const back = next !== "/" && !signedOutByUser;
    return <Navigate to={back ? `/login?next=${encodeURIComponent(next)}` : "/login"} replace />;
  }
  return <Suspense fallback={<PageLoading />}>{children}</Suspense>;
}

/** A page that needs a permission: 403 when the user lacks it. */
function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useAuth();
  return can(permission) ? children : <StatusResult status={403} />;
}

function guarded(permission: Permission, page: ReactNode) {
  return <RequirePermission permission={permission}>{page}</RequirePermission>;
}

function AppRoutes() {
  const location = useLocation();
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <PageBoundary resetKey={location.pathname}>
            <Suspense fallback={<PageLoading />}>
              <Login />
            </Suspense>
          </PageBoundary>
        }
      />
      {/* 一公开: anyone, signed in or not (no sign-in redirect). */}
      <Route
        path="/public"
        element={
          <Suspense fallback={<PageLoading />}>
            <PublicLayout />
          </Suspense>
        }
      >
        <Route path="plans" element={<PublicPlans />} />
        <Route path="plans/:id" element={<PublicPlan />} />
        <Route path="*" element={<StatusResult status={404} />} />
      </Route>
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Home />} />
        <Route path="subjects" element={guarded("subjects.read", <Subjects />)} />
        <Route path="subjects/:code" element={guarded("subjects.read", <SubjectProfile />)} />
        <Route path="self" element={guarded("self.read", <SelfProfile />)} />
        <Route path="dashboard" element={guarded("subjects.read", <Dashboard />)} />
        <Route path="models" element={guarded("models.manage", <Models />)} />
        <Route path="ratings" element={guarded("ratings.read", <MarketRatings />)} />
        <Route path="agencies" element={guarded("agencies.read", <Agencies />)} />
        <Route path="measures" element={guarded("measures.read", <Measures />)} />
        <Route path="credit-checks" element={guarded("credit_checks.create", <CreditChecks />)} />
        <Route path="inspection-plans" element={guarded("inspections.read", <InspectionPlans />)} />
        <Route path="inspection-plans/new" element={guarded("inspections.manage", <PlanWizard />)} />
        <Route path="inspection-plans/:id" element={guarded("inspections.read", <PlanDetail />)} />
        <Route path="inspection-tasks" element={guarded("inspections.read", <InspectionTasks />)} />
        <Route path="inspectors" element={guarded("inspections.read", <Inspectors />)} />
        <Route path="inspection-objects" element={guarded("inspections.read", <InspectionObjects />)} />
        <Route path="import" element={guarded("records.submit", <ImportCenter />)} />
        <Route path="imports" element={guarded("imports.read", <ImportHistory />)} />
        <Route path="users" element={guarded("users.manage", <Users />)} />
        <Route path="departments" element={guarded("departments.manage", <Departments />)} />
        <Route path="tokens" element={guarded("tokens.manage", <Tokens />)} />
        <Route path="audit" element={guarded("audit.read", <Audit />)} />
        <Route path="password" element={<ChangePassword />} />
        <Route path="403" element={<StatusResult status={403} />} />
        <Route path="*" element={<StatusResult status={404} />} />
      </Route>
    </Routes>
  );
}

function Themed({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={lang === "en" ? enUS : zhCN}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: PRIMARY_COLOR,
          colorInfo: PRIMARY_COLOR,
          colorLink: PRIMARY_COLOR,
          // Text at least 4.5:1 against its background (WCAG 1.4.3, GB/T 37668-2019; decision 21): antd's
          // defaults for secondary text and placeholders (black at 45% and 25%), red (#ff4d4f), and the text of
          // success and warning (#52c41a, #faad14) are lighter than that. Same hues, a little darker.
          colorTextTertiary: "rgba(0, 0, 0, 0.56)",
          colorTextPlaceholder: "rgba(0, 0, 0, 0.56)",
          colorError: "#cf1322",
          colorSuccessText: "#237804",
          colorWarningText: "#ad4e00",
          // A primary button or a link under the pointer: antd's colour is lighter than the primary, 4.2:1 with white.
          colorPrimaryHover: "#2d68c6",
          colorLinkHover: "#2d68c6",
          borderRadius: 4,
          fontFamily:
            '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", ' +
            '"Noto Sans CJK SC", "Source Han Sans SC", "Helvetica Neue", Arial, sans-serif',
        },
        components: {
          Layout: { headerBg: "#ffffff", siderBg: "#0f2847", headerHeight: 56, headerPadding: "0 16px" },
          Menu: {
            darkItemBg: "#0f2847",
            darkSubMenuItemBg: "#0b1f38",
            darkItemSelectedBg: PRIMARY_COLOR,
            darkGroupTitleColor: "rgba(255,255,255,0.55)",
          },
          // A table's text when it has no rows is in the disabled grey (1.8:1): it is no disabled control.
          Table: { headerBg: "#f5f7fa", colorTextDisabled: "rgba(0, 0, 0, 0.56)" },
          // A tag's text on its tint: antd's shade 7 of green, cyan, orange, gold, lime, yellow and volcano, and
          // its success and warning colours, are below 4.5:1 there; these are shades 8 or 9 of the same colours.
          Tag: {
            colorSuccess: "#237804",
            colorWarning: "#ad4e00",
            green7: "#237804",
            cyan7: "#006d75",
            orange7: "#ad4e00",
            gold7: "#874d00",
            lime7: "#3f6600",
            yellow7: "#876800",
            volcano7: "#ad2102",
          },
          Card: { headerFontSize: 15 },
        },
      }}
    >
      <MessageProvider>
        <ScrollRegions />
        {children}
      </MessageProvider>
    </ConfigProvider>
  );
}

export function Root() {
  return (
    <I18nProvider>
      <Themed>
        <AuthProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AuthProvider>
      </Themed>
    </I18nProvider>
  );
}
