/**
 * The draw screen's cards (pages/PlanDetail.tsx), in the order of events: freeze the pool (its digest becomes
 * public), then — only then — the seed entered at the draw, then the result with everything needed to verify it.
 */

import {
  CheckCircleOutlined,
  CloseCircleOutlined,
  DownloadOutlined,
  ExportOutlined,
  LockOutlined,
  ThunderboltOutlined,
} from "@ant-design/icons";
import {
  Alert,
  Button,
  type ButtonProps,
  Card,
  Checkbox,
  Descriptions,
  Form,
  type FormInstance,
  Input,
  Radio,
  Space,
  Typography,
} from "antd";
import type { HookAPI } from "antd/es/modal/useModal";
import type { ColumnsType } from "antd/es/table";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { Link } from "react-router";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import type {
  InspectionPlan,
  InspectionPlanDetail,
  InspectionTask,
  Page,
  SeedCommitment,
} from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { PagedTable, usePaged } from "../components/DataTable.tsx";
import { useFormSubmit } from "../components/Forms.tsx";
import { chinaToday } from "../dates.ts";
import { formatDateTime, useI18n } from "../i18n.ts";
import {
  CommitmentView,
  DigestBlock,
  drawnColumns,
  poolFileUrl,
  publicPlanPath,
  randomSeed,
  sha256Hex,
  TaskStatusTag,
  VerifyHelp,
} from "./common.tsx";

type T = ReturnType<typeof useI18n>["t"];

interface CommitmentForm {
  kind: "public-value" | "sha256";
  description?: string;
  availableOn?: string;
  /** Typed or generated here, never sent: only its digest is. */
  seed?: string;
  digest?: string;
  sealed?: boolean;
}

const COMMITMENT_FIELDS = ["kind", "description", "availableOn", "seed", "digest", "sealed"];

/** The day after China's today: a committed public value must not be known yet. */
function tomorrow(): string {
  return new Date(Date.parse(`${chinaToday()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** What is sent: the public value named and dated, or only the digest of the sealed seed. */
function commitmentOf(v: CommitmentForm): SeedCommitment {
  return v.kind === "sha256"
    ? { kind: "sha256", digest: (v.digest ?? "").trim().toLowerCase() }
    : { kind: "public-value", description: (v.description ?? "").trim(), availableOn: v.availableOn ?? "" };
}

/**
 * The seed commitment's fields (docs/draw-algorithm.md §0.1): a future public value named in words with its
 * date, or — when sealed seeds are allowed — the SHA-256 of a seed typed or generated here and computed here.
 */
function CommitmentFields({
  form,
  sealedAllowed,
}: {
  form: FormInstance<CommitmentForm>;
  sealedAllowed: boolean;
}) {
  const { t } = useI18n();
  const kind = Form.useWatch("kind", form) ?? "public-value";
  const seed = Form.useWatch("seed", form);
  const [local, setLocal] = useState(true);
  useEffect(() => {
    if (kind !== "sha256" || !seed) return;
    let live = true;
    void sha256Hex(seed).then((hex) => {
      if (!live) return;
      if (hex === null) setLocal(false);
      else form.setFieldValue("digest", hex);
    });
    return () => {
      live = false;
    };
  }, [kind, seed, form]);
  return (
    <>
      {sealedAllowed ? (
        <Form.Item name="kind" label={t("insp.commit.kind")}>
          <Radio.Group data-testid="commit-kind">
            <Radio.Button value="public-value">{t("insp.commit.kindPublicValue")}</Radio.Button>
            <Radio.Button value="sha256">{t("insp.commit.kindSha256")}</Radio.Button>
          </Radio.Group>
        </Form.Item>
      ) : null}
      {kind === "public-value" ? (
        <>
          <Typography.Paragraph type="secondary">{t("insp.commit.publicValueHint")}</Typography.Paragraph>
          <Form.Item
            name="description"
            label={t("insp.commit.publicValue")}
            rules={[
              { required: true, whitespace: true, message: t("insp.commit.descriptionRequired") },
              { min: 4, max: 200, message: t("insp.commit.descriptionLength") },
            ]}
          >
            <Input
              maxLength={200}
              placeholder={t("insp.commit.descriptionPlaceholder")}
              data-testid="commit-description"
            />
          </Form.Item>
          <Form.Item
            name="availableOn"
            label={t("insp.commit.availableOn")}
            rules={[
              {
                validator: async (_, v: string | undefined) => {
                  if (!v || v < tomorrow()) throw new Error(t("insp.commit.dateFuture"));
                },
              },
            ]}
          >
            <Input type="date" min={tomorrow()} style={{ width: 200 }} data-testid="commit-date" />
          </Form.Item>
        </>
      ) : (
        <>
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t("insp.commit.sha256Hint")} />
          <Form.Item
            label={t("insp.commit.seed")}
            extra={t(local ? "insp.commit.seedLocal" : "insp.commit.noSubtle")}
          >
            <Space.Compact style={{ width: "100%" }}>
              <Form.Item
                name="seed"
                noStyle
                rules={[
                  {
                    validator: async (_, v: string | undefined) => {
                      const p = v ? seedProblem(v, t) : undefined;
                      if (p) throw new Error(p);
                    },
                  },
                ]}
              >
                <Input className="mono" maxLength={256} autoComplete="off" data-testid="commit-seed" />
              </Form.Item>
              <Button onClick={() => form.setFieldValue("seed", randomSeed())} data-testid="commit-generate">
                {t("insp.commit.generate")}
              </Button>
            </Space.Compact>
          </Form.Item>
          <Form.Item
            name="digest"
            label={t("insp.commit.digest")}
            rules={[
              { pattern: /^\s*[0-9a-fA-F]{64}\s*$/, required: true, message: t("insp.commit.digestFormat") },
            ]}
          >
            <Input className="mono" readOnly={local && !!seed} data-testid="commit-digest" />
          </Form.Item>
          <Form.Item
            name="sealed"
            valuePropName="checked"
            rules={[
              {
                validator: async (_, v: boolean | undefined) => {
                  if (!v) throw new Error(t("insp.commit.sealedRequired"));
                },
              },
            ]}
          >
            <Checkbox data-testid="commit-sealed">{t("insp.commit.sealed")}</Checkbox>
          </Form.Item>
        </>
      )}
    </>
  );
}

/** `modal.confirm` of Modal.useModal: resolves true on OK. */
export type Confirm = HookAPI["confirm"];

/** A confirm with a title, a text, the OK button's text and its test id: true when the user said OK. */
export function ask(
  confirm: Confirm,
  title: string,
  content: ReactNode,
  okText: string,
  okTestId: string,
): () => Promise<boolean> {
  return async () =>
    await confirm({ title, content, okText, okButtonProps: { "data-testid": okTestId } as ButtonProps });
}

/**
 * The seed commitment's form, sent after a confirm: with the freeze of the pool (`freeze`) or on its own for a
 * plan frozen before commitments existed (`commit`).
 */
function CommitmentSubmit(props: {
  step: "freeze" | "commit";
  plan: InspectionPlan;
  confirm: Confirm;
  onDone: () => void;
  /** Above the form: the card's explanation. */
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { step } = props;
  const submitter = useFormSubmit<CommitmentForm>(
    COMMITMENT_FIELDS,
    async (v) => {
      const path = step === "freeze" ? "freeze" : "commitment";
      await api.post(`/inspection-plans/${encodeURIComponent(props.plan.id)}/${path}`, {
        commitment: commitmentOf(v),
      });
      props.onDone();
    },
    {
      testId: `${step}-error`,
      confirm: ask(
        props.confirm,
        t(`insp.${step}.confirmTitle`),
        t(`insp.${step}.confirm`),
        t(`insp.${step}.button`),
        `${step}-confirm`,
      ),
    },
  );
  return (
    <>
      {step === "commit" ? props.children : null /* the legacy warning comes first, the explanation after */}
      {submitter.errors.alert}
      {step === "freeze" ? props.children : null}
      <Form<CommitmentForm>
        form={submitter.form}
        layout="vertical"
        onFinish={submitter.submit}
        initialValues={{ kind: "public-value" }}
        data-testid="commit-form"
      >
        <CommitmentFields form={submitter.form} sealedAllowed={step === "freeze"} />
        <Button type="primary" htmlType="submit" icon={<LockOutlined />} data-testid={`plan-${step}`}>
          {t(`insp.${step}.button`)}
        </Button>
      </Form>
    </>
  );
}

/** Draft: what freezing means, and the button (with a confirm) for those who manage plans. */
export function FreezeCard(props: {
  plan: InspectionPlan;
  canManage: boolean;
  confirm: Confirm;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const explain = <Typography.Paragraph>{t("insp.freeze.explain")}</Typography.Paragraph>;
  return (
    <Card title={t("insp.freeze.title")} data-testid="freeze-card">
      {props.canManage ? (
        <CommitmentSubmit step="freeze" {...props}>
          {explain}
        </CommitmentSubmit>
      ) : (
        <>
          {explain}
          <Typography.Text type="secondary">{t("insp.freeze.waiting")}</Typography.Text>
        </>
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
      <Typography.Text type="secondary">{t("insp.commit.title")}</Typography.Text>
      <CommitmentView commitment={plan.seedCommitment} />
      <Space wrap style={{ marginTop: 12 }}>
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
function seedProblem(seed: string, t: T): string | undefined {
  if (!seed) return t("insp.seed.required");
  if (new TextEncoder().encode(seed).length > 256) return t("insp.seed.tooLong");
  if (/[\x00-\x1f\x7f]/.test(seed)) return t("insp.seed.control");
  if (seed.startsWith(" ") || seed.endsWith(" ")) return t("insp.seed.spaces");
  return undefined;
}

/**
 * Frozen without a commitment (frozen before commitments existed): a future public value is named and dated
 * before the draw — a sealed seed chosen now, with the pool public, is not accepted.
 */
export function LegacyCommitCard(props: { plan: InspectionPlan; confirm: Confirm; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <Card title={t("insp.commit.legacyTitle")} data-testid="legacy-commit-card">
      <CommitmentSubmit step="commit" {...props}>
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t("insp.commit.legacyExplain")} />
      </CommitmentSubmit>
    </Card>
  );
}

/** Whether the seed typed matches a sealed-seed commitment, checked here as it is typed. */
function SeedMatch({ seed, digest }: { seed: string | undefined; digest: string }) {
  const { t } = useI18n();
  const [got, setGot] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    if (!seed) setGot(null);
    else void sha256Hex(seed).then((hex) => live && setGot(hex));
    return () => {
      live = false;
    };
  }, [seed]);
  if (!seed || got === null) return null;
  const match = got === digest;
  return (
    <Typography.Text type={match ? "success" : "danger"} data-testid="seed-match" data-match={String(match)}>
      {match ? <CheckCircleOutlined /> : <CloseCircleOutlined />}{" "}
      {match ? t("insp.seed.matches") : t("insp.seed.differs", { digest: got })}
    </Typography.Text>
  );
}

/** Frozen, for those who manage plans: the committed seed entered at the draw, in front of witnesses, and 抽取. */
export function SeedCard(props: { plan: InspectionPlan; confirm: Confirm; onDone: () => void }) {
  const { t } = useI18n();
  const submitter = useFormSubmit<SeedForm>(
    ["seed"],
    async ({ seed }) => {
      await api.post(`/inspection-plans/${encodeURIComponent(props.plan.id)}/draw`, { seed });
      props.onDone();
    },
    {
      testId: "draw-error",
      confirm: ({ seed }) =>
        ask(
          props.confirm,
          t("insp.seed.confirmTitle"),
          <Space orientation="vertical">
            <span>{t("insp.seed.confirm")}</span>
            <span className="mono" data-testid="seed-echo">
              {seed}
            </span>
          </Space>,
          t("insp.draw.button"),
          "draw-confirm",
        )(),
    },
  );
  const { form, errors, busy } = submitter;
  const typed = Form.useWatch("seed", form);
  const c = props.plan.seedCommitment;
  if (!c) return <LegacyCommitCard {...props} />;
  const early = c.kind === "public-value" && chinaToday() < c.availableOn;
  return (
    <Card title={t("insp.seed.title")} data-testid="seed-card">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="seed-expected"
        title={
          c.kind === "sha256"
            ? t("insp.seed.expectSha256", { digest: c.digest })
            : t("insp.seed.expectPublicValue", { description: c.description, date: c.availableOn })
        }
        description={t("insp.seed.explain")}
      />
      {early ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="seed-too-early"
          title={t("insp.seed.tooEarly", { date: c.kind === "public-value" ? c.availableOn : "" })}
        />
      ) : null}
      {errors.alert}
      <Form<SeedForm> form={form} layout="vertical" onFinish={submitter.submit} data-testid="seed-form">
        <Form.Item
          name="seed"
          label={t("insp.seed.label")}
          extra={c.kind === "sha256" ? <SeedMatch seed={typed} digest={c.digest} /> : undefined}
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
          disabled={early}
          data-testid="plan-draw"
        >
          {t("insp.draw.button")}
        </Button>
      </Form>
    </Card>
  );
}

/** Drawn: the seed, the algorithm, the verify command. */
export function DrawCard({ plan, extra }: { plan: InspectionPlanDetail; extra?: ReactNode }) {
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
      <VerifyHelp planId={plan.id} seed={plan.seed} ratios={plan.ratios} commitment={plan.seedCommitment} />
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
      <PagedTable<InspectionTask>
        list={tasks}
        testId="drawn-table"
        columns={columns}
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
