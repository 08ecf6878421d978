import { Checkbox, type GetProps } from "antd";

type Props = GetProps<typeof Checkbox.Group> & { "aria-required"?: unknown };

/**
 * Ant Design's checkbox group, for a required Form.Item: the item marks its control `aria-required`, which ARIA
 * allows on no group of checkboxes (axe-core aria-allowed-attr, critical). The group drops it; the item's
 * asterisk and its validation message still say that a choice is required.
 */
export function CheckboxGroup({ "aria-required": _required, ...props }: Props) {
  return <Checkbox.Group {...props} />;
}
