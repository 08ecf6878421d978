/**
 * The plan wizard's fields (pages/PlanWizard.tsx): scope and items, then ratios, caps, floor and exclusions per
 * grade — with the policy defaults of GET /sampling/defaults beside each value — and the form → API mapping.
 */
import {
  Form,
  type FormItemProps,
  Input,
  InputNumber,
  type InputNumberProps,
  Select,
  Table,
  Typography,
} from "antd";
import { useMemo } from "react";
import type { Inspector, SamplingDefaults } from "../../../src/contract/inspections.ts";
import type { MeasureLists } from "../../../src/contract/measures.ts";
import { api } from "../api/client.ts";
import { useApi } from "../api/hooks.ts";
import { GRADES, type Grade, type PlanInput } from "../api/types.ts";
import { useAuth } from "../auth.tsx";
import { GradeTag } from "../evaluation/grades.tsx";
import { useI18n } from "../i18n.ts";
import { useDepartments, useIndustries, useModels, useRegions } from "../reference.ts";
import { percentOf } from "./common.tsx";

export interface PlanFormValues {
  title: string;
  department?: string;
  items: string[];
  sections: string[];
  divisions: string[];
  regions: string[];
  types: string[];
  modelId: string;
  /** Per cent (the API takes basis points). */
  ratios: Record<Grade, number | null>;
  /** Empty: no cap. */
  caps: Record<Grade, number | null>;
  floorYears: number | null;
  exclusionMonths: number | null;
  inspectorsPerSubject: number;
  requiredQualifications: string[];
}

/** The fields of each step, validated before going on. */
export const STEP_FIELDS: (string | (string | number)[])[][] = [
  ["title", "department", "items", "modelId", "sections", "divisions", "regions", "types"],
  [
    ...GRADES.flatMap((g) => [
      ["ratios", g],
      ["caps", g],
    ]),
    "floorYears",
    "exclusionMonths",
    "inspectorsPerSubject",
    "requiredQualifications",
  ],
  [],
];

/** Server field paths (ratiosBp.A) → form fields (ratios.A), for inline errors. */
export const SERVER_FIELDS = ["title", "department", "items", "modelId", "inspectorsPerSubject"];

export function initialValues(d: SamplingDefaults): PlanFormValues {
  return {
    title: "",
    items: [],
    sections: [],
    divisions: [],
    regions: [],
    types: [],
    modelId: "public",
    ratios: Object.fromEntries(GRADES.map((g) => [g, d.ratiosBp[g] / 100])) as Record<Grade, number>,
    caps: { ...d.frequencyCapPerYear },
    floorYears: d.floorYears,
    exclusionMonths: d.exclusionMonths,
    inspectorsPerSubject: d.inspectorsPerSubject,
    requiredQualifications: [],
  };
}

const nonEmpty = (a: string[] | undefined) => (a && a.length > 0 ? a : undefined);

/** What the API takes: ratios in basis points, every cap explicit (null = none), the floor and window too. */
export function toInput(v: Partial<PlanFormValues>): PlanInput {
  const scope = {
    sections: nonEmpty(v.sections),
    divisions: nonEmpty(v.divisions),
    regions: nonEmpty(v.regions),
    types: nonEmpty(v.types),
  };
  return {
    title: (v.title ?? "").trim(),
    ...(v.department ? { department: v.department } : {}),
    modelId: v.modelId ?? "public",
    items: (v.items ?? []).map((s) => s.trim()).filter(Boolean),
    scope: Object.fromEntries(Object.entries(scope).filter(([, x]) => x)),
    ratiosBp: Object.fromEntries(
      GRADES.filter((g) => typeof v.ratios?.[g] === "number").map((g) => [
        g,
        Math.round((v.ratios?.[g] as number) * 100),
      ]),
    ),
    frequencyCapPerYear: Object.fromEntries(GRADES.map((g) => [g, v.caps?.[g] ?? null])),
    floorYears: v.floorYears ?? null,
    exclusionMonths: v.exclusionMonths ?? null,
    ...(v.inspectorsPerSubject ? { inspectorsPerSubject: v.inspectorsPerSubject } : {}),
    requiredQualifications: v.requiredQualifications ?? [],
  };
}

/** The department's supervision items (its measures list first, then the lists for all departments). */
function useItemSuggestions(): string[] {
  const { can, session } = useAuth();
  const { pick } = useI18n();
  const lists = useApi(
    (signal) =>
      can("measures.read")
        ? api.get<MeasureLists>("/measures", undefined, signal)
        : Promise.resolve(undefined),
    [],
  );
  return useMemo(() => {
    const all = lists.data?.lists ?? [];
    const own = all.filter((l) => l.department === session?.user.department);
    const rest = all.filter((l) => l.department !== session?.user.department);
    return [...new Set([...own, ...rest].flatMap((l) => l.items.map((i) => pick(i.zh, i.en))))];
  }, [lists.data, session, pick]);
}

/** Qualifications the department's inspectors hold. */
function useQualifications(): string[] {
  const inspectors = useApi(
    (signal) => api.get<{ items: Inspector[] }>("/inspectors", undefined, signal),
    [],
  );
  return useMemo(
    () => [...new Set((inspectors.data?.items ?? []).flatMap((i) => i.qualifications))],
    [inspectors.data],
  );
}

const tagsOptions = (list: string[]) => list.map((v) => ({ value: v, label: v }));

/** Step 1: title, items, the grade model, the scope. */
export function ScopeFields({ types }: { types: readonly string[] }) {
  const { t, label } = useI18n();
  const { session } = useAuth();
  const regions = useRegions();
  const industries = useIndustries();
  const models = useModels();
  const departments = useDepartments();
  const items = useItemSuggestions();
  return (
    <>
      <Form.Item
        name="title"
        label={t("insp.plan.title")}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t("common.required", { field: t("insp.plan.title") }),
          },
          { min: 2, max: 200, message: t("insp.wizard.titleRule") },
        ]}
      >
        <Input maxLength={200} placeholder={t("insp.wizard.titlePlaceholder")} data-testid="wizard-title" />
      </Form.Item>
      {session?.user.role === "city_admin" ? (
        <Form.Item name="department" label={t("insp.plan.department")}>
          <Select
            allowClear
            placeholder={departments.name(session.user.department)}
            options={departments.list.map((d) => ({ value: d.code, label: departments.name(d.code) }))}
          />
        </Form.Item>
      ) : null}
      <Form.Item
        name="items"
        label={t("insp.plan.items")}
        extra={t("insp.wizard.itemsHint")}
        rules={[{ required: true, type: "array", min: 1, message: t("insp.wizard.itemsRequired") }]}
      >
        <Select
          mode="tags"
          tokenSeparators={["；", ";"]}
          options={tagsOptions(items)}
          placeholder={t("insp.wizard.itemsPlaceholder")}
          data-testid="wizard-items"
        />
      </Form.Item>
      <Form.Item name="modelId" label={t("insp.plan.model")} extra={t("insp.wizard.modelHint")}>
        <Select
          data-testid="wizard-model"
          options={(models.list.length ? models.list : [{ id: "public" }]).map((m) => ({
            value: m.id,
            label: models.title(m.id),
          }))}
        />
      </Form.Item>
      <Typography.Title level={5}>{t("insp.plan.scope")}</Typography.Title>
      <Typography.Paragraph type="secondary">{t("insp.wizard.scopeHint")}</Typography.Paragraph>
      {(
        [
          ["sections", "subject.industry", industries.sectionOptions, true, "insp.wizard.any"],
          ["divisions", "subject.industryDivision", industries.divisionOptions, true, "insp.wizard.any"],
          ["regions", "subject.region", regions.options, false, "insp.wizard.any"],
          [
            "types",
            "subject.type",
            types.map((v) => ({ value: v, label: label("subjectType", v) })),
            false,
            "insp.wizard.anyType",
          ],
        ] as const
      ).map(([name, labelKey, options, search, placeholder]) => (
        <Form.Item key={name} name={name} label={t(labelKey)}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t(placeholder)}
            showSearch={search ? { optionFilterProp: "label" } : undefined}
            data-testid={`wizard-${name}`}
            options={options}
          />
        </Form.Item>
      ))}
    </>
  );
}

/** Step 2: ratio and cap per grade beside their defaults; floor, exclusion window, inspectors. */
export function RulesFields({ defaults }: { defaults: SamplingDefaults }) {
  const { t } = useI18n();
  const qualifications = useQualifications();
  return (
    <>
      <Typography.Paragraph type="secondary">{t("insp.wizard.rulesHint")}</Typography.Paragraph>
      <Table<{ grade: Grade }>
        rowKey="grade"
        size="small"
        pagination={false}
        dataSource={GRADES.map((grade) => ({ grade }))}
        style={{ marginBottom: 16 }}
        data-testid="wizard-rules"
        columns={[
          {
            title: t("insp.grade"),
            dataIndex: "grade",
            width: 170,
            render: (g: Grade) => <GradeTag grade={g} />,
          },
          {
            title: t("insp.counts.ratio"),
            key: "ratio",
            width: 260,
            render: (_, { grade }) => <RatioField grade={grade} defaults={defaults} />,
          },
          {
            title: t("insp.wizard.cap"),
            key: "cap",
            width: 220,
            render: (_, { grade }) => (
              <WholeNumberItem
                item={{
                  name: ["caps", grade],
                  style: { margin: 0 },
                  extra: t("insp.wizard.default", {
                    v: capText(defaults.frequencyCapPerYear[grade], t("insp.wizard.noCap"), t),
                  }),
                }}
                min={1}
                max={12}
                placeholder={t("insp.wizard.noCap")}
                suffix={t("insp.wizard.perYear")}
                width={150}
                testId={`wizard-cap-${grade}`}
              />
            ),
          },
        ]}
      />
      <OffLimitItem name="floorYears" defaults={defaults} />
      <OffLimitItem name="exclusionMonths" defaults={defaults} />
      <WholeNumberItem
        item={{
          name: "inspectorsPerSubject",
          label: t("insp.plan.inspectorsPerSubject"),
          extra: t("insp.wizard.inspectorsHint", { n: defaults.inspectorsPerSubject }),
          rules: [
            { required: true, message: t("common.required", { field: t("insp.plan.inspectorsPerSubject") }) },
          ],
        }}
        min={defaults.inspectorsPerSubject}
        max={10}
        testId="wizard-inspectors"
      />
      <Form.Item
        name="requiredQualifications"
        label={t("insp.plan.qualifications")}
        extra={t("insp.wizard.qualificationsHint")}
      >
        <Select mode="tags" options={tagsOptions(qualifications)} placeholder={t("insp.wizard.none")} />
      </Form.Item>
    </>
  );
}

/** A whole number in a form item: `item` goes to the item, the rest to the number input. */
function WholeNumberItem({
  item,
  testId,
  width = 160,
  ...input
}: InputNumberProps & { item: FormItemProps; testId: string; width?: number }) {
  return (
    <Form.Item {...item}>
      <InputNumber precision={0} style={{ width }} data-testid={testId} {...input} />
    </Form.Item>
  );
}

/** The limits that are off when left empty: their largest value, unit, hint (with the default) and test id. */
const OFF_LIMITS = {
  floorYears: { max: 10, unit: "insp.wizard.years", hint: "insp.wizard.floorHint", testId: "wizard-floor" },
  exclusionMonths: {
    max: 24,
    unit: "insp.wizard.months",
    hint: "insp.wizard.exclusionHint",
    testId: "wizard-exclusion",
  },
} as const;

function OffLimitItem({ name, defaults }: { name: keyof typeof OFF_LIMITS; defaults: SamplingDefaults }) {
  const { t } = useI18n();
  const limit = OFF_LIMITS[name];
  return (
    <WholeNumberItem
      item={{
        name,
        label: t(`insp.plan.${name}`),
        extra: t(limit.hint, { v: defaults[name] ?? t("insp.wizard.off") }),
      }}
      min={1}
      max={limit.max}
      placeholder={t("insp.wizard.off")}
      suffix={t(limit.unit)}
      testId={limit.testId}
    />
  );
}

function capText(cap: number | null, none: string, t: ReturnType<typeof useI18n>["t"]): string {
  return cap === null ? none : t("insp.wizard.capN", { n: cap });
}

/** A grade's ratio in per cent, within the policy limits; A's minimum says why (the control sample). */
function RatioField({ grade, defaults }: { grade: Grade; defaults: SamplingDefaults }) {
  const { t } = useI18n();
  const minBp = defaults.minRatioBp[grade] ?? 0;
  const min = minBp / 100;
  return (
    <Form.Item
      name={["ratios", grade]}
      style={{ margin: 0 }}
      extra={
        <>
          {t("insp.wizard.default", { v: percentOf(defaults.ratiosBp[grade]) })}
          {minBp > 0 ? (
            <div data-testid={`wizard-min-${grade}`}>
              {t("insp.wizard.minRatio", { v: percentOf(minBp) })}
            </div>
          ) : null}
        </>
      }
      rules={[
        { required: true, message: t("insp.wizard.ratioRequired") },
        {
          type: "number",
          min,
          max: 100,
          message:
            minBp > 0
              ? t("insp.wizard.minRatio", { v: percentOf(minBp) })
              : t("insp.wizard.ratioRange", { min: `${min}%` }),
        },
      ]}
    >
      <InputNumber
        min={0}
        max={100}
        step={0.5}
        precision={2}
        suffix="%"
        style={{ width: 150 }}
        data-testid={`wizard-ratio-${grade}`}
      />
    </Form.Item>
  );
}
