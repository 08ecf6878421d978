import { Typography } from "antd";
import type { ReactNode } from "react";

/** A page's title bar in the Ant Design Pro manner: title, a line of explanation, actions on the right. */
export function PageHeader(props: { title: ReactNode; sub?: ReactNode; extra?: ReactNode; testId?: string }) {
  return (
    <div className="page-header" data-testid={props.testId}>
      <div className="page-header-main">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {props.title}
        </Typography.Title>
        {props.sub ? <Typography.Text type="secondary">{props.sub}</Typography.Text> : null}
      </div>
      {props.extra ? <div className="page-header-extra">{props.extra}</div> : null}
    </div>
  );
}
