import '@mantine/dates/styles.css';
import 'dayjs/locale/id';
import { Button, Group, Stack, Text } from '@mantine/core';
import { DateTimePicker, DatesProvider } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { utcIsoToZonedLocal, zoneLabel, zonedLocalToUtcIso } from '../../lib/time';
import { nextSlot } from './template';

interface Props {
  label: string;
  value: string | null;
  onChange: (iso: string | null) => void;
  timeZone: string;
  slots: string[];
  error?: string;
  testId: string;
  disabled?: boolean;
}

/** Date and time in the unit's zone (24 h, Indonesian), with the unit's good hours one tap away. */
export function SchedulePicker({ label, value, onChange, timeZone, slots, error, testId, disabled }: Props) {
  const { t, i18n } = useTranslation();
  const local = value ? utcIsoToZonedLocal(value, timeZone).replace('T', ' ') + ':00' : null;
  const zone = zoneLabel(timeZone);
  return (
    <DatesProvider settings={{ locale: i18n.language.startsWith('en') ? 'en' : 'id', firstDayOfWeek: 1 }}>
      <Stack gap={4}>
        <DateTimePicker
          label={`${label} (${zone})`}
          description={t('composer.schedule.hint', { zone, tz: timeZone })}
          value={local}
          onChange={(v) => onChange(v ? zonedLocalToUtcIso(String(v), timeZone) : null)}
          valueFormat="DD MMM YYYY HH:mm"
          timePickerProps={{ format: '24h' }}
          clearable
          clearButtonProps={{ 'aria-label': t('composer.schedule.clear') }}
          disabled={disabled}
          error={error}
          placeholder={t('composer.schedule.placeholder')}
          data-testid={testId}
          data-value={local ?? ''}
        />
        {slots.length > 0 && (
          <Group gap={6} align="center">
            <Text size="xs" c="dimmed">
              {t('composer.schedule.slots')}
            </Text>
            {slots.map((slot) => (
              <Button
                key={slot}
                size="compact-sm"
                mih={44}
                variant="default"
                disabled={disabled}
                onClick={() => onChange(nextSlot(slot, local ? local.slice(0, 10) : null, timeZone))}
                data-testid={`${testId}-slot-${slot.replace(':', '')}`}
              >
                {slot.replace(':', '.')}
              </Button>
            ))}
          </Group>
        )}
      </Stack>
    </DatesProvider>
  );
}
