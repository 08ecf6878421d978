/**
 * What every file import screen shares (credit records, market ratings, other systems' grades): the CSV/XLSX
 * drop field, the upload with its progress, and the outcome — status, counts, the per-row problems and the
 * bilingual rejects report to download.
 */
import { DownloadOutlined, InboxOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Col,
  Form,
  Progress,
  Row,
  Space,
  Statistic,
  Table,
  Tooltip,
  Typography,
  Upload,
  type UploadFile,
} from "antd";
import DisabledContext from "antd/es/config-provider/DisabledContext";
import { useCallback, useContext, useEffect, useRef, useState } from "react";
import { problemText, uploadFile } from "../api/client.ts";
import type { Problem } from "../api/types.ts";
import { type MessageKey, useI18n } from "../i18n.ts";
import { BatchStatusTag } from "./Tags.tsx";

export const TABLE_FILE_ACCEPT =
  ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The form field `file`: one CSV or XLSX file, dropped or chosen (kept in the form, sent on submit). */
export function TableFileField({ testId, hint }: { testId: string; hint?: string }) {
  const { t } = useI18n();
  // A disabled form disables the drop field, but says so only with grey text: its button (a div; Ant Design
  // passes no attribute to it) gets aria-disabled, so that screen readers — and axe-core, which then does not
  // hold that inactive text to 4.5:1 — know.
  const disabled = useContext(DisabledContext);
  const field = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const button = field.current?.querySelector(".ant-upload[role=button]");
    if (disabled) button?.setAttribute("aria-disabled", "true");
    else button?.removeAttribute("aria-disabled");
  }, [disabled]);
  return (
    <div ref={field}>
      <Form.Item
        name="file"
        valuePropName="fileList"
        getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList.slice(-1)}
        rules={[{ required: true, type: "array", min: 1, message: t("import.noFile") }]}
      >
        <Upload.Dragger
          accept={TABLE_FILE_ACCEPT}
          beforeUpload={() => false}
          maxCount={1}
          data-testid={testId}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t("import.drop")}</p>
          <p className="ant-upload-hint">{hint ?? t("import.dropHint")}</p>
        </Upload.Dragger>
      </Form.Item>
    </div>
  );
}

/** The file a TableFileField holds, if any. */
export function chosenFile(list: UploadFile[] | undefined): File | undefined {
  return list?.[0]?.originFileObj;
}

type Query = Record<string, string | number | boolean | null | undefined>;

/**
 * Sends one file (multipart field `file`) with its progress in percent; an upload still running when the
 * page is left is cancelled. `send` answers as uploadFile does (2xx, or a 422 that carries a batch).
 */
export function useUpload() {
  const [percent, setPercent] = useState<number>();
  const abort = useRef<() => void>(undefined);
  useEffect(() => () => abort.current?.(), []);
  const send = useCallback(async <T,>(path: string, file: File, query: Query) => {
    setPercent(0);
    const handle = uploadFile<T>(path, file, query, setPercent);
    abort.current = handle.abort;
    try {
      const answer = await handle.promise;
      setPercent(100);
      return answer;
    } finally {
      abort.current = undefined;
      setPercent(undefined);
    }
  }, []);
  return { send, uploading: percent !== undefined, percent: percent ?? 0 };
}

/** The upload's progress bar while it runs. */
export function UploadProgress({ percent, testId }: { percent: number; testId: string }) {
  const { t } = useI18n();
  return (
    <div style={{ marginTop: 16 }} data-testid={testId}>
      <Typography.Text>{t("import.uploading")}</Typography.Text>
      <Progress
        percent={percent}
        status="active"
        aria-label={t("import.uploading")}
        data-testid={`${testId}-progress`}
      />
    </div>
  );
}

/** A link that downloads a rejects report (in tables). */
export function RejectsLink({ href, testId }: { href: string; testId: string }) {
  const { t } = useI18n();
  return (
    <a href={href} download data-testid={testId}>
      <DownloadOutlined /> {t("import.downloadRejects")}
    </a>
  );
}

export interface OutcomeCount {
  /** Test id suffix: `<testPrefix>-<key>`. */
  key: string;
  title: MessageKey;
  value: number;
  /** Shown in red when above 0. */
  alarm?: boolean;
}

export interface ImportOutcomeProps {
  batchId: string;
  status: string;
  fileName?: string | null;
  counts: OutcomeCount[];
  /** The rejects report, when there is one. */
  rejectsHref?: string;
  problems: Problem[];
  /** A problem's field as the user knows it (a column's name). */
  fieldLabel?: (field: string) => string;
  /** Test ids: `<prefix>-batch-id`, `<prefix>-<count key>`, `<prefix>-rejects-download`, `<prefix>-problems`. */
  testPrefix: string;
}

/** The result of one import: status, counts, the report to download and the first problems, row by row. */
export function ImportOutcome(props: ImportOutcomeProps) {
  const { t, lang } = useI18n();
  const id = props.testPrefix;
  const shown = props.problems.slice(0, 50).map((p, i) => ({ ...p, key: i }));
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <BatchStatusTag value={props.status} />
        <Typography.Text type="secondary" className="mono" data-testid={`${id}-batch-id`}>
          {t("batch.id")}: {props.batchId}
        </Typography.Text>
        {props.fileName ? <Typography.Text type="secondary">{props.fileName}</Typography.Text> : null}
      </Space>
      {props.status === "rejected" ? (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t("import.rejectedAll")} />
      ) : null}
      <Row gutter={16}>
        {props.counts.map((c) => (
          <Col key={c.key} xs={12} md={6}>
            <Statistic
              title={t(c.title)}
              value={c.value}
              styles={c.alarm && c.value > 0 ? { content: { color: "#cf1322" } } : undefined}
              data-testid={`${id}-${c.key}`}
            />
          </Col>
        ))}
      </Row>
      {props.rejectsHref ? (
        <div style={{ marginTop: 16 }}>
          <a href={props.rejectsHref} download data-testid={`${id}-rejects-download`}>
            <Button danger icon={<DownloadOutlined />} tabIndex={-1}>
              {t("import.downloadRejects")}
            </Button>
          </a>
        </div>
      ) : null}
      {shown.length > 0 ? (
        <Table<Problem & { key: number }>
          style={{ marginTop: 16 }}
          size="small"
          title={() => t("import.problems", { n: shown.length })}
          dataSource={shown}
          pagination={false}
          scroll={{ x: 800, y: 360 }}
          data-testid={`${id}-problems`}
          columns={[
            { title: t("import.row"), dataIndex: "row", width: 70 },
            {
              title: t("import.field"),
              dataIndex: "field",
              width: 160,
              render: (f?: string) =>
                f ? <Tooltip title={f}>{props.fieldLabel ? props.fieldLabel(f) : f}</Tooltip> : null,
            },
            {
              title: t("import.problem"),
              key: "problem",
              render: (_: unknown, p) => problemText(p, lang),
            },
            {
              title: t("import.value"),
              dataIndex: "value",
              width: 180,
              ellipsis: true,
              render: (v?: string) => (v ? <span className="mono">{v}</span> : null),
            },
          ]}
        />
      ) : null}
    </>
  );
}
