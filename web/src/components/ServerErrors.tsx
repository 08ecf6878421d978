import { Alert } from "antd";
import type { FormInstance } from "antd/es/form";
import { type ReactNode, useCallback, useEffect, useState } from "react";
import { ApiError, errorText, problemText } from "../api/client.ts";
import type { Problem } from "../api/types.ts";
import { useI18n } from "../i18n.ts";

/** A server field path (`password`, `scopes.0`, `body.username`) as one of the form's field names. */
function formFieldOf(field: string | undefined, names: readonly string[], aliases: Record<string, string>) {
  if (!field) return undefined;
  if (aliases[field]) return aliases[field];
  if (names.includes(field)) return field;
  const parts = field.split(".").filter((p) => p !== "body" && p !== "query");
  for (const p of parts) {
    if (aliases[p]) return aliases[p];
    if (names.includes(p)) return p;
  }
  return undefined;
}

/**
 * Shows a rejected submission where it belongs: problems naming a form field under that field (inline, in the
 * UI language, re-rendered when the language changes), the rest in an alert above the form.
 */
export function useServerErrors(
  form: FormInstance,
  names: readonly string[],
  opts: { aliases?: Record<string, string>; testId?: string } = {},
): {
  /** Takes the error of a failed submit. */
  report: (e: unknown) => void;
  clear: () => void;
  /** The alert for problems that name no field of the form (or nothing when there are none). */
  alert: ReactNode;
} {
  const { lang, t } = useI18n();
  const aliases = opts.aliases ?? {};
  const [error, setError] = useState<unknown>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: names/aliases are fixed per form
  useEffect(() => {
    if (!(error instanceof ApiError)) return;
    const byField = new Map<string, string[]>();
    for (const p of error.problems) {
      const name = formFieldOf(p.field, names, aliases);
      if (name) byField.set(name, [...(byField.get(name) ?? []), problemText(p, lang)]);
    }
    form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  }, [error, lang, form]);

  const report = useCallback((e: unknown) => setError(e), []);
  const clear = useCallback(() => setError(undefined), []);

  let rest: Problem[] = [];
  let message: string | undefined;
  if (error instanceof ApiError) {
    rest = error.problems.filter((p) => !formFieldOf(p.field, names, aliases));
    if (error.problems.length === 0)
      message = errorText(error, lang, t("common.unknownError"), t("common.networkError"));
  } else if (error) {
    message = errorText(error, lang, t("common.unknownError"), t("common.networkError"));
  }

  const alert =
    rest.length > 0 || message ? (
      <Alert
        type="error"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid={opts.testId ?? "form-error"}
        title={message ?? (rest.length === 1 ? problemText(rest[0]!, lang) : t("common.serverProblems"))}
        description={
          rest.length > 1 ? (
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {rest.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity of their own
                <li key={i}>{problemText(p, lang)}</li>
              ))}
            </ul>
          ) : undefined
        }
      />
    ) : null;

  return { report, clear, alert };
}
