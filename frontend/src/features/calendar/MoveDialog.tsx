import { useState } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/time';
import { SchedulePicker } from '../composer/SchedulePicker';
import { moveProblem } from './model';
import type { CalendarEntry } from './types';

interface Props {
  entry: CalendarEntry | null;
  timeZone: string;
  defaultSlots: string[];
  onClose: () => void;
  onMove: (entry: CalendarEntry, at: string) => void;
}

/**
 * The "Pindahkan" action: the same move as a drag, for a phone's list view (where nothing can
 * be dragged) and for a keyboard. A date and time in the unit's zone, 24 h.
 */
export function MoveDialog({ entry, timeZone, defaultSlots, onClose, onMove }: Props) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={entry !== null}
      onClose={onClose}
      title={t('calendar.move.title')}
      closeButtonProps={{ 'aria-label': t('calendar.move.cancel') }}
      data-testid="move-dialog"
    >
      {/* Keyed by the entry so each opening starts from that entry's own time. */}
      {entry && <MoveForm key={entry.variant_id} entry={entry} timeZone={timeZone} defaultSlots={defaultSlots} onClose={onClose} onMove={onMove} />}
    </Modal>
  );
}

function MoveForm({ entry, timeZone, defaultSlots, onClose, onMove }: Props & { entry: CalendarEntry }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'id';
  const [at, setAt] = useState<string | null>(entry.at);
  const [tried, setTried] = useState(false);
  const problem = moveProblem(entry.at, at);
  return (
    <Stack gap="sm">
      <Text size="sm">
        <strong>{entry.title || entry.excerpt}</strong> · {entry.account_name}
      </Text>
      <Text size="sm" c="dark.6">
        {t('calendar.move.now', { when: formatDateTime(entry.at, timeZone, lang) })}
      </Text>
      <SchedulePicker
        label={t('calendar.move.at')}
        value={at}
        onChange={setAt}
        timeZone={timeZone}
        slots={defaultSlots}
        error={tried && problem ? t(`calendar.move.problem.${problem}`) : undefined}
        testId="move-at"
      />
      <Group justify="flex-end" gap="xs">
        <Button variant="default" mih={44} onClick={onClose}>
          {t('calendar.move.cancel')}
        </Button>
        <Button
          mih={44}
          onClick={() => {
            setTried(true);
            if (problem === null && at !== null) onMove(entry, at);
          }}
          data-testid="move-confirm"
        >
          {t('calendar.move.confirm')}
        </Button>
      </Group>
    </Stack>
  );
}
