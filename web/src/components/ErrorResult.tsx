import { Button, Result, Space } from "antd";
import { Link } from "react-router";
import { ApiError, errorText } from "../api/client.ts";
import { useI18n } from "../i18n.ts";

export type ResultStatus = 403 | 404 | 500;

/** The server refused: the user may not see or do this. */
export function isForbidden(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 403;
}

/** The full-page answer to "you may not", "there is no such thing" and "it broke". */
export function StatusResult(props: { status: ResultStatus; detail?: string; onRetry?: () => void }) {
  const { t } = useI18n();
  const { status, detail, onRetry } = props;
  const key = status === 403 ? "403" : status === 404 ? "404" : "500";
  return (
    <Result
      status={key}
      title={t(`error.${key}.title`)}
      subTitle={
        <Space orientation="vertical" size={4}>
          <span>{t(`error.${key}.sub`)}</span>
          {detail ? (
            <span className="error-detail" data-testid="error-detail">
              {detail}
            </span>
          ) : null}
        </Space>
      }
      data-testid={`result-${key}`}
      extra={
        <Space>
          {onRetry ? (
            <Button type="primary" onClick={onRetry}>
              {t("common.retry")}
            </Button>
          ) : null}
          <Link to="/">
            <Button type={onRetry ? "default" : "primary"}>{t("error.backHome")}</Button>
          </Link>
        </Space>
      }
    />
  );
}

/** Any error from loading a page's data, shown as the matching Result. */
export function ErrorView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, lang } = useI18n();
  const detail = errorText(error, lang, t("common.loadFailed"), t("common.networkError"));
  if (isForbidden(error)) return <StatusResult status={403} detail={detail} />;
  if (error instanceof ApiError && error.status === 404) return <StatusResult status={404} detail={detail} />;
  return <StatusResult status={500} detail={detail} onRetry={onRetry} />;
}
