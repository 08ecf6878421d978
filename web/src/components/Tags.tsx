import { Tag, Tooltip } from "antd";
import { useI18n } from "../i18n.ts";

const SEVERITY_COLOR: Record<string, string> = { minor: "blue", general: "orange", serious: "red" };
const RECORD_STATUS_COLOR: Record<string, string> = {
  active: "green",
  corrected: "gold",
  revoked: "default",
};
const BATCH_STATUS_COLOR: Record<string, string> = {
  running: "processing",
  committed: "success",
  rejected: "error",
  interrupted: "warning",
  failed: "error",
};
const SUBJECT_STATUS_COLOR: Record<string, string> = {
  存续: "green",
  吊销: "red",
  注销: "default",
  迁出: "blue",
};

export function SeverityTag({ value }: { value: string }) {
  const { label } = useI18n();
  return (
    <Tag color={SEVERITY_COLOR[value] ?? "default"} data-testid="severity-tag">
      {label("severity", value)}
    </Tag>
  );
}

/** 有效 / 更正 / 撤销, with the reason for a correction or revocation. */
export function RecordStatusTag({ value, reason }: { value: string; reason?: string | null }) {
  const { label, t } = useI18n();
  const tag = (
    <Tag color={RECORD_STATUS_COLOR[value] ?? "default"} data-testid="record-status-tag">
      {label("recordStatus", value)}
    </Tag>
  );
  return reason ? <Tooltip title={`${t("record.reason")}: ${reason}`}>{tag}</Tooltip> : tag;
}

export function BatchStatusTag({ value }: { value: string }) {
  const { label } = useI18n();
  return (
    <Tag color={BATCH_STATUS_COLOR[value] ?? "default"} data-testid="batch-status-tag">
      {label("batchStatus", value)}
    </Tag>
  );
}

export function SubjectStatusTag({ value }: { value: string }) {
  const { label } = useI18n();
  return <Tag color={SUBJECT_STATUS_COLOR[value] ?? "default"}>{label("subjectStatus", value)}</Tag>;
}

export function UserStatusTag({ value }: { value: string }) {
  const { label } = useI18n();
  return <Tag color={value === "active" ? "green" : "default"}>{label("userStatus", value)}</Tag>;
}
