/** A list's filter form in a card: the fields in one responsive row, then search and reset. */
import { SearchOutlined } from "@ant-design/icons";
import {
  Button,
  Card,
  Col,
  Form,
  type FormInstance,
  type FormProps,
  Row,
  Select,
  type SelectProps,
  Space,
} from "antd";
import type { ReactNode } from "react";
import { useI18n } from "../i18n.ts";

export function FilterCard<V>(props: {
  form: FormInstance<V>;
  initialValues?: FormProps<V>["initialValues"];
  onFinish: (v: V) => void;
  onReset: () => void;
  /** The form's test id. */
  testId: string;
  searchTestId: string;
  resetTestId?: string;
  /** The fields (`FilterField`s). */
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Card className="filter-card" size="small" style={{ marginBottom: 16 }}>
      <Form<V>
        form={props.form}
        layout="vertical"
        initialValues={props.initialValues}
        onFinish={props.onFinish}
        data-testid={props.testId}
      >
        <Row gutter={16}>{props.children}</Row>
        <Space>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid={props.searchTestId}>
            {t("common.search")}
          </Button>
          <Button onClick={props.onReset} data-testid={props.resetTestId}>
            {t("common.reset")}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

/** One filter: a labelled field in a column of the row, wide (the keyword) or narrow with `xl` of 24 columns. */
export function FilterField(props: {
  name: string;
  label: ReactNode;
  wide?: boolean;
  xl?: number;
  children: ReactNode;
}) {
  return (
    <Col xs={props.wide ? 24 : 12} md={props.wide ? 12 : 6} xl={props.xl ?? (props.wide ? 8 : 4)}>
      <Form.Item name={props.name} label={props.label}>
        {props.children}
      </Form.Item>
    </Col>
  );
}

/** A clearable filter select whose empty choice reads "all". */
export function AllSelect(props: SelectProps) {
  const { t } = useI18n();
  return <Select allowClear placeholder={t("common.all")} {...props} />;
}
