import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, SegmentedControl, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useUnits } from '../../../app/useSession';
import { QueryState } from '../../../components/QueryState';
import { errorMessage, fieldMessages } from '../../../lib/errorMessage';
import { formatDateTime } from '../../../lib/time';
import { privacyDeadline, privacyState } from './privacy';
import { type PrivacyInput, usePrivacyLog, useRecordPrivacy } from './queries';

const TALL = { input: { minHeight: 44 } } as const;
const STATE_COLOR = { done: 'green', late: 'orange', open: 'blue', overdue: 'red' } as const;

export function PrivacyPanel({ unitId }: { unitId: number }) {
  const { t, i18n } = useTranslation();
  const { unit } = useUnits();
  const timeZone = unit?.timezone ?? 'Asia/Jakarta';
  const log = usePrivacyLog(unitId);
  const record = useRecordPrivacy(unitId);
  const [platform, setPlatform] = useState<PrivacyInput['platform'] | null>(null);
  const [handle, setHandle] = useState('');
  const [action, setAction] = useState<PrivacyInput['action']>('delete');
  const [done, setDone] = useState<number | null>(null);
  const fields = fieldMessages(t, record.error);
  const count = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'id-ID');
  const submit = async () => {
    if (!platform) return;
    if (action === 'delete' && !window.confirm(t('inboxAdmin.privacy.deleteConfirm', { handle }))) return;
    setDone(null);
    try {
      const row = await record.mutateAsync({ platform, author_handle: handle.trim(), action });
      setDone(row.affected);
      setHandle('');
    } catch {
      // shown below
    }
  };
  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        {t('inboxAdmin.privacy.title')}
      </Title>
      <Alert color="blue" icon={<IconShieldLock size={18} />} data-testid="privacy-rule">
        <Text size="sm">{t('inboxAdmin.privacy.rule')}</Text>
      </Alert>
      <Card withBorder padding="sm">
        <Stack gap="sm">
          <Select
            styles={TALL}
            label={t('inboxAdmin.privacy.platform')}
            data={[
              { value: 'x', label: 'X' },
              { value: 'instagram', label: 'Instagram' },
              { value: 'facebook', label: 'Facebook' },
            ]}
            value={platform}
            onChange={(v) => setPlatform(v as PrivacyInput['platform'] | null)}
            required
            error={fields.platform}
            data-testid="privacy-platform"
          />
          <TextInput
            styles={TALL}
            label={t('inboxAdmin.privacy.handle')}
            description={t('inboxAdmin.privacy.handleHelp')}
            value={handle}
            onChange={(e) => setHandle(e.currentTarget.value)}
            maxLength={200}
            required
            error={fields.author_handle}
            data-testid="privacy-handle"
          />
          <SegmentedControl
            value={action}
            onChange={(v) => setAction(v as PrivacyInput['action'])}
            data={[
              { value: 'delete', label: t('inboxAdmin.privacy.delete') },
              { value: 'restrict', label: t('inboxAdmin.privacy.restrict') },
            ]}
            fullWidth
            styles={{ control: { minHeight: 44 } }}
            aria-label={t('inboxAdmin.privacy.action')}
            data-testid="privacy-action"
          />
          <Text size="xs" c="gray.7">
            {t(`inboxAdmin.privacy.${action}Help`)}
          </Text>
          {record.error && !Object.keys(fields).length && (
            <Text size="sm" c="red" role="alert">
              {errorMessage(t, record.error)}
            </Text>
          )}
          <Group>
            <Button
              color={action === 'delete' ? 'red' : undefined}
              onClick={() => void submit()}
              disabled={!platform || !handle.trim()}
              loading={record.isPending}
              mih={44}
              data-testid="privacy-submit"
            >
              {t('inboxAdmin.privacy.submit')}
            </Button>
            {done !== null && (
              <Text size="sm" c="green.9" role="status" data-testid="privacy-done">
                {t('inboxAdmin.privacy.done', { count: done, formatted: count.format(done) })}
              </Text>
            )}
          </Group>
        </Stack>
      </Card>
      <Title order={3} size="h4">
        {t('inboxAdmin.privacy.log')}
      </Title>
      <QueryState isLoading={log.isLoading} error={log.error} onRetry={() => void log.refetch()}>
        <Stack gap="sm" data-testid="privacy-log">
          {(log.data?.items ?? []).map((r) => {
            const state = privacyState(r.requested_at, r.done_at, new Date());
            return (
              <Card key={r.id} withBorder padding="sm" data-testid="privacy-entry">
                <Stack gap={4}>
                  <Group justify="space-between" wrap="wrap" gap="xs">
                    <Text fw={600}>{t(`inboxAdmin.privacy.${r.action === 'delete' ? 'delete' : 'restrict'}`)}</Text>
                    <Badge color={STATE_COLOR[state]} variant="light" tt="none">
                      {t(`inboxAdmin.privacy.state.${state}`)}
                    </Badge>
                  </Group>
                  <Text size="sm">
                    {t('inboxAdmin.privacy.requestedAt', { at: formatDateTime(r.requested_at, timeZone, i18n.language) })}
                  </Text>
                  <Text size="sm">
                    {r.done_at
                      ? t('inboxAdmin.privacy.doneAt', { at: formatDateTime(r.done_at, timeZone, i18n.language) })
                      : t('inboxAdmin.privacy.dueAt', {
                          at: formatDateTime(privacyDeadline(r.requested_at).toISOString(), timeZone, i18n.language),
                        })}
                  </Text>
                  <Text size="sm" data-testid="privacy-affected">
                    {t('inboxAdmin.privacy.affected', { count: r.affected, formatted: count.format(r.affected) })}
                  </Text>
                </Stack>
              </Card>
            );
          })}
          {log.data?.items.length === 0 && <Text c="gray.7">{t('inboxAdmin.privacy.empty')}</Text>}
        </Stack>
      </QueryState>
    </Stack>
  );
}
