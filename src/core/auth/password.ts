import type { Problem } from "../problem.ts";
import { problem } from "../problem.ts";

export interface PasswordRule {
  min_length: number;
  min_classes: number;
}

/** 口令复杂度: length and character classes, checked before anything is hashed. */
export function passwordProblems(pw: string, rule: PasswordRule, field = "password"): Problem[] {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;
  const out: Problem[] = [];
  if (pw.length < rule.min_length || classes < rule.min_classes)
    out.push(
      problem(
        "password.weak",
        {
          zh: `口令强度不足：至少 ${rule.min_length} 位，且包含小写字母、大写字母、数字、符号中的 ${rule.min_classes} 类`,
          en: `Password too weak: at least ${rule.min_length} characters, with ${rule.min_classes} of lower case, upper case, digits and symbols`,
          fixZh: "换一个更长、更复杂的口令",
          fixEn: "Choose a longer, more varied password",
        },
        { field },
      ),
    );
  return out;
}
