import { Alert, Button, Card, Descriptions, Form, Space, Steps, Typography } from "antd";
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import type { SamplingDefaults } from "../../../src/contract/inspections.ts";
import { ApiError, api, problemText } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { InspectionPlan, PlanCounts, PlanInput } from "../api/types.ts";
import { ErrorView } from "../components/ErrorResult.tsx";
import { useMessage } from "../components/Feedback.tsx";
import { PageHeader } from "../components/PageHeader.tsx";
import { PageLoading } from "../components/PageLoading.tsx";
import { useServerErrors } from "../components/ServerErrors.tsx";
import { useI18n } from "../i18n.ts";
import { CountsTable, RatiosLine } from "../inspections/common.tsx";
import {
  initialValues,
  type PlanFormValues,
  RulesFields,
  ScopeFields,
  SERVER_FIELDS,
  STEP_FIELDS,
  toInput,
} from "../inspections/PlanForm.tsx";
import { capsText, PlanScope } from "../inspections/PlanParams.tsx";

/** 新建抽查计划: scope and items → ratios and rules → check and create, with a live preview of the counts. */
export default function PlanWizard() {
  const { t } = useI18n();
  const defaults = useApi((signal) => api.get<SamplingDefaults>("/sampling/defaults", undefined, signal), []);
  if (defaults.error) return <ErrorView error={defaults.error} onRetry={defaults.reload} />;
  if (!defaults.data) return <PageLoading />;
  return (
    <>
      <PageHeader title={t("insp.wizard.title")} sub={t("insp.wizard.sub")} testId="page-plan-wizard" />
      <Wizard defaults={defaults.data} />
    </>
  );
}

function Wizard({ defaults }: { defaults: SamplingDefaults }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const message = useMessage();
  const [form] = Form.useForm<PlanFormValues>();
  const errors = useServerErrors(form, SERVER_FIELDS, { testId: "wizard-error" });
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState(false);
  const values = Form.useWatch([], { form, preserve: true }) as PlanFormValues | undefined;
  const preview = useLivePreview(values ? toInput(values) : undefined);

  const next = async () => {
    try {
      await form.validateFields(STEP_FIELDS[step] as never);
      setStep((s) => s + 1);
    } catch {
      // the fields say what is missing
    }
  };

  const create = async () => {
    setBusy(true);
    errors.clear();
    try {
      await form.validateFields();
      const plan = await api.post<InspectionPlan>("/inspection-plans", toInput(form.getFieldsValue(true)));
      message.success(t("insp.wizard.created"));
      navigate(`/inspection-plans/${encodeURIComponent(plan.id)}`);
    } catch (e) {
      if (e instanceof ApiError) errors.report(e);
    } finally {
      setBusy(false);
    }
  };

  const steps = [
    { title: t("insp.wizard.step.scope"), content: <ScopeFields types={defaults.directoryTypes} /> },
    { title: t("insp.wizard.step.rules"), content: <RulesFields defaults={defaults} /> },
    { title: t("insp.wizard.step.confirm"), content: values ? <Summary values={values} /> : null },
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: "100%" }}>
      <Card>
        <Steps current={step} items={steps.map((s) => ({ title: s.title }))} style={{ marginBottom: 24 }} />
        {errors.alert}
        <Form<PlanFormValues>
          form={form}
          layout="vertical"
          initialValues={initialValues(defaults)}
          data-testid="plan-wizard"
          style={{ maxWidth: 860 }}
        >
          {steps.map((s, i) => (
            <div
              key={s.title}
              style={{ display: i === step ? undefined : "none" }}
              data-testid={`wizard-step-${i}`}
            >
              {s.content}
            </div>
          ))}
        </Form>
        <Space>
          {step > 0 ? (
            <Button onClick={() => setStep((s) => s - 1)} data-testid="wizard-prev">
              {t("insp.wizard.prev")}
            </Button>
          ) : null}
          {step < steps.length - 1 ? (
            <Button type="primary" onClick={next} data-testid="wizard-next">
              {t("insp.wizard.next")}
            </Button>
          ) : (
            <Button type="primary" loading={busy} onClick={create} data-testid="wizard-create">
              {t("insp.wizard.create")}
            </Button>
          )}
          <Button type="link" onClick={() => navigate("/inspection-plans")}>
            {t("common.cancel")}
          </Button>
        </Space>
      </Card>
      <Card
        title={t("insp.wizard.preview")}
        extra={<Typography.Text type="secondary">{t("insp.wizard.previewHint")}</Typography.Text>}
        data-testid="wizard-preview"
      >
        <PreviewBody preview={preview} />
      </Card>
    </Space>
  );
}

function PreviewBody({ preview }: { preview: LivePreview }) {
  const { t, lang } = useI18n();
  if (!preview.asked)
    return <Typography.Text type="secondary">{t("insp.wizard.previewWaiting")}</Typography.Text>;
  if (preview.error)
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="wizard-preview-error"
        title={t("insp.wizard.previewFailed")}
        description={
          preview.error instanceof ApiError && preview.error.problems.length > 0 ? (
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {preview.error.problems.map((p) => (
                <li key={`${p.code}/${p.field ?? ""}`}>{problemText(p, lang)}</li>
              ))}
            </ul>
          ) : undefined
        }
      />
    );
  return <CountsTable counts={preview.counts} loading={preview.loading} testId="wizard-counts" />;
}

interface LivePreview {
  /** Enough is filled in to ask (at least one item). */
  asked: boolean;
  counts: PlanCounts | undefined;
  error: unknown;
  loading: boolean;
}

/** POST /inspection-plans/preview shortly after the form stops changing; older answers are dropped. */
function useLivePreview(input: PlanInput | undefined): LivePreview {
  const [state, setState] = useState<Omit<LivePreview, "asked">>({
    counts: undefined,
    error: undefined,
    loading: false,
  });
  const asked = (input?.items.length ?? 0) > 0;
  const key = asked ? JSON.stringify(input) : "";
  useEffect(() => {
    if (!key) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const body = JSON.parse(key) as PlanInput;
    // The title does not change the counts; a plan needs one, so the preview sends one until it is typed.
    if (body.title.length < 2) body.title = "preview";
    const timer = setTimeout(() => {
      api.post<PlanCounts>("/inspection-plans/preview", body).then(
        (counts) => live && setState({ counts, error: undefined, loading: false }),
        (error: unknown) => live && setState({ counts: undefined, error, loading: false }),
      );
    }, 350);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  return { asked, ...state };
}

/** Step 3: what will be created. */
function Summary({ values }: { values: PlanFormValues }) {
  const { t } = useI18n();
  const input = toInput(values);
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      style={{ marginBottom: 24 }}
      data-testid="wizard-summary"
      items={[
        { key: "title", label: t("insp.plan.title"), children: input.title },
        { key: "items", label: t("insp.plan.items"), children: input.items.join("；") },
        { key: "scope", label: t("insp.plan.scope"), children: <PlanScope scope={input.scope ?? {}} /> },
        {
          key: "ratios",
          label: t("insp.plan.ratios"),
          children: <RatiosLine ratiosBp={input.ratiosBp ?? {}} />,
        },
        {
          key: "caps",
          label: t("insp.wizard.cap"),
          children: capsText(input.frequencyCapPerYear ?? {}, t),
        },
        {
          key: "floor",
          label: t("insp.plan.floorYears"),
          children: input.floorYears ? t("insp.plan.floorN", { n: input.floorYears }) : t("insp.wizard.off"),
        },
        {
          key: "exclusion",
          label: t("insp.plan.exclusionMonths"),
          children: input.exclusionMonths
            ? t("insp.plan.exclusionN", { n: input.exclusionMonths })
            : t("insp.wizard.off"),
        },
        {
          key: "inspectors",
          label: t("insp.plan.inspectorsPerSubject"),
          children: input.inspectorsPerSubject,
        },
      ]}
    />
  );
}
