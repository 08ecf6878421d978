import { useEffect } from "react";
import { useI18n } from "../i18n.ts";

/** The scroll containers of Ant Design tables: `.ant-table-content` (a table wider than its place), `.ant-table-body` (a fixed header). */
const SCROLLERS = ".ant-table-content, .ant-table-body";

/**
 * Makes every table that scrolls reachable by keyboard (WCAG 2.1.1; axe-core scrollable-region-focusable): its
 * scroll container takes the focus (Tab) and scrolls with the arrow keys, and says what it is. Ant Design gives no
 * property for that container, so this watches the page — tables in pages, drawers and dialogs alike — and marks
 * each container whose style lets it scroll. Rendered once, inside the language provider.
 */
export function ScrollRegions(): null {
  const { t } = useI18n();
  const label = t("common.scrollRegion");
  useEffect(() => {
    const mark = () => {
      for (const el of document.querySelectorAll<HTMLElement>(SCROLLERS)) {
        if (el.getAttribute("aria-label") === label) continue;
        const style = getComputedStyle(el);
        if (!/auto|scroll/.test(`${style.overflowX} ${style.overflowY}`)) continue;
        el.tabIndex = 0;
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", label);
      }
    };
    mark();
    let queued = false;
    const observer = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        mark();
      });
    });
    observer.observe(document.body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [label]);
  return null;
}
