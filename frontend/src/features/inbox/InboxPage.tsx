import {
  Badge,
  Button,
  Card,
  Group,
  Select,
  SegmentedControl,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { IconAlarm, IconPlus, IconSettings } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan, usePermissions } from '../../app/permissions';
import { useUnits } from '../../app/useSession';
import { useAccounts } from '../accounts/queries';
import { PlatformIcon } from '../../components/Badges';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/time';
import { canConfigureInbox } from './settings/access';
import {
  STATUSES,
  type ConversationStatus,
  type ConversationSummary,
  type InboxFilters,
  useConversations,
  usePracticeQuestion,
  useStats,
  useTopics,
} from './queries';

// Touch targets of at least 44 px on a phone.
const TALL = { input: { minHeight: 44 } } as const;

const STATUS_COLOR: Record<ConversationStatus, string> = {
  new: 'blue',
  assigned: 'violet',
  answered: 'green',
  closed: 'gray',
  spam: 'red',
};

export function StatusBadge({ status }: { status: ConversationStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-testid="inbox-status">
      {t(`inbox.status.${status}`)}
    </Badge>
  );
}

function ConversationCard({ c, topic, timeZone }: { c: ConversationSummary; topic?: string; timeZone: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Link
      to="/inbox/$conversationId"
      params={{ conversationId: String(c.id) }}
      style={{ textDecoration: 'none', color: 'inherit', display: 'block', minHeight: 44 }}
      data-testid="inbox-card"
    >
      <Card withBorder padding="sm">
        <Stack gap={6}>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
              <PlatformIcon platform={c.platform} />
              <Text size="sm" fw={600} truncate>
                {c.author_handle}
              </Text>
            </Group>
            <StatusBadge status={c.status} />
          </Group>
          <Text size="sm" lineClamp={3}>
            {c.excerpt}
          </Text>
          <Group gap="xs" wrap="wrap">
            {topic && (
              <Badge variant="outline" color="indigo" data-testid="inbox-topic">
                {topic}
              </Badge>
            )}
            {c.assignee_name && (
              <Text size="xs" c="gray.7">
                {t('inbox.assignedTo', { name: c.assignee_name })}
              </Text>
            )}
            {c.overdue && (
              <Badge color="red" leftSection={<IconAlarm size={12} />} data-testid="inbox-overdue">
                {t('inbox.overdue')}
              </Badge>
            )}
            {c.request_kind !== 'none' && <Badge color="orange">{t(`inbox.request.${c.request_kind}`)}</Badge>}
          </Group>
          <Text size="xs" c="gray.7">
            {formatDateTime(c.last_message_at, timeZone, i18n.language)}
          </Text>
        </Stack>
      </Card>
    </Link>
  );
}

function Stats({ unitId }: { unitId: number }) {
  const { t, i18n } = useTranslation();
  const stats = useStats(unitId);
  const rows = (stats.data?.by_topic ?? []).filter((f) => f.answered > 0 || f.open > 0);
  if (!rows.length) return null;
  const hours = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: 1 });
  return (
    <Card withBorder padding="sm" data-testid="inbox-stats">
      <Text size="sm" fw={600} mb={4}>
        {t('inbox.stats.title')}
      </Text>
      <Stack gap={2}>
        {rows.map((f) => (
          <Text size="xs" key={f.id ?? 0}>
            {f.name || t('inbox.unrouted')}: {t('inbox.stats.line', {
              answered: f.answered,
              open: f.open,
              hours: f.median_first_response_hours === null ? '–' : hours.format(f.median_first_response_hours),
            })}
          </Text>
        ))}
      </Stack>
    </Card>
  );
}

export function InboxPage() {
  const { t } = useTranslation();
  const { unit, role } = useUnits();
  const [view, setView] = useState<'all' | 'mine'>(role === 'expert' ? 'mine' : 'all');
  const [filters, setFilters] = useState<InboxFilters>({});
  const topics = useTopics(unit?.id);
  const list = useConversations(unit?.id, { ...filters, mine: view === 'mine' });
  const canPractise = useCan('write_posts');
  const canConfigure = canConfigureInbox(usePermissions());
  const accounts = useAccounts(canPractise ? unit?.id : null);
  const sandbox = (accounts.data?.items ?? []).find((a) => a.sandbox);
  const practise = usePracticeQuestion();
  const topicName = new Map((topics.data?.items ?? []).map((tp) => [tp.id, tp.name]));
  const timeZone = unit?.timezone ?? 'Asia/Jakarta';
  const set = (patch: InboxFilters) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <Stack gap="md" data-testid="inbox-page">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('inbox.title')}</Title>
        <Group gap="xs" wrap="wrap">
          {canConfigure && (
            <Button
              component={Link}
              to="/inbox/settings"
              variant="default"
              leftSection={<IconSettings size={16} />}
              mih={44}
              data-testid="inbox-settings-link"
            >
              {t('inboxAdmin.link')}
            </Button>
          )}
          {sandbox && (
            <Button
              variant="light"
              leftSection={<IconPlus size={16} />}
              onClick={() => practise.mutate({ account_id: sandbox.id })}
              loading={practise.isPending}
              data-testid="inbox-practice"
              mih={44}
            >
              {t('inbox.practice')}
            </Button>
          )}
        </Group>
      </Group>
      <SegmentedControl
        value={view}
        onChange={(v) => setView(v as 'all' | 'mine')}
        data={[
          { value: 'all', label: t('inbox.all') },
          { value: 'mine', label: t('inbox.mine') },
        ]}
        data-testid="inbox-view"
        fullWidth
        size="md"
        styles={{ control: { minHeight: 44 } }}
      />
      <Group gap="sm" wrap="wrap" align="flex-end">
        <Select
          styles={TALL}
          label={t('inbox.filters.status')}
          clearable
          data={STATUSES.map((s) => ({ value: s, label: t(`inbox.status.${s}`) }))}
          value={filters.status ?? null}
          onChange={(v) => set({ status: (v as ConversationStatus | null) ?? undefined })}
          w={160}
          data-testid="inbox-filter-status"
        />
        <Select
          styles={TALL}
          label={t('inbox.filters.topic')}
          clearable
          data={(topics.data?.items ?? []).map((tp) => ({ value: String(tp.id), label: tp.name }))}
          value={filters.topic_id ? String(filters.topic_id) : null}
          onChange={(v) => set({ topic_id: v ? Number(v) : undefined })}
          w={200}
          data-testid="inbox-filter-topic"
        />
        <Select
          styles={TALL}
          label={t('inbox.filters.platform')}
          clearable
          data={[
            { value: 'x', label: 'X' },
            { value: 'instagram', label: 'Instagram' },
            { value: 'facebook', label: 'Facebook' },
          ]}
          value={filters.platform ?? null}
          onChange={(v) => set({ platform: (v as InboxFilters['platform'] | null) ?? undefined })}
          w={150}
        />
        <Switch
          label={t('inbox.filters.overdue')}
          checked={Boolean(filters.overdue)}
          onChange={(e) => set({ overdue: e.currentTarget.checked })}
          size="md"
          mih={44}
          styles={{ body: { alignItems: 'center', minHeight: 44 } }}
        />
      </Group>
      {unit && <Stats unitId={unit.id} />}
      <QueryState isLoading={list.isLoading} error={list.error} onRetry={() => void list.refetch()}>
        {list.data?.items.length ? (
          <Stack gap="sm" data-testid="inbox-list">
            {list.data.items.map((c) => (
              <ConversationCard
                key={c.id}
                c={c}
                topic={c.topic_id ? topicName.get(c.topic_id) : undefined}
                timeZone={timeZone}
              />
            ))}
          </Stack>
        ) : (
          <Text c="gray.7" data-testid="inbox-empty">
            {view === 'mine' ? t('inbox.emptyMine') : t('inbox.empty')}
          </Text>
        )}
      </QueryState>
    </Stack>
  );
}
