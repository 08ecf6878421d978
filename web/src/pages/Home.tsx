import { Card, Result } from "antd";
import { Navigate } from "react-router";
import { useAuth } from "../auth.tsx";
import { useI18n } from "../i18n.ts";
import { firstAllowedPath } from "../layout/menu.tsx";

/** The landing page: straight to the user's first task, or a word that there is none yet. */
export default function Home() {
  const { t } = useI18n();
  const { session, can } = useAuth();
  const first = firstAllowedPath(can);
  if (first) return <Navigate to={first} replace />;
  return (
    <Card data-testid="home">
      <Result
        status="info"
        title={t("home.welcome", { name: session?.user.displayName || session?.user.username || "" })}
        subTitle={t("home.noPermission")}
      />
    </Card>
  );
}
