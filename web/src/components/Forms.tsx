/**
 * The pages' data-entry forms: the submit that shows the server's problems under the fields (`useFormSubmit`),
 * the modal and the drawer that hold such a form (`FormModal`, `FormDrawer`) and the usual required rules.
 */
import {
  Button,
  type ButtonProps,
  Drawer,
  Form,
  type FormInstance,
  type FormProps,
  Modal,
  Space,
} from "antd";
import type { Rule } from "antd/es/form";
import { type ReactNode, useEffect, useState } from "react";
import { useI18n } from "../i18n.ts";
import { useServerErrors } from "./ServerErrors.tsx";

export interface FormSubmit<V> {
  form: FormInstance<V>;
  errors: ReturnType<typeof useServerErrors>;
  /** A submit is under way. */
  busy: boolean;
  /** The form's `onFinish`: runs the action; a rejection shows under the fields it names or above the form. */
  submit: (v: V) => Promise<void>;
}

/**
 * A form, its server errors (for the fields `names`) and its submit, which runs `action` — after `opts.confirm`,
 * when given, has resolved true.
 */
export function useFormSubmit<V>(
  names: readonly string[],
  action: (v: V) => Promise<unknown>,
  opts?: Parameters<typeof useServerErrors>[2] & { confirm?: (v: V) => Promise<boolean> },
): FormSubmit<V> {
  const [form] = Form.useForm<V>();
  const errors = useServerErrors(form, names, opts);
  const [busy, setBusy] = useState(false);
  const submit = async (v: V) => {
    if (opts?.confirm && !(await opts.confirm(v))) return;
    setBusy(true);
    errors.clear();
    try {
      await action(v);
    } catch (e) {
      errors.report(e);
    } finally {
      setBusy(false);
    }
  };
  return { form, errors, busy, submit };
}

interface FormShellProps<V> {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  submitter: FormSubmit<V>;
  /** The form's test id. */
  testId?: string;
  initialValues?: FormProps<V>["initialValues"];
  /** Shown between the error alert and the form. */
  intro?: ReactNode;
  children: ReactNode;
}

function ShellForm<V>({ submitter, testId, initialValues, children }: FormShellProps<V>) {
  // The form instance outlives the drawer or modal that shows it: a form shown again (another row to edit, after
  // a save) starts from its own initial values, not from what the last one held.
  const { form } = submitter;
  useEffect(() => {
    form.resetFields();
  }, [form]);
  return (
    <Form<V>
      form={submitter.form}
      layout="vertical"
      initialValues={initialValues}
      onFinish={submitter.submit}
      preserve={false}
      data-testid={testId}
    >
      {children}
    </Form>
  );
}

/** A form in a modal: OK submits it (save unless `okText` says otherwise), cancel closes. */
export function FormModal<V>(props: FormShellProps<V> & { okText?: ReactNode; okButtonProps?: ButtonProps }) {
  const { t } = useI18n();
  const { submitter } = props;
  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={props.onClose}
      onOk={() => submitter.form.submit()}
      okText={props.okText ?? t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={submitter.busy}
      destroyOnHidden
      afterClose={submitter.errors.clear}
      okButtonProps={props.okButtonProps}
    >
      {submitter.errors.alert}
      {props.intro}
      <ShellForm {...props} />
    </Modal>
  );
}

/**
 * A form in a drawer with cancel and save buttons: in the drawer's footer (the default), at its top right
 * (`extra`) or under the fields (`end`, save first).
 */
export function FormDrawer<V>(
  props: FormShellProps<V> & {
    size: number;
    saveTestId: string;
    buttons?: "footer" | "extra" | "end";
    /** The drawer's test id. */
    drawerTestId?: string;
  },
) {
  const { t } = useI18n();
  const { submitter } = props;
  const where = props.buttons ?? "footer";
  const cancel = <Button onClick={props.onClose}>{t("common.cancel")}</Button>;
  const save = (
    <Button
      type="primary"
      htmlType={where === "end" ? "submit" : undefined}
      loading={submitter.busy}
      onClick={where === "end" ? undefined : () => submitter.form.submit()}
      data-testid={props.saveTestId}
    >
      {t("common.save")}
    </Button>
  );
  const buttons = (
    <Space style={where === "footer" ? { float: "right" } : undefined}>
      {where === "end" ? (
        <>
          {save}
          {cancel}
        </>
      ) : (
        <>
          {cancel}
          {save}
        </>
      )}
    </Space>
  );
  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      size={props.size}
      destroyOnHidden
      title={props.title}
      afterOpenChange={(open) => {
        if (!open) submitter.errors.clear();
      }}
      footer={where === "footer" ? buttons : undefined}
      extra={where === "extra" ? buttons : undefined}
      data-testid={props.drawerTestId}
    >
      {submitter.errors.alert}
      {props.intro}
      <ShellForm {...props}>
        {props.children}
        {where === "end" ? buttons : null}
      </ShellForm>
    </Drawer>
  );
}

/** The required rules with the usual messages; `field` is the field's label. */
export function useRules() {
  const { t } = useI18n();
  return {
    /** A value to fill in; a text of blanks counts as none unless `whitespace` is false (numbers, lists). */
    required: (field: string, whitespace = true): Rule => ({
      required: true,
      ...(whitespace ? { whitespace } : {}),
      message: t("common.required", { field }),
    }),
    /** A choice to make. */
    select: (field: string): Rule => ({ required: true, message: t("common.select", { field }) }),
  };
}
