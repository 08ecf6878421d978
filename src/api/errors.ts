import fs from "node:fs";
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { InputError, notFoundError, type Problem, problem } from "../core/problem.ts";
import { isApiRoute } from "./canonical-url.ts";

export type Lang = "zh" | "en";

export function langOf(header: string | undefined, query?: unknown): Lang {
  const q = (query as { lang?: string } | undefined)?.lang;
  if (q === "en" || q === "zh") return q;
  return header && /^en\b/i.test(header) ? "en" : "zh";
}

export function problemBody(problems: Problem[], lang: Lang, status: number) {
  const first = problems[0];
  return {
    error: status >= 500 ? "internal" : "invalid_input",
    message: first ? (lang === "en" ? `${first.en}. ${first.fixEn}` : `${first.zh}。${first.fixZh}`) : "",
    problems,
  };
}

/** Users see what is wrong and how to fix it; stacks and SQL stay in the server log. */
export function installErrorHandler(app: FastifyInstance, opts: { spaIndex?: string } = {}): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const lang = langOf(req.headers["accept-language"], req.query);
    if (err instanceof InputError)
      return reply.status(err.status).send(problemBody(err.problems, lang, err.status));
    if (hasZodFastifySchemaValidationErrors(err)) {
      const problems = err.validation.map((v) => {
        const field = v.instancePath.replace(/^\//, "").replace(/\//g, ".") || "";
        return problem(
          `request.${v.keyword}`,
          {
            zh: `请求${err.validationContext === "querystring" ? "参数" : "内容"}“${field || "(整体)"}”不符合要求：${v.message}`,
            en: `Request ${err.validationContext ?? "body"} field "${field || "(whole)"}" is invalid: ${v.message}`,
            fixZh: "按接口文档（/api/docs）修正该字段",
            fixEn: "Fix the field as described in the API documentation (/api/docs)",
          },
          { field },
        );
      });
      return reply.status(400).send(problemBody(problems, lang, 400));
    }
    if (err.statusCode && err.statusCode < 500) {
      const p = problem(`http.${err.statusCode}`, {
        zh: clientErrorZh(err),
        en: err.message,
        fixZh: "检查请求格式后重试",
        fixEn: "Check the request and try again",
      });
      return reply.status(err.statusCode).send(problemBody([p], lang, err.statusCode));
    }
    req.log.error({ err }, "unhandled error");
    const p = problem("internal", {
      zh: `服务器内部错误（请求编号 ${req.id}）`,
      en: `Internal server error (request ${req.id})`,
      fixZh: "请稍后重试；如仍失败，请将请求编号告知运维人员",
      fixEn: "Try again later; if it keeps failing, give the request number to the operators",
    });
    return reply.status(500).send(problemBody([p], lang, 500));
  });
  app.setNotFoundHandler((req, reply) => {
    // The web app's own routes (/subjects/…) are pages: answer them with the app.
    if (req.method === "GET" && !isApiRoute(req.url) && opts.spaIndex && fs.existsSync(opts.spaIndex))
      return reply.type("text/html; charset=utf-8").send(fs.createReadStream(opts.spaIndex));
    const lang = langOf(req.headers["accept-language"], req.query);
    const p = problem("not_found", {
      zh: `没有这个地址：${req.method} ${req.url.split("?")[0]}`,
      en: `No such address: ${req.method} ${req.url.split("?")[0]}`,
      fixZh: "查看接口文档 /api/docs",
      fixEn: "See the API documentation at /api/docs",
    });
    return reply.status(404).send(problemBody([p], lang, 404));
  });
}

function clientErrorZh(err: FastifyError): string {
  if (err.code === "FST_ERR_CTP_INVALID_JSON_BODY" || /JSON/i.test(err.message))
    return "请求体不是合法的 JSON";
  if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") return "请求体过大";
  if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return "不支持的内容类型";
  if (err.code === "FST_REQ_FILE_TOO_LARGE") return "上传文件过大";
  return "请求有误";
}

export function notFound(what: { zh: string; en: string }): InputError {
  return notFoundError({
    zh: `${what.zh}不存在`,
    en: `${what.en} does not exist`,
    fixZh: "核对编号或代码",
    fixEn: "Check the id or code",
  });
}
