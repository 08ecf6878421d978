/** A plan's parameters as people read them: scope by name, ratios in per cent, caps, floor, window. */
import { Descriptions, Tag } from "antd";
import type { InspectionPlan, PlanSettings } from "../api/types.ts";
import { formatDateTime, useI18n } from "../i18n.ts";
import { useDepartments, useIndustries, useModels, useRegions } from "../reference.ts";
import { RatiosLine } from "./common.tsx";

/** Industry sections and divisions, regions and subject types, by name ("all" when none is set). */
export function PlanScope({ scope }: { scope: PlanSettings["scope"] }) {
  const { t, label } = useI18n();
  const regions = useRegions();
  const industries = useIndustries();
  const parts = [
    ...(scope.sections ?? []).map((s) => `${s} ${industries.sectionName(s)}`),
    ...(scope.divisions ?? []).map((d) => `${d} ${industries.divisionName(d)}`),
    ...(scope.regions ?? []).map((r) => regions.name(r)),
    ...(scope.types ?? []).map((x) => label("subjectType", x)),
  ];
  if (parts.length === 0) return <span>{t("insp.plan.scopeAll")}</span>;
  return (
    <span data-testid="plan-scope">
      {parts.map((p) => (
        <Tag key={p} style={{ marginBottom: 4 }}>
          {p}
        </Tag>
      ))}
    </span>
  );
}

export function capsText(
  caps: Partial<PlanSettings["frequencyCapPerYear"]>,
  t: ReturnType<typeof useI18n>["t"],
) {
  return Object.entries(caps)
    .map(([g, n]) => `${g} ${n === null ? t("insp.wizard.noCap") : t("insp.wizard.capN", { n })}`)
    .join(" · ");
}

export function PlanParams({ plan }: { plan: InspectionPlan }) {
  const { t, lang } = useI18n();
  const departments = useDepartments();
  const models = useModels();
  const s = plan.settings;
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      styles={{ label: { width: 132 } }}
      data-testid="plan-params"
      items={[
        { key: "id", label: t("insp.plan.id"), children: <span className="mono">{plan.id}</span> },
        { key: "department", label: t("insp.plan.department"), children: departments.name(plan.department) },
        { key: "date", label: t("insp.plan.planDate"), children: s.planDate },
        { key: "items", label: t("insp.plan.items"), children: s.items.join("；") },
        { key: "scope", label: t("insp.plan.scope"), children: <PlanScope scope={s.scope} /> },
        { key: "model", label: t("insp.plan.model"), children: models.title(s.modelId) },
        { key: "ratios", label: t("insp.plan.ratios"), children: <RatiosLine ratiosBp={s.ratiosBp} /> },
        { key: "caps", label: t("insp.wizard.cap"), children: capsText(s.frequencyCapPerYear, t) },
        {
          key: "floor",
          label: t("insp.plan.floorYears"),
          children: s.floorYears ? t("insp.plan.floorN", { n: s.floorYears }) : t("insp.wizard.off"),
        },
        {
          key: "exclusion",
          label: t("insp.plan.exclusionMonths"),
          children: s.exclusionMonths
            ? t("insp.plan.exclusionN", { n: s.exclusionMonths })
            : t("insp.wizard.off"),
        },
        { key: "inspectors", label: t("insp.plan.inspectorsPerSubject"), children: s.inspectorsPerSubject },
        {
          key: "qualifications",
          label: t("insp.plan.qualifications"),
          children: s.requiredQualifications.length
            ? s.requiredQualifications.join("、")
            : t("insp.wizard.none"),
        },
        {
          key: "publish",
          label: t("insp.plan.publishWithin"),
          children: t("insp.plan.workingDays", { n: s.publishWithinWorkingDays }),
        },
        {
          key: "created",
          label: t("insp.plan.created"),
          children: `${plan.createdBy} · ${formatDateTime(lang, plan.createdAt)}`,
        },
      ]}
    />
  );
}
