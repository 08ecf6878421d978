import { ArrowLeftOutlined, HistoryOutlined } from "@ant-design/icons";
import {
  Button,
  Card,
  Descriptions,
  type DescriptionsProps,
  Drawer,
  Empty,
  Space,
  Spin,
  Tag,
  Timeline,
  type TimelineItemProps,
  Typography,
} from "antd";
import { type ReactNode, useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router";
import type { CreditRecord, RecordHistory } from "../../../src/contract/records.ts";
import type { SubjectProfile as Profile } from "../../../src/contract/subjects.ts";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import { useAuth } from "../auth.tsx";
import { ErrorView } from "../components/ErrorResult.tsx";
import { PageBoundary } from "../components/PageBoundary.tsx";
import { PageLoading } from "../components/PageLoading.tsx";
import { RecordStatusTag, SeverityTag, SubjectStatusTag } from "../components/Tags.tsx";
import GradeCard, { recordAnchor } from "../evaluation/GradeCard.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { SubjectMeasuresCard } from "../measures/components.tsx";
import { useCatalog, useDepartments, useIndustries, useRegions } from "../reference.ts";

function recordColor(r: CreditRecord, kind: string | undefined): string {
  if (r.status === "revoked") return "gray";
  if (kind === "positive") return "green";
  if (r.severity === "serious") return "red";
  if (r.severity === "general") return "orange";
  return "blue";
}

/** Newest decision first; among equal dates, the later record first. */
function newestFirst(a: CreditRecord, b: CreditRecord): number {
  return b.decisionDate.localeCompare(a.decisionDate) || b.id - a.id;
}

/**
 * 主体档案: basic data, the credit grade card (grades, reasons, repairs) and the subject's credit records on a
 * timeline, each record's versions in a drawer.
 */
export function SubjectProfileView({
  code,
  showBack = true,
  own,
}: {
  code: string;
  showBack?: boolean;
  /** Cards only the subject's own user sees (on its profile page), after the measures. */
  own?: ReactNode;
}) {
  const { t, label } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const regions = useRegions();
  const industries = useIndustries();
  const catalog = useCatalog();
  const departments = useDepartments();
  const [openRecord, setOpenRecord] = useState<CreditRecord>();

  const { data, error, loading, reload } = useApi(
    (signal) => api.get<Profile>(`/subjects/${encodeURIComponent(code)}`, undefined, signal),
    [code],
  );

  const records = useMemo(() => [...(data?.records ?? [])].sort(newestFirst), [data]);

  const timelineItems = useMemo<TimelineItemProps[]>(
    () =>
      records.map((r) => {
        const category = catalog.category(r.category);
        return {
          key: r.id,
          color: recordColor(r, category?.kind),
          content: (
            <div
              data-testid="record-item"
              data-record-id={r.id}
              id={recordAnchor(r.id)}
              className="record-anchor"
            >
              <Space wrap size={[8, 4]}>
                <Typography.Text strong>{catalog.categoryName(r.category)}</Typography.Text>
                <SeverityTag value={r.severity} />
                <RecordStatusTag value={r.status} reason={r.statusReason} />
                {r.version > 1 ? <Tag>{t("record.versionN", { n: r.version })}</Tag> : null}
              </Space>
              <div className="record-item-meta" style={{ marginTop: 4 }}>
                <Space wrap separator="·" size={[6, 2]}>
                  <span>
                    {t("record.decisionDate")}
                    {t("common.colon")}
                    {r.decisionDate}
                  </span>
                  <span>
                    {t("record.department")}
                    {t("common.colon")}
                    {departments.name(r.department)}
                  </span>
                  <span>
                    {t("record.docNo")}
                    {t("common.colon")}
                    <span className="mono">{r.docNo}</span>
                  </span>
                </Space>
              </div>
              {r.status !== "active" && r.statusReason ? (
                <div className="record-item-meta">
                  {t("record.reason")}
                  {t("common.colon")}
                  {r.statusReason}
                </div>
              ) : null}
              <Button
                type="link"
                size="small"
                icon={<HistoryOutlined />}
                style={{ paddingInline: 0 }}
                onClick={() => setOpenRecord(r)}
                data-testid="record-versions-link"
              >
                {t("record.openVersions")}
              </Button>
            </div>
          ),
        };
      }),
    [records, catalog, departments, t],
  );

  if (loading && !data) return <PageLoading />;
  if (error) return <ErrorView error={error} onRetry={reload} />;
  if (!data) return null;
  const s = data.subject;

  const basic: DescriptionsProps["items"] = [
    {
      key: "code",
      label: t("subject.codeOrId"),
      children: (
        <Space size={4}>
          <Typography.Text className="mono" copyable={!s.masked}>
            {s.code}
          </Typography.Text>
          {s.masked ? <Tag>{t("subject.masked")}</Tag> : null}
        </Space>
      ),
    },
    { key: "codeStatus", label: t("subject.codeStatus"), children: label("codeStatus", s.codeStatus) },
    { key: "type", label: t("subject.type"), children: label("subjectType", s.type) },
    { key: "region", label: t("subject.region"), children: regions.name(s.region) },
    {
      key: "industry",
      label: t("subject.industry"),
      children: s.industrySection ? `${s.industrySection} ${industries.sectionName(s.industrySection)}` : "",
    },
    {
      key: "division",
      label: t("subject.industryDivision"),
      children: s.industryDivision
        ? `${s.industryDivision} ${industries.divisionName(s.industryDivision)}`
        : "",
    },
    { key: "registeredOn", label: t("subject.registeredOn"), children: s.registeredOn ?? "" },
    {
      key: "capital",
      label: t("subject.capital"),
      children: s.registeredCapital === null ? "" : s.registeredCapital.toLocaleString(),
    },
    { key: "status", label: t("subject.status"), children: <SubjectStatusTag value={s.status} /> },
  ];

  return (
    <>
      <Card
        style={{ marginBottom: 16 }}
        data-testid="subject-profile-header"
        title={
          <Space wrap>
            {showBack ? (
              <Button
                type="text"
                icon={<ArrowLeftOutlined />}
                onClick={() => navigate(-1)}
                aria-label={t("common.back")}
              />
            ) : null}
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="subject-name">
              {s.name}
            </Typography.Title>
            <SubjectStatusTag value={s.status} />
            <Tag color="blue">{label("subjectType", s.type)}</Tag>
          </Space>
        }
      >
        <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }} items={basic} />
      </Card>
      {can("records.read") ? (
        // A failure in the grade card (its chart's code, say) leaves the rest of the profile usable.
        <PageBoundary resetKey={code}>
          <GradeCard code={code} records={records} />
        </PageBoundary>
      ) : null}
      {can("records.read") ? (
        <PageBoundary resetKey={code}>
          <SubjectMeasuresCard code={code} />
        </PageBoundary>
      ) : null}
      {own}
      <Card
        title={t("subject.profile.records")}
        extra={
          <Typography.Text type="secondary">
            {t("subject.profile.recordCount", { n: records.length })}
          </Typography.Text>
        }
      >
        {records.length === 0 ? (
          <Empty description={t("subject.profile.noRecords")} data-testid="record-timeline-empty" />
        ) : (
          <div data-testid="record-timeline">
            <Timeline items={timelineItems} />
          </div>
        )}
      </Card>
      <VersionsDrawer record={openRecord} onClose={() => setOpenRecord(undefined)} />
    </>
  );
}

/** Every version of one record, newest first, with where each came from (batch, submitter, time, digest). */
function VersionsDrawer({ record, onClose }: { record: CreditRecord | undefined; onClose: () => void }) {
  const { t, lang } = useI18n();
  const catalog = useCatalog();
  const departments = useDepartments();
  const id = record?.id;
  const { data, error, loading, reload } = useApi(
    (signal) =>
      id === undefined
        ? Promise.resolve(undefined)
        : api.get<RecordHistory>(`/records/${id}`, undefined, signal),
    [id],
  );
  const versions = useMemo(() => [...(data?.versions ?? [])].sort((a, b) => b.version - a.version), [data]);
  const category = record ? catalog.category(record.category) : undefined;

  return (
    <Drawer
      open={record !== undefined}
      onClose={onClose}
      size={680}
      destroyOnHidden
      title={record ? t("record.versionsTitle", { doc: record.docNo }) : ""}
    >
      <div data-testid="record-versions">
        {record ? (
          <Typography.Paragraph type="secondary">
            {catalog.categoryName(record.category)} · {departments.name(record.department)}
          </Typography.Paragraph>
        ) : null}
        {loading ? <Spin /> : null}
        {error ? <ErrorView error={error} onRetry={reload} /> : null}
        <Space orientation="vertical" size={12} style={{ width: "100%" }}>
          {versions.map((v) => (
            <Card
              key={v.id}
              size="small"
              data-testid="record-version"
              title={
                <Space>
                  <span>{t("record.versionN", { n: v.version })}</span>
                  {v.isCurrent ? <Tag color="blue">{t("record.current")}</Tag> : null}
                  <RecordStatusTag value={v.status} />
                  <SeverityTag value={v.severity} />
                </Space>
              }
            >
              <Descriptions
                size="small"
                column={1}
                styles={{ label: { width: 150 } }}
                items={[
                  { key: "date", label: t("record.decisionDate"), children: v.decisionDate },
                  ...(v.statusReason
                    ? [{ key: "reason", label: t("record.reason"), children: v.statusReason }]
                    : []),
                  ...(v.subjectCorrection
                    ? [
                        {
                          key: "subjectCorrection",
                          label: t("record.subjectCorrection"),
                          children: `${v.subjectCode}：${v.subjectCorrection}`,
                        },
                      ]
                    : []),
                  {
                    key: "batch",
                    label: t("record.batch"),
                    children: <span className="mono">{v.batchId}</span>,
                  },
                  { key: "by", label: t("record.submitter"), children: v.submittedBy },
                  {
                    key: "at",
                    label: t("record.submittedAt"),
                    children: formatDateTime(lang, v.submittedAt),
                  },
                  {
                    key: "digest",
                    label: t("record.digest"),
                    children: (
                      <Typography.Text className="mono" copyable data-testid="record-digest">
                        {v.digest}
                      </Typography.Text>
                    ),
                  },
                ]}
              />
              {Object.keys(v.fields ?? {}).length > 0 ? (
                <Descriptions
                  size="small"
                  bordered
                  column={1}
                  style={{ marginTop: 8 }}
                  title={<Typography.Text type="secondary">{t("record.fields")}</Typography.Text>}
                  items={Object.entries(v.fields).map(([k, val]) => ({
                    key: k,
                    label: catalog.columnLabel(category, k),
                    children: val === null ? "" : String(val),
                  }))}
                />
              ) : null}
            </Card>
          ))}
        </Space>
      </div>
    </Drawer>
  );
}

export default function SubjectProfile() {
  const { code = "" } = useParams();
  return <SubjectProfileView code={code} />;
}
