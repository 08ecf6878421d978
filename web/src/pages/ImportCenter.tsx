import { CloudUploadOutlined, DownloadOutlined, ReloadOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Progress,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
  type UploadFile,
} from "antd";
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import type {
  CatalogCategory,
  ImportBatch,
  ImportStarted,
  IngestResult,
} from "../../../src/contract/records.ts";
import { ApiError, api, apiUrl } from "../api/client.ts";
import type { Problem } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { BatchTable, rejectsUrl } from "../components/BatchTable.tsx";
import {
  chosenFile,
  ImportOutcome,
  TableFileField,
  UploadProgress,
  useUpload,
} from "../components/FileImport.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { PageLoading } from "../components/PageLoading.tsx";
import { useServerErrors } from "../components/ServerErrors.tsx";
import { SeverityTag } from "../components/Tags.tsx";
import { useI18n } from "../i18n.ts";
import { useCatalog } from "../reference.ts";

// The other systems' grades tab is its own chunk: most visits import credit records.
const OtherGradesImport = lazy(() => import("../ratings/OtherGradesImport.tsx"));

interface ImportForm {
  department?: string;
  category?: string;
  acceptValid: boolean;
  file: UploadFile[];
}

type Phase = "idle" | "sending" | "processing" | "done";

const POLL_MS = 500;
/** Consecutive failed polls before the page stops waiting for the batch. */
const POLL_GIVE_UP = 10;

/**
 * What POST /imports answers: 202 `{ batchId, status: "running" }` (in the background), or the finished result
 * (a file refused at its header, or `wait=true`; also the body of a 422).
 */
type ImportAnswer = ImportStarted | IngestResult;

/** A finished batch as far as the POST's own answer tells (servers that import before answering). */
function batchFromAnswer(
  a: ImportAnswer,
  file: string,
  department: string | undefined,
): ImportBatch | undefined {
  if (a.status === "running") return undefined;
  return {
    id: a.batchId,
    department: department ?? null,
    submitter: "",
    channel: "file",
    fileName: file,
    fileDigest: null,
    status: a.status,
    acceptValid: false,
    accepted: a.accepted,
    rejected: a.rejected,
    duplicates: a.duplicates,
    versions: a.versions,
    hasRejects: a.rejectsUrl !== undefined,
    ...(a.rejectsUrl !== undefined ? { rejectsUrl: a.rejectsUrl } : {}),
    startedAt: "",
    finishedAt: null,
  };
}

/**
 * 导入中心: credit records (templates, upload with progress, the batch's processing and result, the history)
 * and, for who may submit them, other systems' grades in a second tab.
 */
export default function ImportCenter() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [tab, setTab] = useState("records");
  return (
    <>
      <PageHeader title={t("import.title")} sub={t("import.sub")} testId="page-import" />
      {can("grades.submit") ? (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          destroyOnHidden
          data-testid="import-tabs"
          items={[
            { key: "records", label: t("import.tab.records"), children: <RecordsImport /> },
            {
              key: "grades",
              label: <span data-testid="import-tab-grades">{t("import.tab.grades")}</span>,
              children: (
                <Suspense fallback={<PageLoading />}>
                  <OtherGradesImport />
                </Suspense>
              ),
            },
          ]}
        />
      ) : (
        <RecordsImport />
      )}
    </>
  );
}

/** The credit records import: the form, the templates, the batch's result and the history. */
function RecordsImport() {
  const { t, pick } = useI18n();
  const { session, can } = useAuth();
  const { catalog, categories, error: catalogError } = useCatalog();
  const [form] = Form.useForm<ImportForm>();
  const errors = useServerErrors(form, ["department", "category", "acceptValid", "file"]);
  // Department users submit for their own department; the city credit office for any.
  const me = session?.user;
  const fixedDepartment = me && me.role !== "city_admin" ? (me.department ?? undefined) : undefined;
  const department = Form.useWatch("department", form) ?? fixedDepartment;

  const [phase, setPhase] = useState<Phase>("idle");
  const upload = useUpload();
  const [batchId, setBatchId] = useState<string>();
  const [batch, setBatch] = useState<ImportBatch>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [pollError, setPollError] = useState<unknown>();
  const [historyKey, setHistoryKey] = useState(0);
  const resultRef = useRef<HTMLDivElement>(null);

  // Bring the result into view when the import finishes.
  useEffect(() => {
    if (phase === "done") resultRef.current?.scrollIntoView({ behavior: "smooth", block: "start" });
  }, [phase]);

  const deptCategories = useMemo(
    () => (department ? categories.filter((c) => c.departments.includes(department)) : categories),
    [categories, department],
  );

  // The chosen category no longer fits the department: clear it.
  useEffect(() => {
    const c = form.getFieldValue("category") as string | undefined;
    if (c && !deptCategories.some((x) => x.code === c)) form.setFieldValue("category", undefined);
  }, [deptCategories, form]);

  // While the batch runs on the server, ask for it every 500 ms.
  useEffect(() => {
    if (phase !== "processing" || !batchId) return;
    let live = true;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const b = await api.get<ImportBatch>(`/imports/${encodeURIComponent(batchId)}`);
        if (!live) return;
        failures = 0;
        setBatch(b);
        if (b.status !== "running") {
          setPhase("done");
          setHistoryKey((k) => k + 1);
          return;
        }
      } catch (e) {
        if (!live) return;
        failures++;
        if (failures >= POLL_GIVE_UP || (e instanceof ApiError && e.status === 403)) {
          setPollError(e);
          setPhase("done");
          return;
        }
      }
      timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, 0);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [phase, batchId]);

  const start = async (v: ImportForm) => {
    const file = chosenFile(v.file);
    if (!file) return;
    errors.clear();
    setProblems([]);
    setBatch(undefined);
    setBatchId(undefined);
    setPollError(undefined);
    setPhase("sending");
    const dept = fixedDepartment ?? v.department;
    try {
      const { body } = await upload.send<ImportAnswer>("/imports", file, {
        department: dept,
        category: v.category,
        acceptValid: v.acceptValid ? "true" : "false",
      });
      setProblems("problems" in body ? body.problems : []);
      setBatchId(body.batchId);
      const finished = batchFromAnswer(body, file.name, dept);
      if (finished) {
        // The import already ran: take the stored batch for its details, or the answer itself.
        setBatch(finished);
        setPhase("done");
        setHistoryKey((k) => k + 1);
        api.get<ImportBatch>(`/imports/${encodeURIComponent(body.batchId)}`).then(setBatch, () => undefined);
      } else {
        setPhase("processing");
      }
    } catch (e) {
      if ((e as Error).name === "AbortError") return;
      errors.report(e);
      setPhase("idle");
    }
  };

  const again = () => {
    setPhase("idle");
    setBatch(undefined);
    setBatchId(undefined);
    setProblems([]);
    setPollError(undefined);
    form.setFieldValue("file", []);
  };

  const busy = phase === "sending" || phase === "processing";

  return (
    <>
      {catalogError ? (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t("common.loadFailed")} />
      ) : null}
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card title={t("import.file")} style={{ marginBottom: 16 }} data-testid="import-form-card">
            {errors.alert}
            <Form<ImportForm>
              form={form}
              layout="vertical"
              initialValues={{ department: me?.department ?? undefined, acceptValid: false, file: [] }}
              onFinish={start}
              disabled={busy}
              data-testid="import-form"
            >
              <Form.Item
                name="department"
                label={t("import.department")}
                rules={[{ required: true, message: t("common.select", { field: t("import.department") }) }]}
              >
                <Select
                  disabled={!!fixedDepartment || busy}
                  showSearch={{ optionFilterProp: "label" }}
                  data-testid="import-department"
                  options={(catalog?.departments ?? []).map((d) => ({
                    value: d.code,
                    label: pick(d.zh, d.en),
                  }))}
                />
              </Form.Item>
              <Form.Item name="category" label={t("import.category")} extra={t("import.categoryHint")}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: "label" }}
                  placeholder={t("import.categoryAny")}
                  data-testid="import-category"
                  options={deptCategories.map((c) => ({ value: c.code, label: pick(c.zh, c.en) }))}
                />
              </Form.Item>
              <TableFileField testId="import-file-input" />
              <Form.Item name="acceptValid" valuePropName="checked" extra={t("import.acceptValidHint")}>
                <Checkbox data-testid="import-accept-valid">{t("import.acceptValid")}</Checkbox>
              </Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                icon={<CloudUploadOutlined />}
                loading={busy}
                data-testid="import-submit"
              >
                {t("import.start")}
              </Button>
            </Form>
            {upload.uploading ? <UploadProgress percent={upload.percent} testId="import-uploading" /> : null}
            {phase === "processing" ? (
              <div style={{ marginTop: 16 }} data-testid="import-processing">
                <Progress percent={100} showInfo={false} aria-label={t("import.processing")} />
                <Space>
                  <Spin size="small" />
                  <Typography.Text>{t("import.processing")}</Typography.Text>
                  {batch?.progress ? (
                    <Typography.Text type="secondary" data-testid="import-rows-read">
                      {t("import.rowsRead", { n: batch.progress.rowsRead.toLocaleString() })}
                    </Typography.Text>
                  ) : null}
                </Space>
              </div>
            ) : null}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <TemplatesCard categories={deptCategories} />
        </Col>
      </Row>

      {phase === "done" && (batch || pollError) ? (
        <Card
          ref={resultRef}
          title={t("import.result")}
          style={{ marginBottom: 16 }}
          data-testid="import-result"
          extra={
            <Button icon={<ReloadOutlined />} onClick={again} data-testid="import-again">
              {t("import.again")}
            </Button>
          }
        >
          {pollError ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={pollError instanceof ApiError ? pollError.message : t("common.networkError")}
            />
          ) : null}
          {batch ? <BatchResult batch={batch} problems={problems} /> : null}
        </Card>
      ) : null}

      {can("imports.read") ? (
        <Card title={t("import.history")} data-testid="import-history">
          <BatchTable department={fixedDepartment} refreshKey={historyKey} />
        </Card>
      ) : null}
    </>
  );
}

function BatchResult({ batch, problems }: { batch: ImportBatch; problems: Problem[] }) {
  const { fieldLabel } = useCatalog();
  const { t } = useI18n();
  const corrections = batch.subjectCorrections ?? [];
  return (
    <>
      {corrections.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="import-subject-corrections"
          title={t("import.subjectCorrections", { n: corrections.length })}
          description={corrections.map((c) => (
            <div key={c.id}>
              {c.docNo}：{c.from} → {c.to}（{c.reason}）
            </div>
          ))}
        />
      ) : null}
      <ImportOutcome
        testPrefix="import"
        batchId={batch.id}
        status={batch.status}
        fileName={batch.fileName}
        counts={[
          { key: "accepted", title: "import.accepted", value: batch.accepted },
          { key: "duplicates", title: "import.duplicates", value: batch.duplicates },
          { key: "versions", title: "import.versions", value: batch.versions },
          { key: "rejected", title: "import.rejected", value: batch.rejected, alarm: true },
        ]}
        rejectsHref={batch.rejected > 0 ? rejectsUrl(batch.id) : undefined}
        problems={problems}
        fieldLabel={fieldLabel}
      />
    </>
  );
}

/** Template links per category: CSV and XLSX, headers in Chinese or English. */
function TemplatesCard({ categories }: { categories: CatalogCategory[] }) {
  const { t, pick, label } = useI18n();
  const link = (c: CatalogCategory, format: "csv" | "xlsx", lang: "zh" | "en") => (
    <a
      href={apiUrl(`/catalog/${encodeURIComponent(c.code)}/template`, { format, lang })}
      download
      data-testid={`template-${c.code}-${format}-${lang}`}
    >
      {t(`import.template.${format}${lang === "zh" ? "Zh" : "En"}`)}
    </a>
  );
  return (
    <Card title={t("import.templates")} style={{ marginBottom: 16 }} data-testid="import-templates">
      <Typography.Paragraph type="secondary">{t("import.templatesHint")}</Typography.Paragraph>
      <Table<CatalogCategory>
        rowKey="code"
        size="small"
        dataSource={categories}
        pagination={{ pageSize: 6, size: "small", hideOnSinglePage: true }}
        columns={[
          {
            title: t("import.category"),
            key: "name",
            render: (_: unknown, c) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text>{pick(c.zh, c.en)}</Typography.Text>
                <Space size={4} wrap>
                  <Tag>{label("kind", c.kind)}</Tag>
                  <SeverityTag value={c.severity} />
                  <Tooltip
                    title={c.columns
                      .map((col) => `${col.required ? "* " : ""}${pick(col.zh, col.en)}`)
                      .join("、")}
                  >
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t("import.columns")} {c.columns.length} ·{" "}
                      {t("import.requiredCols", { n: c.columns.filter((col) => col.required).length })}
                    </Typography.Text>
                  </Tooltip>
                </Space>
              </Space>
            ),
          },
          {
            title: <DownloadOutlined />,
            key: "links",
            width: 170,
            render: (_: unknown, c) => (
              <Space orientation="vertical" size={0}>
                <Space size={8}>
                  {link(c, "csv", "zh")}
                  {link(c, "csv", "en")}
                </Space>
                <Space size={8}>
                  {link(c, "xlsx", "zh")}
                  {link(c, "xlsx", "en")}
                </Space>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
