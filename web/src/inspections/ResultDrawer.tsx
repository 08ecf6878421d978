/**
 * 录入检查结果: outcome, date, problems (required unless nothing was found — the server's rule, checked here
 * first), follow-up. The result becomes a credit record and the subject is re-evaluated: its new grades show.
 */
import { Button, Descriptions, Drawer, Form, Input, Radio, Result, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { api } from "../api/client.ts";
import type { InspectionTask, ResultEntered, ResultInput } from "../api/types.ts";
import { useFormSubmit } from "../components/Forms.tsx";
import { chinaToday } from "../dates.ts";
import { GradeTag } from "../evaluation/grades.tsx";
import { useI18n } from "../i18n.ts";
import { useModels } from "../reference.ts";

const FIELDS = ["outcome", "inspectedOn", "problems", "followUp"] as const;
const OUTCOMES = ["pass", "problems", "fail"] as const;

export function ResultDrawer(props: {
  task: InspectionTask | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, label } = useI18n();
  const [saved, setSaved] = useState<ResultEntered>();
  const { task } = props;
  const submitter = useFormSubmit<ResultInput>(
    FIELDS,
    async (v) => {
      if (!task) return;
      const body: ResultInput = {
        outcome: v.outcome,
        inspectedOn: v.inspectedOn,
        ...(v.problems?.trim() ? { problems: v.problems.trim() } : {}),
        ...(v.followUp?.trim() ? { followUp: v.followUp.trim() } : {}),
      };
      setSaved(await api.post<ResultEntered>(`/inspection-tasks/${task.id}/result`, body));
      props.onSaved();
    },
    { testId: "result-error" },
  );
  const { form, errors, busy } = submitter;
  const outcome = Form.useWatch("outcome", form);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new task starts a new form
  useEffect(() => {
    setSaved(undefined);
    errors.clear();
    form.resetFields();
    if (task?.result)
      form.setFieldsValue({
        outcome: task.result.outcome,
        inspectedOn: task.result.inspectedOn,
        problems: task.result.problems ?? undefined,
        followUp: task.result.followUp ?? undefined,
      });
  }, [task?.id]);

  return (
    <Drawer
      open={task !== undefined}
      onClose={props.onClose}
      size={560}
      title={t("insp.result.title")}
      destroyOnHidden
      data-testid="result-drawer"
    >
      {task ? (
        <Descriptions
          size="small"
          column={1}
          style={{ marginBottom: 16 }}
          items={[
            {
              key: "subject",
              label: t("insp.task.subject"),
              children: (
                <span>
                  {task.subjectName}（<span className="mono">{task.subjectCode}</span>）
                </span>
              ),
            },
            { key: "grade", label: t("insp.task.gradeAtDraw"), children: <GradeTag grade={task.stratum} /> },
            { key: "plan", label: t("insp.task.plan"), children: task.planTitle },
            { key: "items", label: t("insp.plan.items"), children: task.items.join("；") },
          ]}
        />
      ) : null}
      {saved ? (
        <Saved saved={saved} onClose={props.onClose} />
      ) : (
        <>
          {errors.alert}
          <Form<ResultInput>
            form={form}
            layout="vertical"
            onFinish={submitter.submit}
            initialValues={{ inspectedOn: chinaToday() }}
            data-testid="result-form"
          >
            <Form.Item
              name="outcome"
              label={t("insp.result.outcome")}
              rules={[{ required: true, message: t("common.select", { field: t("insp.result.outcome") }) }]}
            >
              <Radio.Group optionType="button" buttonStyle="solid" data-testid="result-outcome">
                {OUTCOMES.map((o) => (
                  <Radio.Button key={o} value={o} data-testid={`outcome-${o}`}>
                    {label("outcome", o)}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item
              name="inspectedOn"
              label={t("insp.result.inspectedOn")}
              extra={t("insp.result.inspectedOnHint")}
              rules={[
                { required: true, message: t("common.required", { field: t("insp.result.inspectedOn") }) },
              ]}
            >
              <Input type="date" max={chinaToday()} style={{ width: 200 }} data-testid="result-date" />
            </Form.Item>
            <Form.Item
              name="problems"
              label={t("insp.result.problems")}
              dependencies={["outcome"]}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_, v: string | undefined) => {
                    if (getFieldValue("outcome") !== "pass" && getFieldValue("outcome") && !v?.trim())
                      throw new Error(t("insp.result.problemsRequired"));
                  },
                }),
              ]}
              required={outcome !== undefined && outcome !== "pass"}
            >
              <Input.TextArea
                rows={4}
                maxLength={2000}
                showCount
                placeholder={t("insp.result.problemsPlaceholder")}
                data-testid="result-problems"
              />
            </Form.Item>
            <Form.Item name="followUp" label={t("insp.result.followUp")}>
              <Input.TextArea
                rows={3}
                maxLength={2000}
                showCount
                placeholder={t("insp.result.followUpPlaceholder")}
                data-testid="result-followup"
              />
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="result-submit">
                {t("insp.result.submit")}
              </Button>
              <Button onClick={props.onClose}>{t("common.cancel")}</Button>
            </Space>
          </Form>
        </>
      )}
    </Drawer>
  );
}

/** Saved: the credit record's number and the subject's grades after re-evaluation. */
function Saved({ saved, onClose }: { saved: ResultEntered; onClose: () => void }) {
  const { t } = useI18n();
  const models = useModels();
  return (
    <Result
      status="success"
      title={t("insp.result.saved")}
      subTitle={t("insp.result.savedSub", { doc: saved.docNo })}
      data-testid="result-saved"
      extra={<Button onClick={onClose}>{t("common.close")}</Button>}
    >
      <Typography.Paragraph strong>{t("insp.result.newGrades")}</Typography.Paragraph>
      <Space orientation="vertical" data-testid="result-grades">
        {saved.grades.map((g) => (
          <Space key={g.modelId} data-testid="result-grade" data-model={g.modelId} data-grade={g.grade}>
            <GradeTag grade={g.grade} />
            <span>{models.title(g.modelId)}</span>
            <Typography.Text type="secondary">{t("check.points", { n: g.score })}</Typography.Text>
          </Space>
        ))}
      </Space>
    </Result>
  );
}
