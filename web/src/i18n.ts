/**
 * The UI's messages (Chinese default, English switch) and the API to read them. Every visible string lives in
 * one of the per-feature dictionaries under `./i18n/`, in both languages: each file's `en` is typed against its
 * `zh`, so a key missing from either side fails the type check, and a key defined by two features does too.
 */
import {
  createContext,
  createElement,
  type ReactNode,
  useCallback,
  useContext,
  useMemo,
  useState,
} from "react";
import * as admin from "./i18n/admin.ts";
import * as auth from "./i18n/auth.ts";
import * as common from "./i18n/common.ts";
import * as evaluation from "./i18n/evaluation.ts";
import * as inspections from "./i18n/inspections.ts";
import * as measures from "./i18n/measures.ts";
import * as models from "./i18n/models.ts";
import * as ratings from "./i18n/ratings.ts";
import * as records from "./i18n/records.ts";

export type Lang = "zh" | "en";

/** The per-feature dictionaries; a new feature's file is added here. */
const dictionaries = { common, auth, admin, records, evaluation, models, ratings, measures, inspections };

type Features = typeof dictionaries;
/** Keys that two features both define (one would silently override the other); must be none. */
type SharedKeys = {
  [F in keyof Features]: keyof Features[F]["zh"] &
    { [G in Exclude<keyof Features, F>]: keyof Features[G]["zh"] }[Exclude<keyof Features, F>];
}[keyof Features];
const noSharedKeys: [SharedKeys] extends [never] ? true : SharedKeys = true;
void noSharedKeys;

const zh = {
  ...common.zh,
  ...auth.zh,
  ...admin.zh,
  ...records.zh,
  ...evaluation.zh,
  ...models.zh,
  ...ratings.zh,
  ...measures.zh,
  ...inspections.zh,
};

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  ...common.en,
  ...auth.en,
  ...admin.en,
  ...records.en,
  ...evaluation.en,
  ...models.en,
  ...ratings.en,
  ...measures.en,
  ...inspections.en,
};

const messages: Record<Lang, Record<MessageKey, string>> = { zh, en };

const STORAGE_KEY = "credit.lang";

/** The language API calls are sent in (`Accept-Language`); kept in step with the provider. */
let currentLang: Lang = initialLang();

export function getLang(): Lang {
  return currentLang;
}

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === "zh" || saved === "en") return saved;
  } catch {
    // storage unavailable (private mode): fall back to the default
  }
  return "zh";
}

export type Vars = Record<string, string | number>;

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const text = messages[lang][key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

/** A label for a code from a family of keys (`role.`, `severity.` …); the code itself when unknown. */
export function labelOf(lang: Lang, prefix: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === "") return "";
  const key = `${prefix}.${code}`;
  return key in zh ? translate(lang, key as MessageKey) : code;
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Vars) => string;
  /** Label of a code in a key family, e.g. `label("role", "city_admin")`. */
  label: (prefix: string, code: string | null | undefined) => string;
  /** Picks the Chinese or English member of a bilingual value. */
  pick: (zhText: string | null | undefined, enText: string | null | undefined) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);
  const setLang = useCallback((next: Lang) => {
    currentLang = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted; the switch still applies to this tab
    }
    document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      label: (prefix, code) => labelOf(lang, prefix, code),
      pick: (zhText, enText) => (lang === "en" ? enText || zhText || "" : zhText || enText || ""),
    }),
    [lang, setLang],
  );
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useI18n outside I18nProvider");
  return ctx;
}

/** Dates and times as people in China read them (UTC+8), in the UI language. */
export function formatDateTime(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  });
}
