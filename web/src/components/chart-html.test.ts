import { describe, expect, it } from "vitest";
import { escapeHtml, tooltipHtml } from "./chart-html.ts";

describe("chart tooltip HTML", () => {
  it("escapes markup, quotes and ampersands", () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe(
      "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;",
    );
    expect(escapeHtml(42)).toBe("42");
  });

  it("joins escaped lines with line breaks, the only markup it adds", () => {
    expect(tooltipHtml(["<b>经营</b>", "得分：12"])).toBe("&lt;b&gt;经营&lt;/b&gt;<br/>得分：12");
  });
});
