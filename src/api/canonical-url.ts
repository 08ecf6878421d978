/**
 * One spelling per address. The router decodes percent-escapes and accepts the absolute request form, so a
 * decision made on the raw request line (`/%61pi/v1/users`, `GET http://host/api/v1/audit`) can disagree with
 * the route that answers. Every request URL is rewritten to its canonical form before routing (RFC 3986 §6.2.2
 * normalisation plus the server's own rules), so routing, permissions, logging and the not-found page all see
 * the same path:
 * - the absolute form `scheme://authority/path` keeps only its path;
 * - percent-escapes of unreserved characters (letters, digits, `-._~`) are decoded, other escapes upper-cased
 *   (an escaped `/` stays escaped: it is data, not a separator);
 * - repeated slashes collapse, `.` and `..` segments are resolved, a trailing slash is dropped.
 * Letter case is left alone here (route parameters such as credit codes keep theirs); the router matches the
 * fixed parts of a route without regard to case.
 */
export function canonicalUrl(raw: string): string {
  let url = raw;
  const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(url);
  if (absolute) url = url.slice(absolute[0].length);
  const q = url.indexOf("?");
  const rawPath = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? "" : url.slice(q);
  const decoded = rawPath.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => {
    const ch = String.fromCharCode(Number.parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
  return removeDotSegments(decoded) + query;
}

function removeDotSegments(path: string): string {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return `/${out.join("/")}`;
}

/** Every address under /api is the API's: its routes must declare a permission (or are closed), and an unknown
 * one answers a JSON 404, never the web app's page. */
export const isApiRoute = (path: string) => path.toLowerCase().startsWith("/api/");
