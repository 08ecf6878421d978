/** The list pages' action buttons: the header's create button, a row's confirmed link and what it runs. */
import { PlusOutlined } from "@ant-design/icons";
import { Button, Popconfirm } from "antd";
import type { ReactNode } from "react";
import { errorText } from "../api/client.ts";
import { useI18n } from "../i18n.ts";
import { useMessage } from "./Feedback.tsx";

/** The primary "new …" button of a page header. */
export function CreateButton(props: { testId: string; onClick: () => void; children: ReactNode }) {
  return (
    <Button type="primary" icon={<PlusOutlined />} onClick={props.onClick} data-testid={props.testId}>
      {props.children}
    </Button>
  );
}

/** A small link button in a table row that asks before it acts. */
export function ConfirmLink(props: {
  title: ReactNode;
  description?: ReactNode;
  onConfirm: () => void;
  danger?: boolean;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Popconfirm title={props.title} description={props.description} onConfirm={props.onConfirm}>
      <Button type="link" size="small" danger={props.danger} data-testid={props.testId}>
        {props.children}
      </Button>
    </Popconfirm>
  );
}

/**
 * Runs a row's action (`run`): on success the toast `done` (none when undefined), then `after`; on failure the
 * server's reason in the UI language.
 */
export function useAction() {
  const { t, lang } = useI18n();
  const message = useMessage();
  return async (run: () => Promise<unknown>, done: string | undefined, after?: () => void) => {
    try {
      await run();
      if (done !== undefined) message.success(done);
      after?.();
    } catch (e) {
      message.error(errorText(e, lang, t("common.unknownError"), t("common.networkError")));
    }
  };
}
