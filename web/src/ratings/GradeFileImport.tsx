/**
 * The upload card of a ratings or grades file (市场评价, 其他体系等级): the form (a screen adds its own fields), the
 * file, "accept the valid rows", the upload with progress and its outcome; and the table of past imports of
 * that kind, each with its counts and rejects report. Both POSTs answer when the import is done (200, or 422
 * with the batch when refused), so there is nothing to poll.
 */
import { CloudUploadOutlined, ReloadOutlined } from "@ant-design/icons";
import { Button, Card, Checkbox, Form, type FormInstance, Tag, Typography, type UploadFile } from "antd";
import type { ColumnsType } from "antd/es/table";
import { type ReactNode, useMemo, useState } from "react";
import type { GradeImport, GradeImportResult } from "../../../src/contract/ratings.ts";
import { ApiError, apiUrl } from "../api/client.ts";
import { useBatchColumns } from "../components/BatchTable.tsx";
import { PagedTable, usePaged } from "../components/DataTable.tsx";
import {
  chosenFile,
  ImportOutcome,
  TableFileField,
  UploadProgress,
  useUpload,
} from "../components/FileImport.tsx";
import { useServerErrors } from "../components/ServerErrors.tsx";
import { useI18n } from "../i18n.ts";

export function gradeRejectsUrl(batchId: string): string {
  return apiUrl(`/grade-imports/${encodeURIComponent(batchId)}/rejects`);
}
const gradeRejects = (b: GradeImport) => (b.hasRejects ? gradeRejectsUrl(b.id) : undefined);

type Query = Record<string, string | undefined>;

export interface GradeFileImportProps<F> {
  /** `/ratings/imports` or `/other-grades/imports`. */
  path: string;
  /** Test ids: `<prefix>-form`, `<prefix>-file`, `<prefix>-submit`, `<prefix>-result` … */
  testPrefix: string;
  title: ReactNode;
  /** The file's columns, shown above the drop field. */
  columnsHint: ReactNode;
  /** The screen's own fields (source, department…), inside the form. */
  fields?: (form: FormInstance<F & FileForm>) => ReactNode;
  initialValues?: Partial<F>;
  /** The query string of the POST from the form's values (the file and acceptValid are added). */
  queryOf?: (values: F) => Query;
  /** Form field names the server's problems may name (shown under the field). */
  fieldNames?: readonly string[];
  disabled?: boolean;
  /** Called after every finished import (the screen reloads its lists). */
  onImported?: (r: GradeImportResult) => void;
}

export interface FileForm {
  acceptValid: boolean;
  file: UploadFile[];
}

export function GradeFileImport<F extends object>(props: GradeFileImportProps<F>) {
  const { t } = useI18n();
  const [form] = Form.useForm<F & FileForm>();
  const errors = useServerErrors(form, [...(props.fieldNames ?? []), "acceptValid", "file"]);
  const upload = useUpload();
  const [result, setResult] = useState<{ r: GradeImportResult; file: string }>();
  const id = props.testPrefix;

  const start = async (v: F & FileForm) => {
    const file = chosenFile(v.file);
    if (!file) return;
    errors.clear();
    setResult(undefined);
    try {
      const { body } = await upload.send<GradeImportResult>(props.path, file, {
        ...(props.queryOf ? props.queryOf(v) : {}),
        acceptValid: v.acceptValid ? "true" : "false",
      });
      setResult({ r: body, file: file.name });
      props.onImported?.(body);
    } catch (e) {
      if ((e as Error).name === "AbortError") return;
      errors.report(e);
    }
  };

  const again = () => {
    setResult(undefined);
    (form as unknown as FormInstance<FileForm>).setFieldValue("file", []);
  };

  return (
    <>
      <Card title={props.title} style={{ marginBottom: 16 }} data-testid={`${id}-card`}>
        {errors.alert}
        <Typography.Paragraph type="secondary">{props.columnsHint}</Typography.Paragraph>
        <Form<F & FileForm>
          form={form}
          layout="vertical"
          initialValues={{ acceptValid: false, file: [], ...props.initialValues } as F & FileForm}
          onFinish={start}
          disabled={props.disabled || upload.uploading}
          data-testid={`${id}-form`}
        >
          {props.fields?.(form)}
          <TableFileField testId={`${id}-file`} />
          <Form.Item name="acceptValid" valuePropName="checked" extra={t("import.acceptValidHint")}>
            <Checkbox data-testid={`${id}-accept-valid`}>{t("import.acceptValid")}</Checkbox>
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            icon={<CloudUploadOutlined />}
            loading={upload.uploading}
            data-testid={`${id}-submit`}
          >
            {t("import.start")}
          </Button>
        </Form>
        {upload.uploading ? <UploadProgress percent={upload.percent} testId={`${id}-uploading`} /> : null}
      </Card>
      {result ? (
        <Card
          title={t("import.result")}
          style={{ marginBottom: 16 }}
          data-testid={`${id}-result`}
          extra={
            <Button icon={<ReloadOutlined />} onClick={again} data-testid={`${id}-again`}>
              {t("import.again")}
            </Button>
          }
        >
          <ImportOutcome
            testPrefix={id}
            batchId={result.r.batchId}
            status={result.r.status}
            fileName={result.file}
            counts={[
              { key: "accepted", title: "import.accepted", value: result.r.accepted },
              { key: "rejected", title: "import.rejected", value: result.r.rejected, alarm: true },
            ]}
            rejectsHref={result.r.rejected > 0 ? gradeRejectsUrl(result.r.batchId) : undefined}
            problems={Array.isArray(result.r.problems) ? result.r.problems : []}
          />
        </Card>
      ) : null}
    </>
  );
}

/** Past imports of ratings or grades, newest first, those this user may see (the server decides). */
export function GradeImportTable(props: {
  kind: "ratings" | "grades";
  refreshKey?: number;
  /** The source column's text (an agency's or a grading system's name). */
  sourceName?: (code: string) => string;
  testId: string;
}) {
  const { t } = useI18n();
  const list = usePaged<GradeImport>(
    "/grade-imports",
    { kind: props.kind },
    { size: 10, refresh: props.refreshKey },
  );
  const c = useBatchColumns<GradeImport>(gradeRejects, `${props.testId}-rejects`);
  const { sourceName } = props;
  const columns = useMemo<ColumnsType<GradeImport>>(
    () => [
      c.startedAt,
      c.fileName,
      {
        title: props.kind === "ratings" ? t("rating.agency") : t("grades.source"),
        dataIndex: "source",
        width: 150,
        ellipsis: true,
        render: (v: string) => (sourceName ? sourceName(v) : <Tag>{v}</Tag>),
      },
      ...(props.kind === "grades" ? [c.department] : []),
      c.submitter,
      c.channel,
      c.status,
      c.accepted,
      c.rejected,
      c.actions,
    ],
    [c, t, sourceName, props.kind],
  );
  if (list.error instanceof ApiError && list.error.status === 403) return null;
  return (
    <PagedTable<GradeImport>
      list={list}
      testId={props.testId}
      columns={columns}
      scroll={{ x: props.kind === "grades" ? 1100 : 980 }}
    />
  );
}
