/**
 * The UI's message dictionary (Chinese default, English switch). Every visible string lives here in both
 * languages: `en` is typed against `zh`, so a key missing from either side fails the type check.
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

export type Lang = "zh" | "en";

const zh = {
  "app.title": "信用分级分类监管平台",
  "app.shortTitle": "信用监管平台",
  "app.subtitle": "泉州市公共信用信息归集与信用分级分类监管",
  "app.loading": "正在加载…",
  "app.footer": "泉州市社会信用体系建设领导小组办公室",

  "lang.switch": "语言",
  "lang.zh": "中文",
  "lang.en": "English",

  "common.search": "查询",
  "common.reset": "重置",
  "common.edit": "编辑",
  "common.save": "保存",
  "common.cancel": "取消",
  "common.close": "关闭",
  "common.retry": "重试",
  "common.refresh": "刷新",
  "common.actions": "操作",
  "common.all": "全部",
  "common.back": "返回",
  "common.copy": "复制",
  "common.total": "共 {n} 条",
  "common.saved": "已保存",
  "common.required": "请填写{field}",
  "common.select": "请选择{field}",
  "common.serverProblems": "提交未通过，请按提示修改：",
  "common.networkError": "无法连接服务器，请检查网络后重试",
  "common.unknownError": "操作失败",
  "common.loadFailed": "数据加载失败",
  "common.colon": "：",

  "menu.group.credit": "信用档案",
  "menu.group.collect": "数据归集",
  "menu.group.admin": "系统管理",
  "menu.group.security": "安全审计",
  "menu.subjects": "主体查询",
  "menu.self": "本企业信用档案",
  "menu.import": "导入中心",
  "menu.imports": "导入记录",
  "menu.users": "用户管理",
  "menu.departments": "部门管理",
  "menu.tokens": "接口令牌",
  "menu.audit": "审计日志",
  "menu.password": "修改密码",

  "header.signOut": "退出登录",
  "header.signedOut": "已退出登录",
  "header.noDepartment": "无所属部门",
  "header.collapse": "收起菜单",
  "header.expand": "展开菜单",

  "role.city_admin": "市信用办管理员",
  "role.dept_admin": "部门管理员",
  "role.dept_staff": "部门工作人员",
  "role.inspector": "执法检查人员",
  "role.enterprise": "企业用户",
  "role.agency": "信用服务机构",
  "role.auditor": "审计管理员",
  "role.security_admin": "安全管理员",
  "role.public": "公众",
  "role.token": "部门系统（接口令牌）",

  "login.title": "用户登录",
  "login.username": "用户名",
  "login.password": "密码",
  "login.submit": "登录",
  "login.usernameRequired": "请输入用户名",
  "login.passwordRequired": "请输入密码",
  "login.notice": "本系统为政务内部系统，登录及操作行为将被记录审计。",
  "login.sessionExpired": "登录已失效，请重新登录",

  "home.welcome": "欢迎，{name}",
  "home.noPermission": "当前账号尚未分配任何功能权限，请联系管理员。",

  "error.403.title": "无权访问",
  "error.403.sub": "当前账号没有访问此页面的权限。如需开通，请联系本单位管理员。",
  "error.404.title": "页面不存在",
  "error.404.sub": "您访问的页面不存在或已被移除。",
  "error.500.title": "出错了",
  "error.500.sub": "页面加载时发生错误，请稍后重试。",
  "error.backHome": "返回首页",
  "error.details": "错误信息",

  "subject.codeOrId": "统一社会信用代码/身份证号",
  "subject.name": "主体名称",
  "subject.type": "主体类型",
  "subject.codeStatus": "代码状态",
  "subject.region": "所属地区",
  "subject.industry": "行业门类",
  "subject.industryDivision": "行业大类",
  "subject.registeredOn": "成立日期",
  "subject.capital": "注册资本（万元）",
  "subject.status": "登记状态",
  "subject.masked": "已脱敏",
  "subject.maskedNoProfile": "自然人身份证号已脱敏，不能从列表打开档案",
  "subject.keyword": "关键词",
  "subject.keywordPlaceholder": "统一社会信用代码或名称",
  "subject.search.title": "主体查询",
  "subject.search.sub": "查询泉州市各类市场主体及其信用档案",
  "subject.profile.records": "信用记录",
  "subject.profile.noRecords": "暂无信用记录",
  "subject.profile.recordCount": "共 {n} 条信用记录",
  "subject.self.unbound": "当前账号未绑定企业",
  "subject.self.unboundSub": "请联系管理员为账号绑定统一社会信用代码后再查看本企业信用档案。",

  "subjectType.enterprise": "企业",
  "subjectType.individual": "个体工商户",
  "subjectType.cooperative": "农民专业合作社",
  "subjectType.social_org": "社会组织",
  "subjectType.institution": "事业单位",
  "subjectType.natural_person": "自然人",

  "subjectStatus.存续": "存续",
  "subjectStatus.吊销": "吊销",
  "subjectStatus.注销": "注销",
  "subjectStatus.迁出": "迁出",

  "codeStatus.valid": "有效",
  "codeStatus.legacy": "历史代码（白名单）",

  "record.department": "报送部门",
  "record.docNo": "文书号",
  "record.decisionDate": "决定日期",
  "record.reason": "原因",
  "record.versionN": "第 {n} 版",
  "record.current": "现行版本",
  "record.openVersions": "查看全部版本",
  "record.versionsTitle": "记录版本与来源 · {doc}",
  "record.batch": "导入批次",
  "record.submitter": "报送人",
  "record.submittedAt": "报送时间",
  "record.digest": "内容摘要（SHA-256）",
  "record.fields": "记录内容",

  "severity.minor": "轻微",
  "severity.general": "一般",
  "severity.serious": "严重",

  "recordStatus.active": "有效",
  "recordStatus.corrected": "更正",
  "recordStatus.revoked": "撤销",

  "import.title": "导入中心",
  "import.sub": "按公共信用信息目录报送信用记录（CSV 或 XLSX 文件）",
  "import.department": "报送部门",
  "import.category": "信息类别",
  "import.categoryAny": "不限（文件中含“信息类别”列）",
  "import.categoryHint": "选择后文件中可省略“信息类别”列",
  "import.acceptValid": "接受有效行（有错误的行写入错误报告，其余入库）",
  "import.acceptValidHint": "不勾选时整批校验：只要有一行错误，整批不入库。",
  "import.file": "导入文件",
  "import.drop": "点击或拖拽文件到此处",
  "import.dropHint": "支持 CSV（UTF-8 或 GB18030）和 XLSX；列名可为中文或英文",
  "import.start": "开始导入",
  "import.again": "继续导入",
  "import.uploading": "正在上传…",
  "import.processing": "服务器正在校验和入库…",
  "import.rowsRead": "已读取 {n} 行",
  "import.result": "导入结果",
  "import.accepted": "入库",
  "import.duplicates": "重复（已存在）",
  "import.versions": "新版本",
  "import.rejected": "拒绝",
  "import.downloadRejects": "下载错误报告",
  "import.problems": "问题明细（前 {n} 条）",
  "import.row": "行号",
  "import.field": "字段",
  "import.problem": "问题",
  "import.value": "值",
  "import.templates": "导入模板",
  "import.templatesHint": "下载模板，按列填写后上传。必填列以 * 标注。",
  "import.columns": "列",
  "import.requiredCols": "必填 {n} 列",
  "import.template.csvZh": "CSV 中文",
  "import.template.csvEn": "CSV 英文",
  "import.template.xlsxZh": "XLSX 中文",
  "import.template.xlsxEn": "XLSX 英文",
  "import.history": "导入记录",
  "import.historySub": "各部门的文件导入、接口报送批次",
  "import.noFile": "请先选择要导入的文件",
  "import.rejectedAll":
    "本批次有错误行，按整批校验未入库。请下载错误报告修改后重新导入，或勾选“接受有效行”。",

  "kind.negative": "失信",
  "kind.positive": "守信",
  "kind.neutral": "其他",

  "batch.id": "批次号",
  "batch.department": "部门",
  "batch.submitter": "提交人",
  "batch.channel": "渠道",
  "batch.fileName": "文件名",
  "batch.status": "状态",
  "batch.startedAt": "开始时间",

  "batchStatus.running": "处理中",
  "batchStatus.committed": "已入库",
  "batchStatus.rejected": "已拒绝",
  "batchStatus.interrupted": "已中断",
  "batchStatus.failed": "失败",

  "channel.rest": "接口",
  "channel.file": "文件",
  "channel.cli": "命令行",
  "channel.demo": "演示数据",
  "channel.web": "网页",

  "user.title": "用户管理",
  "user.sub": "管理平台账号、角色与所属部门",
  "user.username": "用户名",
  "user.displayName": "姓名",
  "user.role": "角色",
  "user.department": "所属部门",
  "user.subjectCode": "绑定主体代码",
  "user.status": "状态",
  "user.lastLogin": "最近登录",
  "user.password": "初始密码",
  "user.newPassword": "新密码",
  "user.create": "新建用户",
  "user.edit": "编辑用户",
  "user.disable": "停用",
  "user.enable": "启用",
  "user.disableConfirm": "确定停用用户 {name}？停用后该用户不能登录。",
  "user.enableConfirm": "确定启用用户 {name}？",
  "user.resetPassword": "重置密码",
  "user.resetPasswordTitle": "重置 {name} 的密码",
  "user.passwordReset": "密码已重置",
  "user.searchPlaceholder": "用户名或姓名",
  "user.never": "从未登录",
  "user.usernameRule": "3–64 位字母、数字、下划线、点或短横线",

  "userStatus.active": "正常",
  "userStatus.disabled": "已停用",

  "dept.title": "部门管理",
  "dept.sub": "信用信息报送部门",
  "dept.code": "部门代码",
  "dept.nameZh": "中文名称",
  "dept.nameEn": "英文名称",
  "dept.create": "新建部门",
  "dept.edit": "编辑部门",
  "dept.codeRule": "2–16 位大写英文字母",

  "token.title": "接口令牌",
  "token.sub": "供部门业务系统调用接口报送数据",
  "token.name": "令牌名称",
  "token.department": "部门",
  "token.scopes": "权限范围",
  "token.createdAt": "创建时间",
  "token.expiresAt": "到期时间",
  "token.lastUsed": "最近使用",
  "token.status": "状态",
  "token.expiresInDays": "有效期（天）",
  "token.create": "新建令牌",
  "token.revoke": "撤销",
  "token.revokeConfirm": "撤销后使用该令牌的系统将立即无法访问，确定撤销？",
  "token.revoked": "已撤销",
  "token.expired": "已过期",
  "token.valid": "有效",
  "token.createdTitle": "令牌已创建",
  "token.createdWarning": "令牌只显示这一次，请立即复制并妥善保存。关闭后无法再次查看。",
  "token.copied": "已复制",
  "token.never": "从未使用",
  "token.scopeHint": "令牌只能报送和查询本部门数据，不能做管理操作。",
  "token.copyHint": "在业务系统的请求头中携带：Authorization: Bearer <令牌>",
  "scope.records.submit": "报送信用记录",
  "scope.imports.read": "查看导入批次",
  "scope.subjects.read": "查询主体",
  "scope.catalog.read": "读取信息目录",

  "audit.title": "审计日志",
  "audit.sub": "平台操作记录（只读）",
  "audit.at": "时间",
  "audit.actor": "操作人",
  "audit.action": "操作",
  "audit.target": "对象",
  "audit.outcome": "结果",
  "audit.ip": "IP 地址",
  "audit.role": "角色",
  "audit.department": "部门",
  "audit.actorPlaceholder": "操作人用户名",
  "audit.actionPlaceholder": "操作代码，如 auth.login",
  "auditResult.ok": "成功",
  "auditResult.denied": "拒绝",
  "auditResult.failed": "失败",

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

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  "app.title": "Credit Grading & Supervision Platform",
  "app.shortTitle": "Credit Supervision",
  "app.subtitle": "Quanzhou public credit information and credit-graded supervision",
  "app.loading": "Loading…",
  "app.footer": "Quanzhou Social Credit System Leading Group Office",

  "lang.switch": "Language",
  "lang.zh": "中文",
  "lang.en": "English",

  "common.search": "Search",
  "common.reset": "Reset",
  "common.edit": "Edit",
  "common.save": "Save",
  "common.cancel": "Cancel",
  "common.close": "Close",
  "common.retry": "Retry",
  "common.refresh": "Refresh",
  "common.actions": "Actions",
  "common.all": "All",
  "common.back": "Back",
  "common.copy": "Copy",
  "common.total": "{n} in total",
  "common.saved": "Saved",
  "common.required": "Enter the {field}",
  "common.select": "Choose the {field}",
  "common.serverProblems": "Not accepted. Please fix the following:",
  "common.networkError": "Cannot reach the server. Check the network and try again",
  "common.unknownError": "The operation failed",
  "common.loadFailed": "Could not load the data",
  "common.colon": ": ",

  "menu.group.credit": "Credit files",
  "menu.group.collect": "Data collection",
  "menu.group.admin": "Administration",
  "menu.group.security": "Security audit",
  "menu.subjects": "Subject search",
  "menu.self": "Our credit file",
  "menu.import": "Import centre",
  "menu.imports": "Import history",
  "menu.users": "Users",
  "menu.departments": "Departments",
  "menu.tokens": "API tokens",
  "menu.audit": "Audit log",
  "menu.password": "Change password",

  "header.signOut": "Sign out",
  "header.signedOut": "Signed out",
  "header.noDepartment": "No department",
  "header.collapse": "Collapse menu",
  "header.expand": "Expand menu",

  "role.city_admin": "City credit office administrator",
  "role.dept_admin": "Department administrator",
  "role.dept_staff": "Department staff",
  "role.inspector": "Law-enforcement inspector",
  "role.enterprise": "Enterprise user",
  "role.agency": "Credit service agency",
  "role.auditor": "Audit administrator",
  "role.security_admin": "Security administrator",
  "role.public": "Public",
  "role.token": "Department system (API token)",

  "login.title": "Sign in",
  "login.username": "Username",
  "login.password": "Password",
  "login.submit": "Sign in",
  "login.usernameRequired": "Enter your username",
  "login.passwordRequired": "Enter your password",
  "login.notice": "This is a government internal system. Sign-ins and actions are recorded for audit.",
  "login.sessionExpired": "Your session has ended. Please sign in again",

  "home.welcome": "Welcome, {name}",
  "home.noPermission": "This account has no functions assigned yet. Please contact your administrator.",

  "error.403.title": "Access denied",
  "error.403.sub": "This account may not open this page. Ask your unit's administrator for access.",
  "error.404.title": "Page not found",
  "error.404.sub": "The page you asked for does not exist or has been removed.",
  "error.500.title": "Something went wrong",
  "error.500.sub": "An error occurred while loading the page. Please try again later.",
  "error.backHome": "Back to home",
  "error.details": "Error details",

  "subject.codeOrId": "Credit code / ID number",
  "subject.name": "Name",
  "subject.type": "Subject type",
  "subject.codeStatus": "Code status",
  "subject.region": "Region",
  "subject.industry": "Industry section",
  "subject.industryDivision": "Industry division",
  "subject.registeredOn": "Registered on",
  "subject.capital": "Registered capital (10k CNY)",
  "subject.status": "Registration status",
  "subject.masked": "Masked",
  "subject.maskedNoProfile": "The identity number is masked, so the profile cannot be opened from the list",
  "subject.keyword": "Keyword",
  "subject.keywordPlaceholder": "Credit code or name",
  "subject.search.title": "Subject search",
  "subject.search.sub": "Find market subjects in Quanzhou and their credit files",
  "subject.profile.records": "Credit records",
  "subject.profile.noRecords": "No credit records",
  "subject.profile.recordCount": "{n} credit records",
  "subject.self.unbound": "This account is not linked to an enterprise",
  "subject.self.unboundSub":
    "Ask the administrator to link your account to a unified social credit code, then open the file again.",

  "subjectType.enterprise": "Enterprise",
  "subjectType.individual": "Individual business",
  "subjectType.cooperative": "Farmers' cooperative",
  "subjectType.social_org": "Social organisation",
  "subjectType.institution": "Public institution",
  "subjectType.natural_person": "Natural person",

  "subjectStatus.存续": "In operation",
  "subjectStatus.吊销": "Licence revoked",
  "subjectStatus.注销": "Deregistered",
  "subjectStatus.迁出": "Moved out",

  "codeStatus.valid": "Valid",
  "codeStatus.legacy": "Legacy code (allow-listed)",

  "record.department": "Department",
  "record.docNo": "Document no.",
  "record.decisionDate": "Decision date",
  "record.reason": "Reason",
  "record.versionN": "Version {n}",
  "record.current": "Current",
  "record.openVersions": "All versions",
  "record.versionsTitle": "Versions and provenance · {doc}",
  "record.batch": "Import batch",
  "record.submitter": "Submitted by",
  "record.submittedAt": "Submitted at",
  "record.digest": "Content digest (SHA-256)",
  "record.fields": "Content",

  "severity.minor": "Minor",
  "severity.general": "General",
  "severity.serious": "Serious",

  "recordStatus.active": "Active",
  "recordStatus.corrected": "Corrected",
  "recordStatus.revoked": "Revoked",

  "import.title": "Import centre",
  "import.sub": "Submit credit records under the public credit information catalog (CSV or XLSX)",
  "import.department": "Department",
  "import.category": "Category",
  "import.categoryAny": "Any (the file has a category column)",
  "import.categoryHint": "With a category chosen, the file may leave out the category column",
  "import.acceptValid": "Accept valid rows (rows with errors go to the error report, the rest are stored)",
  "import.acceptValidHint": "Unticked, the batch is all-or-nothing: one bad row and nothing is stored.",
  "import.file": "File",
  "import.drop": "Click or drag a file here",
  "import.dropHint": "CSV (UTF-8 or GB18030) and XLSX; Chinese or English column headers",
  "import.start": "Start import",
  "import.again": "Import another file",
  "import.uploading": "Uploading…",
  "import.processing": "The server is checking and storing the rows…",
  "import.rowsRead": "{n} rows read",
  "import.result": "Import result",
  "import.accepted": "Accepted",
  "import.duplicates": "Duplicates (already stored)",
  "import.versions": "New versions",
  "import.rejected": "Rejected",
  "import.downloadRejects": "Download the error report",
  "import.problems": "Problems (first {n})",
  "import.row": "Row",
  "import.field": "Field",
  "import.problem": "Problem",
  "import.value": "Value",
  "import.templates": "Templates",
  "import.templatesHint":
    "Download a template, fill in the columns and upload it. Required columns carry a *.",
  "import.columns": "Columns",
  "import.requiredCols": "{n} required",
  "import.template.csvZh": "CSV Chinese",
  "import.template.csvEn": "CSV English",
  "import.template.xlsxZh": "XLSX Chinese",
  "import.template.xlsxEn": "XLSX English",
  "import.history": "Import history",
  "import.historySub": "File imports and API submissions of every department",
  "import.noFile": "Choose a file to import first",
  "import.rejectedAll":
    "The batch has bad rows, so nothing was stored. Fix them from the error report and import again, or tick “accept valid rows”.",

  "kind.negative": "Negative",
  "kind.positive": "Positive",
  "kind.neutral": "Other",

  "batch.id": "Batch",
  "batch.department": "Department",
  "batch.submitter": "Submitter",
  "batch.channel": "Channel",
  "batch.fileName": "File",
  "batch.status": "Status",
  "batch.startedAt": "Started",

  "batchStatus.running": "Running",
  "batchStatus.committed": "Committed",
  "batchStatus.rejected": "Rejected",
  "batchStatus.interrupted": "Interrupted",
  "batchStatus.failed": "Failed",

  "channel.rest": "API",
  "channel.file": "File",
  "channel.cli": "Command line",
  "channel.demo": "Demo data",
  "channel.web": "Web",

  "user.title": "Users",
  "user.sub": "Manage accounts, roles and departments",
  "user.username": "Username",
  "user.displayName": "Name",
  "user.role": "Role",
  "user.department": "Department",
  "user.subjectCode": "Linked subject code",
  "user.status": "Status",
  "user.lastLogin": "Last sign-in",
  "user.password": "Initial password",
  "user.newPassword": "New password",
  "user.create": "New user",
  "user.edit": "Edit user",
  "user.disable": "Disable",
  "user.enable": "Enable",
  "user.disableConfirm": "Disable user {name}? They will not be able to sign in.",
  "user.enableConfirm": "Enable user {name}?",
  "user.resetPassword": "Reset password",
  "user.resetPasswordTitle": "Reset the password of {name}",
  "user.passwordReset": "Password reset",
  "user.searchPlaceholder": "Username or name",
  "user.never": "Never",
  "user.usernameRule": "3–64 letters, digits, underscores, dots or hyphens",

  "userStatus.active": "Active",
  "userStatus.disabled": "Disabled",

  "dept.title": "Departments",
  "dept.sub": "Departments that submit credit information",
  "dept.code": "Code",
  "dept.nameZh": "Chinese name",
  "dept.nameEn": "English name",
  "dept.create": "New department",
  "dept.edit": "Edit department",
  "dept.codeRule": "2–16 capital letters",

  "token.title": "API tokens",
  "token.sub": "For departments' business systems that submit data through the API",
  "token.name": "Name",
  "token.department": "Department",
  "token.scopes": "Scopes",
  "token.createdAt": "Created",
  "token.expiresAt": "Expires",
  "token.lastUsed": "Last used",
  "token.status": "Status",
  "token.expiresInDays": "Valid for (days)",
  "token.create": "New token",
  "token.revoke": "Revoke",
  "token.revokeConfirm": "Systems using this token lose access at once. Revoke it?",
  "token.revoked": "Revoked",
  "token.expired": "Expired",
  "token.valid": "Valid",
  "token.createdTitle": "Token created",
  "token.createdWarning":
    "The token is shown only this once. Copy it now and keep it safe; it cannot be shown again.",
  "token.copied": "Copied",
  "token.never": "Never",
  "token.scopeHint": "A token submits and reads its department's data only; it administers nothing.",
  "token.copyHint": "Send it in the business system's requests as: Authorization: Bearer <token>",
  "scope.records.submit": "Submit credit records",
  "scope.imports.read": "Read import batches",
  "scope.subjects.read": "Search subjects",
  "scope.catalog.read": "Read the catalog",

  "audit.title": "Audit log",
  "audit.sub": "Actions on the platform (read only)",
  "audit.at": "Time",
  "audit.actor": "User",
  "audit.action": "Action",
  "audit.target": "Target",
  "audit.outcome": "Outcome",
  "audit.ip": "IP address",
  "audit.role": "Role",
  "audit.department": "Department",
  "audit.actorPlaceholder": "Username",
  "audit.actionPlaceholder": "Action code, e.g. auth.login",
  "auditResult.ok": "OK",
  "auditResult.denied": "Denied",
  "auditResult.failed": "Failed",

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
