/**
 * The unified credit grades — A (best) to E — and NR (not rated): the one list the engine, the measures, the draw,
 * the services, the contract and the web app use.
 */
export const GRADES = ["A", "B", "C", "D", "E"] as const;
export type Grade = (typeof GRADES)[number];

/** The grades and NR, in that order (NR last). */
export const GRADES_OR_NR = [...GRADES, "NR"] as const;
export type GradeOrNR = (typeof GRADES_OR_NR)[number];

export const GRADE_LABELS: Record<GradeOrNR, { zh: string; en: string }> = {
  A: { zh: "优秀", en: "excellent" },
  B: { zh: "良好", en: "good" },
  C: { zh: "中等", en: "fair" },
  D: { zh: "较差", en: "poor" },
  E: { zh: "差", en: "bad" },
  NR: { zh: "暂不评级（信息不足）", en: "not rated (insufficient data)" },
};

/** The index of a grade or NR in GRADES_OR_NR, or -1 (a switch: faster than a lookup, for counting per subject). */
export function gradeIndex(g: string): number {
  switch (g) {
    case "A":
      return 0;
    case "B":
      return 1;
    case "C":
      return 2;
    case "D":
      return 3;
    case "E":
      return 4;
    case "NR":
      return 5;
    default:
      return -1;
  }
}
