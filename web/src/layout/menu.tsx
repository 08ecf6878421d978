import {
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  CarryOutOutlined,
  CloudUploadOutlined,
  ExperimentOutlined,
  FileSearchOutlined,
  HistoryOutlined,
  IdcardOutlined,
  OrderedListOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  ShopOutlined,
  SolutionOutlined,
  StarOutlined,
  TeamOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";
import type { Permission } from "../api/types.ts";
import type { MessageKey } from "../i18n.ts";

export interface MenuEntry {
  /** Stable key: the menu item's test id is `menu-<key>`. */
  key: string;
  path: string;
  permission: Permission;
  label: MessageKey;
  icon: ReactNode;
}

export interface MenuGroup {
  key: string;
  label: MessageKey;
  entries: MenuEntry[];
}

/** The side menu, grouped by task. An entry shows only when the user holds its permission. */
export const MENU: MenuGroup[] = [
  {
    key: "credit",
    label: "menu.group.credit",
    entries: [
      {
        key: "subjects",
        path: "/subjects",
        permission: "subjects.read",
        label: "menu.subjects",
        icon: <FileSearchOutlined />,
      },
      { key: "self", path: "/self", permission: "self.read", label: "menu.self", icon: <IdcardOutlined /> },
    ],
  },
  {
    key: "evaluation",
    label: "menu.group.evaluation",
    entries: [
      {
        key: "dashboard",
        path: "/dashboard",
        permission: "subjects.read",
        label: "menu.dashboard",
        icon: <BarChartOutlined />,
      },
      {
        key: "models",
        path: "/models",
        permission: "models.manage",
        label: "menu.models",
        icon: <ExperimentOutlined />,
      },
      {
        key: "ratings",
        path: "/ratings",
        permission: "ratings.read",
        label: "menu.ratings",
        icon: <StarOutlined />,
      },
      {
        key: "agencies",
        path: "/agencies",
        permission: "agencies.read",
        label: "menu.agencies",
        icon: <BankOutlined />,
      },
    ],
  },
  {
    key: "supervision",
    label: "menu.group.supervision",
    entries: [
      {
        key: "measures",
        path: "/measures",
        permission: "measures.read",
        label: "menu.measures",
        icon: <OrderedListOutlined />,
      },
      {
        key: "credit-checks",
        path: "/credit-checks",
        permission: "credit_checks.create",
        label: "menu.creditChecks",
        icon: <SafetyCertificateOutlined />,
      },
      {
        key: "inspection-plans",
        path: "/inspection-plans",
        permission: "inspections.read",
        label: "menu.inspectionPlans",
        icon: <ScheduleOutlined />,
      },
      {
        key: "inspection-tasks",
        path: "/inspection-tasks",
        permission: "inspections.read",
        label: "menu.inspectionTasks",
        icon: <CarryOutOutlined />,
      },
      {
        key: "inspectors",
        path: "/inspectors",
        permission: "inspections.read",
        label: "menu.inspectors",
        icon: <SolutionOutlined />,
      },
      {
        key: "inspection-objects",
        path: "/inspection-objects",
        permission: "inspections.read",
        label: "menu.inspectionObjects",
        icon: <ShopOutlined />,
      },
    ],
  },
  {
    key: "collect",
    label: "menu.group.collect",
    entries: [
      {
        key: "import",
        path: "/import",
        permission: "records.submit",
        label: "menu.import",
        icon: <CloudUploadOutlined />,
      },
      {
        key: "imports",
        path: "/imports",
        permission: "imports.read",
        label: "menu.imports",
        icon: <HistoryOutlined />,
      },
    ],
  },
  {
    key: "admin",
    label: "menu.group.admin",
    entries: [
      {
        key: "users",
        path: "/users",
        permission: "users.manage",
        label: "menu.users",
        icon: <TeamOutlined />,
      },
      {
        key: "departments",
        path: "/departments",
        permission: "departments.manage",
        label: "menu.departments",
        icon: <ApartmentOutlined />,
      },
      {
        key: "tokens",
        path: "/tokens",
        permission: "tokens.manage",
        label: "menu.tokens",
        icon: <ApiOutlined />,
      },
    ],
  },
  {
    key: "security",
    label: "menu.group.security",
    entries: [
      {
        key: "audit",
        path: "/audit",
        permission: "audit.read",
        label: "menu.audit",
        icon: <AuditOutlined />,
      },
    ],
  },
];

export const MENU_ENTRIES: MenuEntry[] = MENU.flatMap((g) => g.entries);

/** The entry a path belongs to (`/subjects/9135…` → subjects). */
export function entryOfPath(pathname: string): MenuEntry | undefined {
  return MENU_ENTRIES.find((e) => pathname === e.path || pathname.startsWith(`${e.path}/`));
}

/** Where to land after sign-in: the first page this user may open. */
export function firstAllowedPath(can: (p: Permission) => boolean): string | undefined {
  return MENU_ENTRIES.find((e) => can(e.permission))?.path;
}
