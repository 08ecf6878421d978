/**
 * Pieces the inspection pages share (plans, draw, tasks, directories, public pages): status and outcome tags,
 * the pool digest and the verify command with copy buttons, ratios in per cent, the counts table per grade.
 */
import { Descriptions, Table, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType, ColumnType } from "antd/es/table";
import { useMemo } from "react";
import { apiUrl } from "../api/client.ts";
import type {
  Outcome,
  PlanCounts,
  PlanStatus,
  SeedCommitment,
  StratumCounts,
  TaskStatus,
} from "../api/types.ts";
import { GradeTag } from "../evaluation/grades.tsx";
import { formatDateTime, type MessageKey, useI18n } from "../i18n.ts";
import { useDepartments } from "../reference.ts";

const PLAN_STATUS_COLOR: Record<PlanStatus, string> = {
  draft: "default",
  frozen: "blue",
  drawn: "green",
  closed: "purple",
};
const TASK_STATUS_COLOR: Record<TaskStatus, string> = {
  assigned: "processing",
  unassigned: "warning",
  done: "success",
};
const OUTCOME_COLOR: Record<Outcome, string> = { pass: "green", problems: "orange", fail: "red" };

/** 草稿 / 名录已冻结 / 已抽取 / 已结束. */
export function PlanStatusTag({ status }: { status: string }) {
  const { label } = useI18n();
  return (
    <Tag
      color={PLAN_STATUS_COLOR[status as PlanStatus] ?? "default"}
      data-testid="plan-status"
      data-status={status}
    >
      {label("planStatus", status)}
    </Tag>
  );
}

interface PlanRow {
  department: string;
  status: string;
  frozenAt: string | null;
  drawnAt: string | null;
}

/** The columns both plan lists (the department's and the public one) show: department and status, then times. */
export function usePlanColumns<P extends PlanRow>(departmentWidth: number) {
  const { t, lang } = useI18n();
  const departments = useDepartments();
  return useMemo(() => {
    const at = (key: "frozenAt" | "drawnAt"): ColumnType<P> => ({
      title: t(`insp.plan.${key}`),
      dataIndex: key,
      width: 170,
      render: (v: string | null) => formatDateTime(lang, v) || "—",
    });
    const head: ColumnsType<P> = [
      {
        title: t("insp.plan.department"),
        dataIndex: "department",
        width: departmentWidth,
        render: (v: string) => departments.name(v),
      },
      {
        title: t("insp.plan.status"),
        dataIndex: "status",
        width: 110,
        render: (v: string) => <PlanStatusTag status={v} />,
      },
    ];
    return { head, times: [at("frozenAt"), at("drawnAt")] };
  }, [t, lang, departments, departmentWidth]);
}

export function TaskStatusTag({ status }: { status: string }) {
  const { label } = useI18n();
  return (
    <Tag color={TASK_STATUS_COLOR[status as TaskStatus] ?? "default"} data-testid="task-status">
      {label("taskStatus", status)}
    </Tag>
  );
}

/** 未发现问题 / 发现问题 / 不合格. */
export function OutcomeTag({ outcome }: { outcome: string }) {
  const { label } = useI18n();
  return (
    <Tag color={OUTCOME_COLOR[outcome as Outcome] ?? "default"} data-testid="outcome" data-outcome={outcome}>
      {label("outcome", outcome)}
    </Tag>
  );
}

/** 随机抽取 / 必检（底线）. */
export function TaskKindTag({ kind }: { kind: string }) {
  const { label } = useI18n();
  return (
    <Tag color={kind === "must" ? "magenta" : "cyan"} data-testid="task-kind" data-kind={kind}>
      {label("taskKind", kind)}
    </Tag>
  );
}

/** 3% for 300 basis points, 0.5% for 50. */
/** The columns a drawn subject shows wherever it is listed (plan page, public page): grade, kind, ticket. */
export function drawnColumns<T extends { stratum: string; kind: string; ticket: string | null }>(
  t: (key: MessageKey) => string,
): ColumnsType<T> {
  return [
    {
      title: t("insp.grade"),
      dataIndex: "stratum",
      width: 140,
      render: (g: string) => <GradeTag grade={g} />,
    },
    {
      title: t("insp.task.kind"),
      dataIndex: "kind",
      width: 110,
      render: (k: string) => <TaskKindTag kind={k} />,
    },
    {
      title: t("insp.task.ticket"),
      dataIndex: "ticket",
      width: 140,
      render: (v: string | null) => <Ticket ticket={v} />,
    },
  ];
}

export function percentOf(bp: number): string {
  return `${Number((bp / 100).toFixed(2))}%`;
}

/** The published pool file (anyone may download it, signed in or not). */
export function poolFileUrl(planId: string): string {
  return apiUrl(`/public/inspection-plans/${encodeURIComponent(planId)}/pool.csv`);
}

/** The published draw, exactly as `credit draw verify` prints it (anyone may download it). */
export function drawTextUrl(planId: string): string {
  return apiUrl(`/public/inspection-plans/${encodeURIComponent(planId)}/draw.txt`);
}

/**
 * SHA-256 (hex) of the text's UTF-8 bytes, computed in the browser, or null where the browser offers no
 * crypto.subtle (a page served over plain HTTP from another host): the sealed seed never leaves this machine.
 */
export async function sha256Hex(text: string): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A sealed seed nobody can guess from its published digest: 128 random bits, as 32 hex digits. */
export function randomSeed(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The seed commitment as published: what kind, and the digest or the named value and its date. */
export function CommitmentView({ commitment }: { commitment: SeedCommitment | null }) {
  const { t } = useI18n();
  if (!commitment)
    return (
      <div data-testid="commitment" data-kind="none">
        <Tag color="warning">{t("insp.commit.none")}</Tag>
        <Typography.Text type="secondary">{t("insp.commit.noneHint")}</Typography.Text>
      </div>
    );
  return (
    <div data-testid="commitment" data-kind={commitment.kind}>
      {commitment.kind === "sha256" ? (
        <>
          <Typography.Text type="secondary">{t("insp.commit.sha256Published")}</Typography.Text>
          <Typography.Paragraph
            className="mono digest-block"
            copyable={{ text: `sha256:${commitment.digest}` }}
            data-testid="commitment-digest"
            data-digest={commitment.digest}
          >
            sha256:{commitment.digest}
          </Typography.Paragraph>
        </>
      ) : (
        <Descriptions
          size="small"
          column={1}
          items={[
            {
              key: "value",
              label: t("insp.commit.publicValue"),
              children: <span data-testid="commitment-description">{commitment.description}</span>,
            },
            {
              key: "on",
              label: t("insp.commit.availableOn"),
              children: <span data-testid="commitment-date">{commitment.availableOn}</span>,
            },
          ]}
        />
      )}
    </div>
  );
}

/** The plan's public page (一公开). */
export function publicPlanPath(planId: string): string {
  return `/public/plans/${encodeURIComponent(planId)}`;
}

/** One shell word in single quotes (a quote inside becomes '\''). */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command that recomputes the draw from the published pool file, seed and ratios — and, for a sealed seed,
 * checks it against the commitment published at the freeze.
 */
export function verifyCommand(
  planId: string,
  seed: string,
  ratios: string,
  commitment?: SeedCommitment | null,
): string {
  const checked = commitment?.kind === "sha256" ? ` --commitment sha256:${commitment.digest}` : "";
  return `npx credit draw verify --pool pool-${planId}.csv --seed ${shellQuote(seed)} --ratios ${ratios}${checked}`;
}

/** A ticket's first digits, the whole one on hover. */
export function Ticket({ ticket }: { ticket: string | null }) {
  if (!ticket) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tooltip title={<span className="mono">{ticket}</span>}>
      <span className="mono" data-testid="ticket">
        {ticket.slice(0, 12)}…
      </span>
    </Tooltip>
  );
}

/** The pool digest, large and monospace, with a copy button. */
export function DigestBlock({ digest, testId = "pool-digest" }: { digest: string; testId?: string }) {
  return (
    <Typography.Paragraph
      className="mono digest-block"
      copyable={{ text: digest }}
      data-testid={testId}
      data-digest={digest}
    >
      {digest}
    </Typography.Paragraph>
  );
}

/** A command line in a code box, with a copy button. */
export function CommandBlock({ command, testId = "verify-command" }: { command: string; testId?: string }) {
  return (
    <Typography.Paragraph
      className="mono command-block"
      copyable={{ text: command }}
      data-testid={testId}
      data-command={command}
    >
      {command}
    </Typography.Paragraph>
  );
}

/** The verify command with what it needs: download the pool file, check its digest, recompute. */
export function VerifyHelp({
  planId,
  seed,
  ratios,
  commitment,
}: {
  planId: string;
  seed: string;
  ratios: string;
  commitment?: SeedCommitment | null;
}) {
  const { t } = useI18n();
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t("insp.verifyHint", { file: `pool-${planId}.csv` })}
      </Typography.Paragraph>
      <CommandBlock command={verifyCommand(planId, seed, ratios, commitment)} />
      {commitment?.kind === "public-value" ? (
        <Typography.Paragraph type="secondary" data-testid="verify-public-value">
          {t("insp.commit.verifyPublicValue", {
            description: commitment.description,
            date: commitment.availableOn,
          })}
        </Typography.Paragraph>
      ) : null}
    </>
  );
}

/** Ratios per grade as tags: A 3% · B 5% …. */
export function RatiosLine({ ratiosBp }: { ratiosBp: Record<string, number> }) {
  return (
    <span data-testid="plan-ratios">
      {Object.entries(ratiosBp).map(([g, bp]) => (
        <Tag key={g} style={{ marginBottom: 4 }}>
          {g} {percentOf(bp)}
        </Tag>
      ))}
    </span>
  );
}

type CountRow = StratumCounts | (PlanCounts["total"] & { stratum: "total"; ratioBp?: undefined });

/** Counts per grade: candidates, excluded, must-inspect, pool, ratio, to draw — and the totals. */
export function CountsTable({
  counts,
  loading,
  testId = "plan-counts",
}: {
  counts: PlanCounts | undefined;
  loading?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  const columns = useMemo<ColumnsType<CountRow>>(() => {
    const n = (key: keyof PlanCounts["total"], label: MessageKey, hint?: MessageKey) => ({
      title: hint ? (
        <Tooltip title={t(hint)}>
          <span className="has-hint">{t(label)}</span>
        </Tooltip>
      ) : (
        t(label)
      ),
      dataIndex: key,
      align: "right" as const,
      width: 100,
      render: (v: number) => <span data-testid={`count-${key}`}>{v.toLocaleString()}</span>,
    });
    return [
      {
        title: t("insp.grade"),
        dataIndex: "stratum",
        width: 170,
        render: (g: string) => (g === "total" ? <b>{t("insp.counts.total")}</b> : <GradeTag grade={g} />),
      },
      n("candidates", "insp.counts.candidates", "insp.counts.candidatesHint"),
      n("excluded", "insp.counts.excluded", "insp.counts.excludedHint"),
      n("mustInspect", "insp.counts.mustInspect", "insp.counts.mustInspectHint"),
      n("pool", "insp.counts.pool", "insp.counts.poolHint"),
      {
        title: t("insp.counts.ratio"),
        dataIndex: "ratioBp",
        align: "right",
        width: 90,
        render: (v: number | undefined) => (v === undefined ? "" : percentOf(v)),
      },
      {
        ...n("drawn", "insp.counts.drawn", "insp.counts.drawnHint"),
        render: (v: number) => <b data-testid="count-drawn">{v.toLocaleString()}</b>,
      },
    ];
  }, [t]);
  const rows: CountRow[] = counts ? [...counts.strata, { ...counts.total, stratum: "total" }] : [];
  return (
    <div data-testid={testId}>
      <Table<CountRow>
        rowKey="stratum"
        size="small"
        pagination={false}
        loading={loading}
        columns={columns}
        dataSource={rows}
        scroll={{ x: 760 }}
        onRow={(r) => ({ "data-testid": "count-row", "data-stratum": r.stratum }) as object}
      />
    </div>
  );
}
