import {
  CloudDownloadOutlined,
  ExperimentOutlined,
  FileTextOutlined,
  SendOutlined,
  UploadOutlined,
} from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Space,
  Spin,
  Tag,
  Typography,
  Upload,
} from "antd";
import type { TextAreaRef } from "antd/es/input/TextArea";
import { useRef, useState } from "react";
import type {
  ModelDiff,
  ModelInfo,
  ModelPublication,
  ModelSource,
  ModelVersions,
} from "../../../src/contract/models.ts";
import { invalidate } from "../api/cache.ts";
import { ApiError, api, errorText } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { Problem } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { DataTable } from "../components/DataTable.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { WhatIfResult } from "../models/WhatIfResult.tsx";
import { useDepartments, useModels } from "../reference.ts";

/**
 * 模型管理: the evaluation models the user's department owns (a department administrator its department's
 * industry model, the city credit office the public model) — the current version and the versions published;
 * a what-if of a draft version on the current data (transition matrix, PSI), then its publication.
 */
export default function Models() {
  const { t } = useI18n();
  const { session } = useAuth();
  const models = useModels();
  const department = session?.user.department ?? null;
  const own = models.list.filter((m) => m.owner === department);
  const [selected, setSelected] = useState<string>();
  const current = own.find((m) => m.id === selected) ?? own[0];

  return (
    <>
      <PageHeader title={t("models.title")} sub={t("models.sub")} testId="page-models" />
      {!models.loaded ? (
        <Spin />
      ) : own.length === 0 ? (
        <Card>
          <Empty description={t("models.none")} data-testid="models-none" />
        </Card>
      ) : (
        <>
          {own.length > 1 ? (
            <Space style={{ marginBottom: 16 }} wrap>
              {own.map((m) => (
                <Button
                  key={m.id}
                  type={m.id === current?.id ? "primary" : "default"}
                  onClick={() => setSelected(m.id)}
                  data-testid={`models-pick-${m.id}`}
                >
                  {models.title(m.id)}
                </Button>
              ))}
            </Space>
          ) : null}
          {current ? <ModelDesk key={current.id} model={current} /> : null}
        </>
      )}
    </>
  );
}

function ModelDesk({ model }: { model: ModelInfo }) {
  const [tick, setTick] = useState(0);
  return (
    <>
      <VersionsCard model={model} refresh={tick} />
      <WhatIfCard model={model} onPublished={() => setTick((n) => n + 1)} />
    </>
  );
}

function VersionsCard({ model, refresh }: { model: ModelInfo; refresh: number }) {
  const { t, pick, label, lang } = useI18n();
  const departments = useDepartments();
  const loaded = useApi(
    (signal) => api.get<ModelVersions>(`/models/${encodeURIComponent(model.id)}/versions`, undefined, signal),
    [model.id, refresh],
  );
  const cur = loaded.data?.current;
  type V = ModelVersions["published"][number];
  return (
    <Card
      style={{ marginBottom: 16 }}
      data-testid="models-card"
      title={
        <Space wrap>
          <span>{pick(model.title.zh, model.title.en)}</span>
          <Tag color={model.kind === "public" ? "blue" : "purple"}>{label("evalKind", model.kind)}</Tag>
        </Space>
      }
    >
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2, xl: 4 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: "id", label: t("models.id"), children: <span className="mono">{model.id}</span> },
          {
            key: "version",
            label: t("models.currentVersion"),
            children: (
              <Tag color="blue" data-testid="models-current-version">
                {t("eval.version", { v: cur?.version ?? model.version })}
              </Tag>
            ),
          },
          { key: "owner", label: t("models.owner"), children: departments.name(model.owner) },
          {
            key: "source",
            label: t("models.source"),
            children: cur ? (
              <span className="mono">
                {cur.source.startsWith("model_versions") ? t("models.published") : cur.source}
              </span>
            ) : null,
          },
          {
            key: "digest",
            label: t("models.digest"),
            children: (
              <Typography.Text className="mono" copyable={{ text: cur?.digest ?? model.digest }}>
                {(cur?.digest ?? model.digest).slice(0, 16)}…
              </Typography.Text>
            ),
          },
        ]}
      />
      <Typography.Title level={5}>{t("models.history")}</Typography.Title>
      <DataTable<V>
        loaded={loaded}
        testId="models-versions"
        rowKey="id"
        dataSource={loaded.data?.published ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t("models.noPublished") }}
        columns={[
          {
            title: t("models.version"),
            dataIndex: "version",
            width: 100,
            render: (v: string) => <b data-testid="models-version">{t("eval.version", { v })}</b>,
          },
          {
            title: t("models.replaced"),
            dataIndex: "previousVersion",
            width: 100,
            render: (v: string | null) => (v ? t("eval.version", { v }) : ""),
          },
          { title: t("models.publishedBy"), dataIndex: "publishedBy", width: 120 },
          {
            title: t("models.publishedAt"),
            dataIndex: "publishedAt",
            width: 170,
            render: (v: string) => formatDateTime(lang, v),
          },
          { title: t("models.note"), dataIndex: "note", ellipsis: true },
          {
            title: t("models.digest"),
            dataIndex: "digest",
            width: 150,
            render: (v: string) => <span className="mono">{v.slice(0, 12)}…</span>,
          },
        ]}
      />
    </Card>
  );
}

/** The line (1-based) of a text as a selection range. */
function lineRange(text: string, line: number): [number, number] {
  const lines = text.split("\n");
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i]!.length + 1;
  return [start, start + (lines[line - 1]?.length ?? 0)];
}

/** A broken draft's problems, each with its line (a click selects it in the editor), in both languages. */
function DraftProblems({ problems, onLine }: { problems: Problem[]; onLine: (line: number) => void }) {
  const { t, lang } = useI18n();
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="whatif-problems"
      title={t("whatif.broken", { n: problems.length })}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {problems.map((p, i) => {
            const [main, fix, other] = lang === "en" ? [p.en, p.fixEn, p.zh] : [p.zh, p.fixZh, p.en];
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity of their own
              <li key={i} data-testid="whatif-problem" data-line={p.row ?? ""}>
                <Space size={6} align="start" wrap={false}>
                  {p.row !== undefined ? (
                    <Tag
                      color="red"
                      style={{ cursor: "pointer" }}
                      onClick={() => onLine(p.row!)}
                      data-testid="whatif-problem-line"
                    >
                      {t("whatif.line", { n: p.row })}
                    </Tag>
                  ) : null}
                  <div>
                    <div style={{ whiteSpace: "pre-wrap" }}>{main}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: "pre-wrap" }}>
                      {other}
                    </Typography.Text>
                    {fix ? (
                      <div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t("whatif.fix")}
                          {fix}
                        </Typography.Text>
                      </div>
                    ) : null}
                  </div>
                </Space>
              </li>
            );
          })}
        </ul>
      }
    />
  );
}

function WhatIfCard({ model, onPublished }: { model: ModelInfo; onPublished: () => void }) {
  const { t, lang } = useI18n();
  const message = useMessage();
  const [text, setText] = useState("");
  const [running, setRunning] = useState(false);
  const [loadingSource, setLoadingSource] = useState(false);
  const [result, setResult] = useState<{ text: string; diff: ModelDiff }>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [failure, setFailure] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [publishError, setPublishError] = useState<unknown>();
  const [note, setNote] = useState("");
  const editor = useRef<TextAreaRef>(null);
  const base = `/models/${encodeURIComponent(model.id)}`;

  const showError = (e: unknown) => {
    if (e instanceof ApiError && e.problems.length > 0) {
      setProblems(e.problems);
      setFailure(undefined);
    } else {
      setProblems([]);
      setFailure(errorText(e, lang, t("common.unknownError"), t("common.networkError")));
    }
  };

  const loadCurrent = async () => {
    setLoadingSource(true);
    try {
      const s = await api.get<ModelSource>(`${base}/source`);
      setText(s.yaml);
      setResult(undefined);
      setProblems([]);
      setFailure(undefined);
    } catch (e) {
      showError(e);
    } finally {
      setLoadingSource(false);
    }
  };

  const run = async () => {
    setRunning(true);
    setProblems([]);
    setFailure(undefined);
    setResult(undefined);
    try {
      const diff = await api.post<ModelDiff>(`${base}/diff`, { yaml: text });
      setResult({ text, diff });
    } catch (e) {
      showError(e);
    } finally {
      setRunning(false);
    }
  };

  const publish = async () => {
    setPublishing(true);
    setPublishError(undefined);
    try {
      const r = await api.post<ModelPublication>(`${base}/publish`, {
        yaml: text,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      message.success(t("whatif.publishedMsg", { v: r.version }));
      setConfirming(false);
      setNote("");
      setResult(undefined);
      setText("");
      invalidate("models");
      onPublished();
    } catch (e) {
      setPublishError(e);
    } finally {
      setPublishing(false);
    }
  };

  const goToLine = (line: number) => {
    const el = editor.current?.resizableTextArea?.textArea;
    if (!el) return;
    const [a, b] = lineRange(el.value, line);
    el.focus();
    el.setSelectionRange(a, b);
    const lh = Number.parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.scrollTop = Math.max(0, (line - 3) * lh);
  };

  // The what-if shown is of the text in the editor: editing it asks for a new what-if before publishing.
  const fresh = result !== undefined && result.text === text;

  return (
    <Card
      title={
        <Space>
          <ExperimentOutlined />
          {t("whatif.title")}
        </Space>
      }
      data-testid="whatif-card"
    >
      <Typography.Paragraph type="secondary">{t("whatif.hint")}</Typography.Paragraph>
      <Space style={{ marginBottom: 12 }} wrap>
        <Button
          icon={<CloudDownloadOutlined />}
          loading={loadingSource}
          onClick={loadCurrent}
          data-testid="whatif-load-current"
        >
          {t("whatif.loadCurrent")}
        </Button>
        <Upload
          accept=".yaml,.yml,text/yaml,application/yaml"
          showUploadList={false}
          maxCount={1}
          beforeUpload={(file) => {
            file.text().then((s) => {
              setText(s);
              setResult(undefined);
              setProblems([]);
              setFailure(undefined);
            });
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} data-testid="whatif-upload">
            {t("whatif.upload")}
          </Button>
        </Upload>
        <Typography.Text type="secondary">
          <FileTextOutlined /> {t("whatif.format")}
        </Typography.Text>
      </Space>
      <Input.TextArea
        ref={editor}
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={16}
        spellCheck={false}
        placeholder={t("whatif.placeholder")}
        className="mono"
        style={{ fontSize: 12, marginBottom: 12 }}
        data-testid="whatif-yaml"
      />
      <Space style={{ marginBottom: 16 }} wrap>
        <Button
          type="primary"
          icon={<ExperimentOutlined />}
          loading={running}
          disabled={!text.trim()}
          onClick={run}
          data-testid="whatif-run"
        >
          {t("whatif.run")}
        </Button>
        <Button
          icon={<SendOutlined />}
          disabled={!fresh}
          onClick={() => {
            setPublishError(undefined);
            setConfirming(true);
          }}
          data-testid="whatif-publish"
        >
          {t("whatif.publish")}
        </Button>
        {result && !fresh ? <Typography.Text type="warning">{t("whatif.stale")}</Typography.Text> : null}
        {running ? <Typography.Text type="secondary">{t("whatif.running")}</Typography.Text> : null}
      </Space>
      {failure ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={failure} /> : null}
      {problems.length > 0 ? <DraftProblems problems={problems} onLine={goToLine} /> : null}
      {result ? <WhatIfResult diff={result.diff} /> : null}
      <Modal
        open={confirming}
        title={t("whatif.confirmTitle", { v: result?.diff.draft.version ?? "" })}
        onCancel={() => setConfirming(false)}
        onOk={publish}
        okText={t("whatif.publish")}
        okButtonProps={{ loading: publishing, danger: true, "data-testid": "whatif-publish-confirm" }}
        destroyOnHidden
      >
        {result ? (
          <Row gutter={[8, 8]} style={{ marginBottom: 12 }}>
            <Col span={24}>
              <Typography.Paragraph>
                {t("whatif.confirmText", {
                  model: model.id,
                  current: result.diff.current.version,
                  draft: result.diff.draft.version,
                  psi: result.diff.psi.toFixed(4),
                  up: result.diff.moves.up,
                  down: result.diff.moves.down,
                })}
              </Typography.Paragraph>
            </Col>
          </Row>
        ) : null}
        {publishError instanceof ApiError && publishError.problems.length > 0 ? (
          <DraftProblems
            problems={publishError.problems}
            onLine={(l) => {
              setConfirming(false);
              goToLine(l);
            }}
          />
        ) : publishError ? (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={errorText(publishError, lang, t("common.unknownError"), t("common.networkError"))}
          />
        ) : null}
        <Form layout="vertical">
          <Form.Item label={t("whatif.note")} extra={t("whatif.noteHint")}>
            <Input.TextArea
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={500}
              rows={3}
              data-testid="whatif-note"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
