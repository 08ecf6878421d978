/**
 * HTML for ECharts tooltips. A tooltip formatter that is a function returns HTML that ECharts inserts as is
 * (its string templates and default tooltips escape names; a function's result is not), and the names charts
 * show — model dimensions, regions, industries — come from policy files and published model versions that
 * departments write. So every string a function formatter inserts goes through here. Series and axis labels
 * are drawn on the canvas as text and need no escaping (escaping them would show `&lt;` literally).
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe to place in HTML, inside an element or an attribute value. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Tooltip HTML of lines of plain text: each escaped, one per line. */
export function tooltipHtml(lines: readonly (string | number)[]): string {
  return lines.map(escapeHtml).join("<br/>");
}
