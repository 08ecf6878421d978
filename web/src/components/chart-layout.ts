/** The charts' shared layout pieces (plain objects: no ECharts code, so pages import them eagerly). */

/** The plot area: 8px at the left and bottom, `right` and `top` (room for a legend) per chart, labels kept in. */
export function chartGrid(right: number, top: number) {
  return {
    left: 8,
    right,
    top,
    bottom: 8,
    outerBoundsMode: "same",
    outerBoundsContain: "axisLabel",
  } as const;
}

/** A value axis of counts: whole numbers, light split lines. */
export const COUNT_AXIS = {
  type: "value",
  minInterval: 1,
  splitLine: { lineStyle: { color: "#f0f0f0" } },
} as const;
