/**
 * The one way the UI talks to the server: JSON over fetch with the session cookie and the UI language.
 * Failures become an ApiError that carries the server's problems (both languages) for the UI to show.
 */
import { getLang, type Lang } from "../i18n.ts";
import type { Problem, ProblemBody } from "./types.ts";

export const API_BASE = "/api/v1";

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  readonly problems: Problem[];
  readonly body: unknown;
  constructor(status: number, message: string, problems: Problem[] = [], body?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.problems = problems;
    this.body = body;
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function apiUrl(path: string, query?: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== "") qs.set(k, String(v));
  }
  const s = qs.toString();
  return `${API_BASE}${path}${s ? `?${s}` : ""}`;
}

/** Called on a 401 from anything but the sign-in calls themselves: the session has ended. */
let unauthorizedHandler: (() => void) | undefined;
export function onUnauthorized(fn: (() => void) | undefined): void {
  unauthorizedHandler = fn;
}

const SESSION_PATHS = ["/auth/login", "/auth/me", "/auth/logout"];

function isProblemBody(v: unknown): v is ProblemBody {
  return typeof v === "object" && v !== null && Array.isArray((v as ProblemBody).problems);
}

function toError(status: number, body: unknown, lang: Lang): ApiError {
  if (isProblemBody(body)) {
    const first = body.problems[0];
    const text = body.message || (first ? (lang === "en" ? first.en : first.zh) : "") || `HTTP ${status}`;
    return new ApiError(status, text, body.problems, body);
  }
  return new ApiError(status, `HTTP ${status}`, [], body);
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const lang = getLang();
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": lang };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), {
      method,
      headers,
      credentials: "same-origin",
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError(0, (e as Error).message || "network error");
  }
  const body = await readBody(res);
  if (!res.ok) {
    if (res.status === 401 && !SESSION_PATHS.includes(path)) unauthorizedHandler?.();
    throw toError(res.status, body, lang);
  }
  return body as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>("GET", path, { query, signal }),
  post: <T>(path: string, body?: unknown, query?: Query) =>
    request<T>("POST", path, { body: body ?? {}, query }),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, { body }),
};

export interface UploadHandle<T> {
  promise: Promise<{ status: number; body: T }>;
  abort: () => void;
}

/**
 * Uploads one file as multipart field `file` with XHR, so the upload's progress can be shown (fetch has no
 * upload progress). Resolves with any 2xx answer, and with a 422 that carries a batch (a rejected import is a
 * result, not a failure); rejects with an ApiError otherwise.
 */
export function uploadFile<T>(
  path: string,
  file: File,
  query: Query,
  onProgress: (percent: number) => void,
): UploadHandle<T> {
  const xhr = new XMLHttpRequest();
  const lang = getLang();
  const promise = new Promise<{ status: number; body: T }>((resolve, reject) => {
    xhr.open("POST", apiUrl(path, query));
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Accept-Language", lang);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0)
        onProgress(Math.min(100, Math.round((e.loaded / e.total) * 100)));
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = xhr.responseText;
      }
      const hasBatch = typeof body === "object" && body !== null && "batchId" in body;
      if ((xhr.status >= 200 && xhr.status < 300) || (xhr.status === 422 && hasBatch)) {
        resolve({ status: xhr.status, body: body as T });
        return;
      }
      if (xhr.status === 401) unauthorizedHandler?.();
      reject(toError(xhr.status, body, lang));
    };
    xhr.onerror = () => reject(new ApiError(0, "network error"));
    xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

/** A problem's text in the UI language: what is wrong, then how to fix it. */
export function problemText(p: Problem, lang: Lang): string {
  const what = lang === "en" ? p.en : p.zh;
  const fix = lang === "en" ? p.fixEn : p.fixZh;
  if (!fix) return what;
  return lang === "en" ? `${what}. ${fix}` : `${what}。${fix}`;
}

/** The message of any error in the UI language (problems first, then the raw message). */
export function errorText(e: unknown, lang: Lang, fallback: string, network: string): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return network;
    const first = e.problems[0];
    if (first) return problemText(first, lang);
    return e.message || fallback;
  }
  if (e instanceof Error && e.message) return e.message;
  return fallback;
}
