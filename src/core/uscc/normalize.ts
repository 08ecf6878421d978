/**
 * Shared pieces for the code checkers (USCC, resident ID number): input normalisation and the
 * shape of a rejection reason. Pure functions, no I/O.
 */
import type { ProblemText } from "../problem.ts";

/** Why a code was rejected (or accepted only as legacy): what is wrong and how to fix it, zh + en. */
export interface CodeReason extends ProblemText {
  /** Stable machine code, e.g. `uscc.check`. */
  code: string;
}

/** Something worth telling the user that does not make the code invalid. */
export interface CodeWarning {
  code: string;
  zh: string;
  en: string;
}

/** Spaces and hyphen-like characters people put inside codes, plus invisible characters from copy and paste. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\u200B-\u200D\u2060\uFEFF]/gu;

/**
 * Normalise a typed or pasted code: trim; full-width ASCII (U+FF01–U+FF5E) and the ideographic space become
 * half-width; inner spaces and hyphens are removed; ASCII letters are upper-cased. Other characters are kept as
 * they are so that a checker can name them.
 */
export function normalizeCode(input: string): string {
  const text = typeof input === "string" ? input : String(input ?? "");
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xff01 && cp <= 0xff5e) out += String.fromCharCode(cp - 0xfee0);
    else if (cp === 0x3000) out += " ";
    else out += ch;
  }
  return out
    .trim()
    .replace(SEPARATORS, "")
    .replace(/[a-z]+/g, (s) => s.toUpperCase());
}

/** How to show one character in a message: printable as itself, otherwise as U+XXXX. */
export function showChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return ch;
}
