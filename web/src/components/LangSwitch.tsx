import { Segmented } from "antd";
import { type Lang, useI18n } from "../i18n.ts";

/** 中文 / English. */
export function LangSwitch({ size = "small" }: { size?: "small" | "middle" }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented<Lang>
      size={size}
      value={lang}
      onChange={setLang}
      aria-label={t("lang.switch")}
      data-testid="lang-switch"
      options={[
        { label: <span data-testid="lang-zh">{t("lang.zh")}</span>, value: "zh" },
        { label: <span data-testid="lang-en">{t("lang.en")}</span>, value: "en" },
      ]}
    />
  );
}
