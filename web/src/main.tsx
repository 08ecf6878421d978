import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Root } from "./App.tsx";
import { getLang } from "./i18n.ts";
import "./styles.css";

document.documentElement.lang = getLang() === "zh" ? "zh-CN" : "en";

const el = document.getElementById("root");
if (!el) throw new Error("no #root element");
createRoot(el).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
