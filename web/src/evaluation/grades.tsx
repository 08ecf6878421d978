import { Tag } from "antd";
import { type CSSProperties, useCallback } from "react";
import { GRADES, type Grade } from "../api/types.ts";
import { type MessageKey, useI18n } from "../i18n.ts";

/**
 * One colour per grade, everywhere (tags, charts): A green through E red, NR grey. Each is dark enough for white
 * text on it and for text in it on white or a table's header, at 4.5:1 or more (WCAG 1.4.3).
 */
export const GRADE_COLOR: Record<Grade, string> = {
  A: "#2b803a",
  B: "#4a7a0b",
  C: "#b05600",
  D: "#c4410c",
  E: "#c92a2a",
  NR: "#646c74",
};

export function isGrade(g: string): g is Grade {
  return (GRADES as readonly string[]).includes(g);
}

export function gradeColor(g: string): string {
  return isGrade(g) ? GRADE_COLOR[g] : GRADE_COLOR.NR;
}

/** The grade's word (优秀, 良好 …); `short` gives NR a short form for legends and axes. */
export function useGradeLabel(): (g: string, short?: boolean) => string {
  const { t } = useI18n();
  return useCallback(
    (g: string, short?: boolean) => {
      if (!isGrade(g)) return g;
      if (g === "NR" && short) return t("grade.short.NR");
      return t(`grade.${g}` as MessageKey);
    },
    [t],
  );
}

/** A grade as a coloured tag: the letter and its word (`large` on the grade card). */
export function GradeTag({ grade, large, testId }: { grade: string; large?: boolean; testId?: string }) {
  const label = useGradeLabel();
  const style: CSSProperties = large
    ? {
        fontSize: 20,
        lineHeight: "36px",
        paddingInline: 14,
        fontWeight: 600,
        marginInlineEnd: 0,
        borderRadius: 6,
      }
    : { fontWeight: 600 };
  return (
    <Tag color={gradeColor(grade)} variant="solid" style={style} data-testid={testId} data-grade={grade}>
      {grade === "NR" ? label(grade) : `${grade} · ${label(grade)}`}
    </Tag>
  );
}
