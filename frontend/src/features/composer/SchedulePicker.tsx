import '@mantine/dates/styles.css';
import 'dayjs/locale/id';
import { Button, Group, Stack, Text } from '@mantine/core';
import { DateTimePicker, DatesProvider } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { useUnits } from '../../app/useSession';
import { utcIsoToZonedLocal, zoneLabel, zonedLocalToUtcIso } from '../../lib/time';
import { weekdayName } from '../calendar/model';
import { goodHourAt, goodHours, slotLabel } from './goodHours';
import { useBestTimes } from './goodHoursQuery';

interface Props {
  label: string;
  value: string | null;
  onChange: (iso: string | null) => void;
  timeZone: string;
  /** The unit's configured default slots: the suggestion when its history is too thin. */
  slots: string[];
  /** Whose history suggests the hours; the unit being worked in when not given. */
  unitId?: number | null;
  error?: string;
  testId: string;
  disabled?: boolean;
}

/** Date and time in the unit's zone (24 h, Indonesian), with good hours for the day one tap away. */
export function SchedulePicker({ label, value, onChange, timeZone, slots, unitId, error, testId, disabled }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language.startsWith('en') ? 'en' : 'id';
  const { unit } = useUnits();
  const local = value ? utcIsoToZonedLocal(value, timeZone).replace('T', ' ') + ':00' : null;
  const zone = zoneLabel(timeZone);
  const best = useBestTimes(unitId === undefined ? unit?.id : unitId);
  // Nothing is offered while the history loads (it is kept for a while after), so the buttons
  // never change under a finger; without analytics the defaults stand in.
  const loading = best.isLoading;
  const suggestion = goodHours(best.data?.cells ?? null, local ? local.slice(0, 10) : null, slots, timeZone);
  const dayName = weekdayName(suggestion.day, lang);
  const count = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'id-ID');
  return (
    <DatesProvider settings={{ locale: lang, firstDayOfWeek: 1 }}>
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
        {!loading && suggestion.hours.length > 0 && (
          <Stack gap={4} data-testid={`${testId}-good-hours`} data-source={suggestion.source}>
            <Text size="xs" c="dark.6" id={`${testId}-good-hours-label`}>
              {t(`composer.schedule.goodHours.${suggestion.source}`, { day: dayName })}
            </Text>
            <Group gap={6} align="center" role="group" aria-labelledby={`${testId}-good-hours-label`}>
              {suggestion.hours.map(({ slot, posts }) => (
                <Button
                  key={slot}
                  size="compact-sm"
                  mih={44}
                  variant="default"
                  disabled={disabled}
                  onClick={() => onChange(goodHourAt(suggestion, slot, timeZone))}
                  data-testid={`${testId}-slot-${slot.replace(':', '')}`}
                >
                  {posts === null
                    ? slotLabel(slot)
                    : t('composer.schedule.goodHours.cell', {
                        day: dayName,
                        time: slotLabel(slot),
                        posts: count.format(posts),
                      })}
                </Button>
              ))}
            </Group>
          </Stack>
        )}
      </Stack>
    </DatesProvider>
  );
}
