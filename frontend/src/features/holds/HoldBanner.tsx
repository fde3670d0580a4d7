import type { ReactNode } from 'react';
import { Alert, Group, Stack, Text } from '@mantine/core';
import { IconPlayerPause } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useHoldStatus } from './queries';
import { ReasonText } from './ReasonText';

interface Props {
  unitId: number | undefined;
  timeZone: string;
  /** A link to the holds page (the shell passes a router link). */
  action?: ReactNode;
}

/** Shown across the app while the unit's posts are held. */
export function HoldBanner({ unitId, timeZone, action }: Props) {
  const { t } = useTranslation();
  const status = useHoldStatus(unitId);
  const data = status.data;
  if (!data?.held) return null;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconPlayerPause size={18} />}
      title={t('holds.banner.title')}
      mb="md"
      role="status"
      data-testid="hold-banner"
    >
      <Stack gap={4}>
        {data.reasons.map((reason, i) => (
          <Text size="sm" key={i}>
            <ReasonText reason={reason} timeZone={timeZone} />
          </Text>
        ))}
        <Text size="sm">{t('holds.banner.waiting', { count: data.waiting })}</Text>
        {data.quiet_period && <Text size="sm">{t('holds.quietHint')}</Text>}
        {action && <Group>{action}</Group>}
      </Stack>
    </Alert>
  );
}
