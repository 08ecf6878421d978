import { SafetyCertificateOutlined } from "@ant-design/icons";
import { Button, Card, Descriptions, Form, Input, Select, Space, Typography } from "antd";
import { useState } from "react";
import type { CreditCheck, MeasureLists } from "../../../src/contract/measures.ts";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { Page } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { ErrorView } from "../components/ErrorResult.tsx";
import { useFormSubmit, useRules } from "../components/Forms.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import { AppliedMeasuresTable, ChecksTable, GradesLine } from "../measures/components.tsx";
import { useDepartments } from "../reference.ts";

interface CheckForm {
  subject: string;
  scenario: string;
  purpose: string;
}

/**
 * 信用核查: a department user checks a subject for a scenario (approval, public service, trading …) and a
 * purpose → the grades that apply, the measures with their kind and reasons. Below, the check log.
 */
export default function CreditChecks() {
  const { t, pick, lang } = useI18n();
  const { can } = useAuth();
  const departments = useDepartments();
  const rules = useRules();
  const submitter = useFormSubmit<CheckForm>(["subject", "scenario", "purpose"], async (v) => {
    try {
      const c = await api.post<CreditCheck>("/credit-checks", {
        subject: v.subject.trim(),
        scenario: v.scenario,
        purpose: v.purpose.trim(),
      });
      setResult(c);
      setPage(1);
    } catch (e) {
      setResult(undefined);
      throw e;
    }
  });
  const { errors, busy } = submitter;
  const [result, setResult] = useState<CreditCheck>();
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(20);
  const lists = useApi((signal) => api.get<MeasureLists>("/measures", undefined, signal), []);
  const canLog = can("credit_checks.read");
  const log = useApi(
    (signal) =>
      canLog
        ? api.get<Page<CreditCheck>>("/credit-checks", { limit: size, offset: (page - 1) * size }, signal)
        : Promise.resolve(undefined),
    [page, size, canLog, result?.id],
  );

  return (
    <>
      <PageHeader title={t("check.title")} sub={t("check.sub")} testId="page-credit-checks" />
      <Card style={{ marginBottom: 16 }}>
        {errors.alert}
        <Form<CheckForm>
          form={submitter.form}
          layout="vertical"
          onFinish={submitter.submit}
          data-testid="check-form"
          style={{ maxWidth: 720 }}
        >
          <Form.Item name="subject" label={t("check.subject")} rules={[rules.required(t("check.subject"))]}>
            <Input
              maxLength={64}
              placeholder={t("check.subjectPlaceholder")}
              className="mono"
              data-testid="check-subject"
            />
          </Form.Item>
          <Form.Item
            name="scenario"
            label={t("measures.scenario")}
            rules={[rules.select(t("measures.scenario"))]}
          >
            <Select
              data-testid="check-scenario"
              loading={lists.loading}
              options={(lists.data?.scenarios ?? []).map((s) => ({ value: s.id, label: pick(s.zh, s.en) }))}
            />
          </Form.Item>
          <Form.Item
            name="purpose"
            label={t("check.purpose")}
            rules={[
              rules.required(t("check.purpose")),
              { min: 2, max: 200, message: t("check.purposeRule") },
            ]}
          >
            <Input.TextArea
              rows={2}
              maxLength={200}
              showCount
              placeholder={t("check.purposePlaceholder")}
              data-testid="check-purpose-input"
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={busy}
            icon={<SafetyCertificateOutlined />}
            data-testid="check-submit"
          >
            {t("check.submit")}
          </Button>
        </Form>
      </Card>
      {result ? (
        <Card style={{ marginBottom: 16 }} title={t("check.result")} data-testid="check-result">
          <Space orientation="vertical" size={12} style={{ width: "100%" }}>
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, md: 2 }}
              items={[
                {
                  key: "subject",
                  label: t("check.subjectName"),
                  children: (
                    <span data-testid="check-result-subject">
                      {result.result.subject.name}（<span className="mono">{result.subjectCode}</span>）
                    </span>
                  ),
                },
                {
                  key: "scenario",
                  label: t("measures.scenario"),
                  children: pick(result.scenario.zh, result.scenario.en),
                },
                {
                  key: "department",
                  label: t("check.department"),
                  children: departments.name(result.department),
                },
                { key: "at", label: t("check.at"), children: formatDateTime(lang, result.at) },
                {
                  key: "grades",
                  label: t("check.grades"),
                  span: 2,
                  children: <GradesLine grades={result.result.grades} />,
                },
              ]}
            />
            <AppliedMeasuresTable measures={result.result.measures} />
            <Typography.Text type="secondary">{t("check.logged")}</Typography.Text>
          </Space>
        </Card>
      ) : null}
      {canLog ? (
        <Card
          title={t("check.log")}
          extra={<Typography.Text type="secondary">{t("check.logHint")}</Typography.Text>}
        >
          {log.error ? (
            <ErrorView error={log.error} onRetry={log.reload} />
          ) : (
            <ChecksTable
              data={log.data}
              loading={log.loading}
              page={page}
              size={size}
              testId="check-log"
              onPage={(p, s) => {
                setPage(p);
                setSize(s);
              }}
            />
          )}
        </Card>
      ) : null}
    </>
  );
}
