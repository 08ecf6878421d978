/** Texts of signing in and changing the password. `en` is typed against `zh`: a text missing from either side fails the type check. */
export const zh = {
  "login.title": "用户登录",
  "login.username": "用户名",
  "login.password": "密码",
  "login.submit": "登录",
  "login.usernameRequired": "请输入用户名",
  "login.passwordRequired": "请输入密码",
  "login.notice": "本系统为政务内部系统，登录及操作行为将被记录审计。",
  "login.sessionExpired": "登录已失效，请重新登录",

  "password.title": "修改密码",
  "password.sub": "定期修改密码，保障账号安全",
  "password.current": "当前密码",
  "password.next": "新密码",
  "password.confirm": "确认新密码",
  "password.mismatch": "两次输入的新密码不一致",
  "password.changed": "密码已修改",
  "password.mustChange": "首次登录或密码被重置后，请先修改密码再使用系统。",
  "password.hint": "至少 10 位，且包含小写字母、大写字母、数字、符号中的至少 3 类。",
} as const;

export const en: Record<keyof typeof zh, string> = {
  "login.title": "Sign in",
  "login.username": "Username",
  "login.password": "Password",
  "login.submit": "Sign in",
  "login.usernameRequired": "Enter your username",
  "login.passwordRequired": "Enter your password",
  "login.notice": "This is a government internal system. Sign-ins and actions are recorded for audit.",
  "login.sessionExpired": "Your session has ended. Please sign in again",

  "password.title": "Change password",
  "password.sub": "Change your password regularly to keep the account safe",
  "password.current": "Current password",
  "password.next": "New password",
  "password.confirm": "Confirm the new password",
  "password.mismatch": "The two new passwords differ",
  "password.changed": "Password changed",
  "password.mustChange": "Your password was set by an administrator. Change it before you go on.",
  "password.hint": "At least 10 characters, with 3 of: lower case, upper case, digits, symbols.",
};
