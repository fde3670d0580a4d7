import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/time';
import type { HoldReason } from './queries';

/** One reason a unit is held, in words. */
export function ReasonText({ reason, timeZone }: { reason: HoldReason; timeZone: string }) {
  const { t, i18n } = useTranslation();
  if (reason.kind === 'blackout' && reason.blackout) {
    return (
      <>
        {t('holds.reason.blackout', {
          kind: t(`holds.kind.${reason.blackout.kind}`),
          label: reason.blackout.label,
          until: formatDateTime(reason.blackout.ends_at, timeZone, i18n.language),
        })}
      </>
    );
  }
  return <>{t(`holds.reason.${reason.kind}`, { reason: reason.reason ?? '' })}</>;
}
