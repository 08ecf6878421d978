import { Card, Result } from "antd";
import { useAuth } from "../auth.tsx";
import { useI18n } from "../i18n.ts";
import { SelfChecksCard } from "../measures/components.tsx";
import { SubjectProfileView } from "./SubjectProfile.tsx";

/** 本企业信用档案: an enterprise user's own subject profile. */
export default function SelfProfile() {
  const { t } = useI18n();
  const { session } = useAuth();
  const code = session?.user.subjectCode;
  if (!code) {
    return (
      <Card>
        <Result status="warning" title={t("subject.self.unbound")} subTitle={t("subject.self.unboundSub")} />
      </Card>
    );
  }
  return <SubjectProfileView code={code} showBack={false} own={<SelfChecksCard />} />;
}
