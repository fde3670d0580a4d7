import { useState } from 'react';
import {
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import type { components } from '../../api/schema';
import { useCan } from '../../app/permissions';
import { useMe, useUnits } from '../../app/useSession';
import { QueryState } from '../../components/QueryState';
import { errorMessage, fieldMessage, fieldMessages } from '../../lib/errorMessage';
import { formatDateTime, zoneLabel, zonedLocalToUtcIso } from '../../lib/time';
import {
  BLACKOUT_KINDS,
  type Blackout,
  type BlackoutInput,
  type BlackoutKind,
  useAddAgencyBlackout,
  useAddUnitBlackout,
  useAgencyHolds,
  useHoldStatus,
  usePauseAgency,
  usePauseUnit,
  useRemoveAgencyBlackout,
  useRemoveUnitBlackout,
  useResumeAgency,
  useResumeUnit,
} from './queries';
import { ReasonText } from './ReasonText';

type Pause = components['schemas']['PauseRead'];

interface PauseProps {
  pause: Pause | null;
  timeZone: string;
  canManage: boolean;
  onPause: (reason: string) => Promise<unknown>;
  onResume: () => Promise<unknown>;
  pending: boolean;
  testId: string;
}

function PauseControl({ pause, timeZone, canManage, onPause, onResume, pending, testId }: PauseProps) {
  const { t, i18n } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      setReason('');
    } catch (e) {
      setError(fieldMessage(t, e, 'reason') ?? errorMessage(t, e));
    }
  };
  if (pause) {
    return (
      <Stack gap="xs" data-testid={`${testId}-paused`}>
        <Text size="sm">
          {t('holds.pausedSince', {
            at: formatDateTime(pause.paused_at, timeZone, i18n.language),
            who: pause.paused_by?.name ?? '—',
            reason: pause.reason,
          })}
        </Text>
        {canManage && (
          <Group>
            <Button
              leftSection={<IconPlayerPlay size={16} />}
              color="teal"
              loading={pending}
              onClick={() => void run(onResume)}
              data-testid={`${testId}-resume`}
            >
              {t('holds.resume')}
            </Button>
          </Group>
        )}
        {error && (
          <Text size="sm" c="red" role="alert">
            {error}
          </Text>
        )}
      </Stack>
    );
  }
  if (!canManage) return <Text size="sm">{t('holds.notPaused')}</Text>;
  return (
    <Group align="flex-end" wrap="wrap">
      <TextInput
        label={t('holds.reasonLabel')}
        placeholder={t('holds.reasonPlaceholder')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={error}
        maxLength={500}
        style={{ flex: 1, minWidth: 240 }}
        data-testid={`${testId}-reason`}
      />
      <Button
        leftSection={<IconPlayerPause size={16} />}
        color="orange"
        disabled={!reason.trim()}
        loading={pending}
        onClick={() => void run(() => onPause(reason.trim()))}
        data-testid={`${testId}-pause`}
      >
        {t('holds.pause')}
      </Button>
    </Group>
  );
}

interface ListProps {
  items: Blackout[];
  timeZone: string;
  removable: (b: Blackout) => boolean;
  onRemove: (id: number) => Promise<unknown>;
  testId: string;
}

function BlackoutList({ items, timeZone, removable, onRemove, testId }: ListProps) {
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  if (items.length === 0) return <Text c="dimmed" size="sm">{t('holds.noBlackouts')}</Text>;
  const remove = async (b: Blackout) => {
    if (!window.confirm(t('holds.removeConfirm', { label: b.label }))) return;
    setError(null);
    try {
      await onRemove(b.id);
    } catch (e) {
      setError(errorMessage(t, e));
    }
  };
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={560}>
        <Table data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('holds.label')}</Table.Th>
              <Table.Th>{t('holds.kindLabel')}</Table.Th>
              <Table.Th>{t('holds.starts')}</Table.Th>
              <Table.Th>{t('holds.ends')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((b) => (
              <Table.Tr key={b.id} data-testid="blackout-row">
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm">{b.label}</Text>
                    {b.active && (
                      <Badge color="orange" size="sm">
                        {t('holds.active')}
                      </Badge>
                    )}
                    {b.unit_id === null && (
                      <Badge color="gray" size="sm" variant="outline">
                        {t('holds.agencyWide')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{t(`holds.kind.${b.kind}`)}</Table.Td>
                <Table.Td>{formatDateTime(b.starts_at, timeZone, i18n.language)}</Table.Td>
                <Table.Td>{formatDateTime(b.ends_at, timeZone, i18n.language)}</Table.Td>
                <Table.Td>
                  {removable(b) && (
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      leftSection={<IconTrash size={14} />}
                      onClick={() => void remove(b)}
                      aria-label={t('holds.removeNamed', { label: b.label })}
                    >
                      {t('holds.remove')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

interface FormProps {
  timeZone: string;
  onAdd: (body: BlackoutInput) => Promise<unknown>;
  pending: boolean;
  testId: string;
}

const EMPTY = { kind: 'election_quiet' as BlackoutKind, label: '', starts: '', ends: '' };

function BlackoutForm({ timeZone, onAdd, pending, testId }: FormProps) {
  const { t } = useTranslation();
  const [state, setState] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const zone = zoneLabel(timeZone);

  const submit = async () => {
    const starts_at = zonedLocalToUtcIso(state.starts, timeZone);
    const ends_at = zonedLocalToUtcIso(state.ends, timeZone);
    const found: Record<string, string> = {};
    if (!state.label.trim()) found.label = t('holds.required');
    if (!starts_at) found.starts_at = t('holds.required');
    if (!ends_at) found.ends_at = t('holds.required');
    else if (starts_at && ends_at <= starts_at) found.ends_at = t('holds.endsAfterStart');
    setErrors(found);
    setGeneral(null);
    if (Object.keys(found).length || !starts_at || !ends_at) return;
    try {
      await onAdd({ kind: state.kind, label: state.label.trim(), starts_at, ends_at });
      setState(EMPTY);
    } catch (e) {
      if (isApiError(e) && Object.keys(e.fields).length) setErrors(fieldMessages(t, e));
      else setGeneral(errorMessage(t, e));
    }
  };

  return (
    <Stack gap="sm" data-testid={testId}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Select
          label={t('holds.kindLabel')}
          data={BLACKOUT_KINDS.map((k) => ({ value: k, label: t(`holds.kind.${k}`) }))}
          value={state.kind}
          onChange={(v) => v && setState((s) => ({ ...s, kind: v as BlackoutKind }))}
          allowDeselect={false}
          error={errors.kind}
          data-testid={`${testId}-kind`}
        />
        <TextInput
          label={t('holds.label')}
          placeholder={t('holds.labelPlaceholder')}
          value={state.label}
          onChange={(e) => {
            const label = e.currentTarget.value;
            setState((s) => ({ ...s, label }));
          }}
          error={errors.label}
          maxLength={200}
          data-testid={`${testId}-label`}
        />
        <TextInput
          type="datetime-local"
          label={t('holds.startsIn', { zone })}
          value={state.starts}
          onChange={(e) => {
            const starts = e.currentTarget.value;
            setState((s) => ({ ...s, starts }));
          }}
          error={errors.starts_at}
          data-testid={`${testId}-starts`}
        />
        <TextInput
          type="datetime-local"
          label={t('holds.endsIn', { zone })}
          value={state.ends}
          onChange={(e) => {
            const ends = e.currentTarget.value;
            setState((s) => ({ ...s, ends }));
          }}
          error={errors.ends_at}
          data-testid={`${testId}-ends`}
        />
      </SimpleGrid>
      {state.kind === 'election_quiet' && (
        <Text size="xs" c="dimmed">
          {t('holds.quietHint')}
        </Text>
      )}
      {general && (
        <Text size="sm" c="red" role="alert">
          {general}
        </Text>
      )}
      <Group>
        <Button loading={pending} onClick={() => void submit()} data-testid={`${testId}-submit`}>
          {t('holds.add')}
        </Button>
      </Group>
    </Stack>
  );
}

function AgencySection({ timeZone }: { timeZone: string }) {
  const { t } = useTranslation();
  const agency = useAgencyHolds(true);
  const pause = usePauseAgency();
  const resume = useResumeAgency();
  const add = useAddAgencyBlackout();
  const remove = useRemoveAgencyBlackout();
  return (
    <Paper withBorder p="md" radius="md" data-testid="agency-holds">
      <Stack gap="md">
        <div>
          <Title order={3} size="h4">
            {t('holds.agencyTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('holds.agencyHint')}
          </Text>
        </div>
        <QueryState isLoading={agency.isLoading} error={agency.error} onRetry={() => void agency.refetch()}>
          <PauseControl
            pause={agency.data?.pause ?? null}
            timeZone={timeZone}
            canManage
            onPause={(reason) => pause.mutateAsync(reason)}
            onResume={() => resume.mutateAsync()}
            pending={pause.isPending || resume.isPending}
            testId="agency-pause"
          />
          <BlackoutList
            items={agency.data?.blackouts ?? []}
            timeZone={timeZone}
            removable={() => true}
            onRemove={(id) => remove.mutateAsync(id)}
            testId="agency-blackouts"
          />
          <BlackoutForm
            timeZone={timeZone}
            onAdd={(body) => add.mutateAsync(body)}
            pending={add.isPending}
            testId="agency-blackout-form"
          />
        </QueryState>
      </Stack>
    </Paper>
  );
}

/** "Jeda & masa tenang": pause the unit, and plan blackout periods in the unit's zone. */
export function HoldsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { unit } = useUnits();
  const unitId = unit?.id ?? 0;
  const timeZone = unit?.timezone ?? 'Asia/Jakarta';
  const status = useHoldStatus(unit?.id);
  const pause = usePauseUnit(unitId);
  const resume = useResumeUnit(unitId);
  const add = useAddUnitBlackout(unitId);
  const remove = useRemoveUnitBlackout(unitId);
  // Pausing and quiet periods are for those who manage the unit's posts.
  const canManage = useCan('manage_posts');
  const data = status.data;

  return (
    <Stack gap="md">
      <div>
        <Title order={2}>{t('holds.title')}</Title>
        {unit && (
          <Text c="dimmed" size="sm">
            {t('holds.subtitle', { unit: unit.name })}
          </Text>
        )}
      </div>
      <QueryState isLoading={status.isLoading} error={status.error} onRetry={() => void status.refetch()}>
        {data && (
          <>
            <Paper withBorder p="md" radius="md" data-testid="hold-state">
              <Stack gap="xs">
                <Group gap="xs">
                  <Badge color={data.held ? 'orange' : 'teal'} size="lg">
                    {data.held ? t('holds.held') : t('holds.running')}
                  </Badge>
                  {data.quiet_period && <Badge color="grape">{t('holds.kind.election_quiet')}</Badge>}
                </Group>
                {data.reasons.map((reason, i) => (
                  <Text size="sm" key={i}>
                    <ReasonText reason={reason} timeZone={timeZone} />
                  </Text>
                ))}
                {data.held && <Text size="sm">{t('holds.banner.waiting', { count: data.waiting })}</Text>}
                <Text size="xs" c="dimmed">
                  {t('holds.explain')}
                </Text>
              </Stack>
            </Paper>

            <Paper withBorder p="md" radius="md">
              <Stack gap="sm">
                <Title order={3} size="h4">
                  {t('holds.pauseTitle')}
                </Title>
                <PauseControl
                  pause={data.pause}
                  timeZone={timeZone}
                  canManage={canManage}
                  onPause={(reason) => pause.mutateAsync(reason)}
                  onResume={() => resume.mutateAsync()}
                  pending={pause.isPending || resume.isPending}
                  testId="unit-pause"
                />
              </Stack>
            </Paper>

            <Paper withBorder p="md" radius="md">
              <Stack gap="sm">
                <Title order={3} size="h4">
                  {t('holds.blackoutsTitle')}
                </Title>
                <BlackoutList
                  items={data.blackouts}
                  timeZone={timeZone}
                  removable={(b) => canManage && b.unit_id !== null}
                  onRemove={(id) => remove.mutateAsync(id)}
                  testId="unit-blackouts"
                />
                {canManage && (
                  <BlackoutForm
                    timeZone={timeZone}
                    onAdd={(body) => add.mutateAsync(body)}
                    pending={add.isPending}
                    testId="blackout-form"
                  />
                )}
              </Stack>
            </Paper>
          </>
        )}
      </QueryState>
      {me.data?.is_superuser && <AgencySection timeZone={timeZone} />}
    </Stack>
  );
}
