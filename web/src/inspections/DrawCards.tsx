/**
 * The draw screen's cards (pages/PlanDetail.tsx), in the order of events: freeze the pool (its digest becomes
 * public), then — only then — the seed entered at the draw, then the result with everything needed to verify it.
 */
import { DownloadOutlined, ExportOutlined, LockOutlined, ThunderboltOutlined } from "@ant-design/icons";
import { Alert, Button, type ButtonProps, Card, Descriptions, Form, Input, Space, Typography } from "antd";
import type { HookAPI } from "antd/es/modal/useModal";
import type { ColumnsType } from "antd/es/table";
import { type ReactNode, useMemo, useState } from "react";
import { Link } from "react-router";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type { InspectionPlan, InspectionTask, Page } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { DataTable, usePaged } from "../components/DataTable.tsx";
import { useServerErrors } from "../components/ServerErrors.tsx";
import { formatDateTime, useI18n } from "../i18n.ts";
import {
  DigestBlock,
  drawnColumns,
  poolFileUrl,
  publicPlanPath,
  TaskStatusTag,
  VerifyHelp,
} from "./common.tsx";

/** `modal.confirm` of Modal.useModal: resolves true on OK. */
export type Confirm = HookAPI["confirm"];

/** Draft: what freezing means, and the button (with a confirm) for those who manage plans. */
export function FreezeCard(props: {
  plan: InspectionPlan;
  canManage: boolean;
  confirm: Confirm;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const errors = useServerErrors(form, [], { testId: "freeze-error" });
  const freeze = async () => {
    const ok = await props.confirm({
      title: t("insp.freeze.confirmTitle"),
      content: t("insp.freeze.confirm"),
      okText: t("insp.freeze.button"),
      okButtonProps: { "data-testid": "freeze-confirm" } as ButtonProps,
    });
    if (!ok) return;
    errors.clear();
    try {
      await api.post(`/inspection-plans/${encodeURIComponent(props.plan.id)}/freeze`);
      props.onDone();
    } catch (e) {
      errors.report(e);
    }
  };
  return (
    <Card title={t("insp.freeze.title")} data-testid="freeze-card">
      {errors.alert}
      <Typography.Paragraph>{t("insp.freeze.explain")}</Typography.Paragraph>
      {props.canManage ? (
        <Form form={form} onFinish={freeze}>
          <Button type="primary" htmlType="submit" icon={<LockOutlined />} data-testid="plan-freeze">
            {t("insp.freeze.button")}
          </Button>
        </Form>
      ) : (
        <Typography.Text type="secondary">{t("insp.freeze.waiting")}</Typography.Text>
      )}
    </Card>
  );
}

/** Frozen: the published digest, when, the pool file (public) and the public page. */
export function PoolCard({ plan }: { plan: InspectionPlan }) {
  const { t, lang } = useI18n();
  if (!plan.poolDigest) return null;
  return (
    <Card title={t("insp.pool.title")} data-testid="pool-card">
      <Typography.Text type="secondary">{t("insp.pool.digest")}</Typography.Text>
      <DigestBlock digest={plan.poolDigest} />
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: "at", label: t("insp.plan.frozenAt"), children: formatDateTime(lang, plan.frozenAt) },
          {
            key: "size",
            label: t("insp.plan.poolSize"),
            children: <span data-testid="pool-size">{(plan.poolSize ?? 0).toLocaleString()}</span>,
          },
        ]}
      />
      <Space wrap>
        <Button icon={<DownloadOutlined />} href={poolFileUrl(plan.id)} data-testid="pool-download">
          {t("insp.pool.download", { file: `pool-${plan.id}.csv` })}
        </Button>
        <Link to={publicPlanPath(plan.id)} target="_blank" data-testid="public-link">
          <Button icon={<ExportOutlined />}>{t("insp.public.open")}</Button>
        </Link>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t("insp.pool.hint")}
      </Typography.Paragraph>
    </Card>
  );
}

interface SeedForm {
  seed: string;
}

/** Mirrors checkSeed (src/core/sampling/draw.ts): what is hashed must be exactly what was announced. */
function seedProblem(seed: string, t: ReturnType<typeof useI18n>["t"]): string | undefined {
  if (!seed) return t("insp.seed.required");
  if (new TextEncoder().encode(seed).length > 256) return t("insp.seed.tooLong");
  if (/[\x00-\x1f\x7f]/.test(seed)) return t("insp.seed.control");
  if (seed.startsWith(" ") || seed.endsWith(" ")) return t("insp.seed.spaces");
  return undefined;
}

/** Frozen, for those who manage plans: the seed entered at the draw, in front of witnesses, and 抽取. */
export function SeedCard(props: { plan: InspectionPlan; confirm: Confirm; onDone: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<SeedForm>();
  const errors = useServerErrors(form, ["seed"], { testId: "draw-error" });
  const [busy, setBusy] = useState(false);
  const draw = async ({ seed }: SeedForm) => {
    const ok = await props.confirm({
      title: t("insp.seed.confirmTitle"),
      content: (
        <Space orientation="vertical">
          <span>{t("insp.seed.confirm")}</span>
          <span className="mono" data-testid="seed-echo">
            {seed}
          </span>
        </Space>
      ),
      okText: t("insp.draw.button"),
      okButtonProps: { "data-testid": "draw-confirm" } as ButtonProps,
    });
    if (!ok) return;
    setBusy(true);
    errors.clear();
    try {
      await api.post(`/inspection-plans/${encodeURIComponent(props.plan.id)}/draw`, { seed });
      props.onDone();
    } catch (e) {
      errors.report(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t("insp.seed.title")} data-testid="seed-card">
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t("insp.seed.explain")} />
      {errors.alert}
      <Form<SeedForm> form={form} layout="vertical" onFinish={draw} data-testid="seed-form">
        <Form.Item
          name="seed"
          label={t("insp.seed.label")}
          rules={[
            {
              validator: async (_, v: string | undefined) => {
                const p = seedProblem(v ?? "", t);
                if (p) throw new Error(p);
              },
            },
          ]}
        >
          <Input
            className="mono"
            maxLength={256}
            placeholder={t("insp.seed.placeholder")}
            data-testid="seed-input"
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          icon={<ThunderboltOutlined />}
          loading={busy}
          data-testid="plan-draw"
        >
          {t("insp.draw.button")}
        </Button>
      </Form>
    </Card>
  );
}

/** Drawn: the seed, the algorithm, the verify command. */
export function DrawCard({ plan, extra }: { plan: InspectionPlan; extra?: ReactNode }) {
  const { t, lang } = useI18n();
  if (!plan.seed) return null;
  return (
    <Card title={t("insp.draw.title")} data-testid="draw-card" extra={extra}>
      <Descriptions
        size="small"
        bordered
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          {
            key: "seed",
            label: t("insp.plan.seed"),
            children: (
              <Typography.Text className="mono" copyable={{ text: plan.seed }} data-testid="plan-seed">
                {plan.seed}
              </Typography.Text>
            ),
          },
          { key: "at", label: t("insp.plan.drawnAt"), children: formatDateTime(lang, plan.drawnAt) },
          {
            key: "algorithm",
            label: t("insp.plan.algorithm"),
            children: <span data-testid="plan-algorithm">{plan.algorithm}</span>,
          },
        ]}
      />
      <VerifyHelp planId={plan.id} seed={plan.seed} ratios={plan.ratios ?? ""} />
    </Card>
  );
}

/** The drawn subjects in ticket order (then the must-inspect ones), with their inspectors. */
export function DrawnTable({ plan }: { plan: InspectionPlan }) {
  const { t } = useI18n();
  // An inspector is shown only the tasks assigned to them.
  const mine = useAuth().session?.user.role === "inspector";
  const tasks = usePaged<InspectionTask>("/inspection-tasks", { planId: plan.id }, { size: 20 });
  const columns = useMemo<ColumnsType<InspectionTask>>(
    () => [
      { title: t("insp.task.seq"), dataIndex: "seq", width: 64 },
      {
        title: t("insp.task.subject"),
        key: "subject",
        width: 280,
        render: (_, x) => (
          <Space orientation="vertical" size={0}>
            <span data-testid="drawn-name">{x.subjectName}</span>
            <Typography.Text type="secondary" className="mono" data-testid="drawn-code">
              {x.subjectCode}
            </Typography.Text>
          </Space>
        ),
      },
      ...drawnColumns<InspectionTask>(t),
      {
        title: t("insp.task.inspectors"),
        key: "inspectors",
        width: 200,
        render: (_, x) =>
          x.inspectors.length ? (
            <span data-testid="drawn-inspectors">{x.inspectors.map((i) => i.name).join("、")}</span>
          ) : (
            <Typography.Text type="warning">{t("insp.task.noInspectors")}</Typography.Text>
          ),
      },
      {
        title: t("insp.task.status"),
        dataIndex: "status",
        width: 100,
        render: (s: string) => <TaskStatusTag status={s} />,
      },
    ],
    [t],
  );
  return (
    <Card
      title={mine ? t("insp.drawn.mine") : t("insp.drawn.title")}
      extra={<Typography.Text type="secondary">{t("insp.drawn.hint")}</Typography.Text>}
    >
      <Unassigned planId={plan.id} />
      <DataTable<InspectionTask>
        loaded={tasks}
        testId="drawn-table"
        rowKey="id"
        columns={columns}
        dataSource={tasks.data?.items ?? []}
        pagination={tasks.pagination}
        scroll={{ x: 1050 }}
        onRow={(x) =>
          ({ "data-testid": "drawn-row", "data-kind": x.kind, "data-code": x.subjectCode }) as object
        }
      />
    </Card>
  );
}

/** Tasks nobody could be assigned to, each with the reason. */
function Unassigned({ planId }: { planId: string }) {
  const { t, pick } = useI18n();
  const { data } = useApi(
    (signal) =>
      api.get<Page<InspectionTask>>(
        "/inspection-tasks",
        { planId, status: "unassigned", limit: 100 },
        signal,
      ),
    [planId],
  );
  if (!data || data.total === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="unassigned"
      title={t("insp.unassigned.title", { n: data.total })}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {data.items.map((x) => (
            <li key={x.id}>
              <span className="mono">{x.subjectCode}</span> {x.subjectName}：{pick(x.note?.zh, x.note?.en)}
            </li>
          ))}
        </ul>
      }
    />
  );
}
