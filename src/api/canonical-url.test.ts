import { describe, expect, it } from "vitest";
import { canonicalUrl } from "./canonical-url.ts";

describe("canonicalUrl: one spelling per address", () => {
  it.each([
    ["/api/v1/users", "/api/v1/users"],
    ["/%61pi/v1/users", "/api/v1/users"],
    ["/%61%70%69/v1/%75sers", "/api/v1/users"],
    ["//api/v1/users", "/api/v1/users"],
    ["/api//v1///users", "/api/v1/users"],
    ["/api/v1/users/", "/api/v1/users"],
    ["/api/./v1/users", "/api/v1/users"],
    ["/x/../api/v1/users", "/api/v1/users"],
    ["/../../api/v1/users", "/api/v1/users"],
    ["/api/v1/x/%2e%2e/users", "/api/v1/users"],
    ["/api/v1/x/%2E./users", "/api/v1/users"],
    ["http://127.0.0.1:3000/api/v1/audit", "/api/v1/audit"],
    ["HTTPS://evil.example/api/v1/audit?x=1", "/api/v1/audit?x=1"],
    ["http://host", "/"],
    ["/", "/"],
    ["", "/"],
  ])("%s → %s", (raw, want) => expect(canonicalUrl(raw)).toBe(want));

  it("keeps the query string as sent, dot segments and slashes in it included", () => {
    expect(canonicalUrl("/api/v1/subjects?q=a//b/../c&x=%61")).toBe("/api/v1/subjects?q=a//b/../c&x=%61");
  });

  it("keeps escaped reserved characters escaped (an escaped slash is data, not a separator)", () => {
    expect(canonicalUrl("/api/v1/subjects/a%2fb")).toBe("/api/v1/subjects/a%2Fb");
    expect(canonicalUrl("/api/v1/subjects/%E6%B3%89")).toBe("/api/v1/subjects/%E6%B3%89");
  });

  it("leaves letter case alone (codes in the path keep theirs)", () => {
    expect(canonicalUrl("/API/v1/subjects/91350100M000100Y43")).toBe("/API/v1/subjects/91350100M000100Y43");
  });
});
