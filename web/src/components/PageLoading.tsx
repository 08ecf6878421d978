import { Spin } from "antd";
import { useI18n } from "../i18n.ts";

export function PageLoading() {
  const { t } = useI18n();
  return (
    <div className="page-loading" data-testid="page-loading">
      <Spin description={t("app.loading")} />
    </div>
  );
}
