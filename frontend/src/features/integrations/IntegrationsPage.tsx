import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Paper,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import { usePermissions } from '../../app/permissions';
import { useUnits } from '../../app/useSession';
import { QueryState } from '../../components/QueryState';
import { errorMessage } from '../../lib/errorMessage';
import { formatDateTime } from '../../lib/time';
import {
  EVENTS,
  SCOPES,
  type Scope,
  type Submission,
  type WebhookEvent,
  useApiKeys,
  useCreateApiKey,
  useCreateWebhook,
  useDeliveries,
  useRevokeApiKey,
  useSubmissionAction,
  useSubmissions,
  useSubmit,
  useWebhookAction,
  useWebhooks,
} from './queries';

// Touch targets: at least 44 px on a phone.
const TOUCH = { root: { minHeight: 44 } };

interface Query<T> {
  data: T | undefined;
  isLoading: boolean;
  error: unknown;
  refetch: () => unknown;
}

function Loaded<T>({ query, children }: { query: Query<T>; children: (data: T) => React.ReactNode }) {
  return (
    <QueryState isLoading={query.isLoading} error={query.error} onRetry={() => void query.refetch()}>
      {query.data !== undefined && children(query.data)}
    </QueryState>
  );
}

function useFail() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>, field?: string): Promise<boolean> => {
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(isApiError(e) && field && e.fields[field] ? e.fields[field] : errorMessage(t, e));
      return false;
    }
  };
  return { error, run };
}

function SubmissionForm({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const submit = useSubmit();
  const { error, run } = useFail();
  const empty = { title: '', activity_date: '', place: '', description: '', contact_name: '', data_source: '' };
  const [form, setForm] = useState(empty);
  const [sent, setSent] = useState(false);
  const set = (name: keyof typeof empty) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    setForm({ ...form, [name]: e.currentTarget.value });
  const send = async () => {
    setSent(false);
    const ok = await run(() =>
      submit.mutateAsync({ ...form, unit_id: unitId, data_source: form.data_source || null }),
    );
    if (ok) {
      setForm(empty);
      setSent(true);
    }
  };
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3}>{t('integrations.submit.title')}</Title>
        <TextInput label={t('integrations.submit.activity')} value={form.title} onChange={set('title')} required />
        <TextInput
          type="date"
          label={t('integrations.submit.date')}
          value={form.activity_date}
          onChange={set('activity_date')}
          required
        />
        <TextInput label={t('integrations.submit.place')} value={form.place} onChange={set('place')} required />
        <Textarea
          label={t('integrations.submit.description')}
          value={form.description}
          onChange={set('description')}
          autosize
          minRows={3}
          required
        />
        <TextInput label={t('integrations.submit.contact')} value={form.contact_name} onChange={set('contact_name')} required />
        <TextInput label={t('integrations.submit.dataSource')} value={form.data_source} onChange={set('data_source')} />
        {error && <Alert color="red">{error}</Alert>}
        {sent && <Alert color="teal">{t('integrations.submit.sent')}</Alert>}
        <Group>
          <Button styles={TOUCH} onClick={() => void send()} loading={submit.isPending} data-testid="submission-send">
            {t('integrations.submit.send')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function SubmissionQueue({ unitId, canWork, timeZone }: { unitId: number; canWork: boolean; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const list = useSubmissions(unitId);
  const act = useSubmissionAction();
  const { error, run } = useFail();
  const [reason, setReason] = useState('');
  const row = (s: Submission) => (
    <Table.Tr key={s.id}>
      <Table.Td>{s.title}</Table.Td>
      <Table.Td>{formatDateTime(s.created_at, timeZone, i18n.language)}</Table.Td>
      <Table.Td>
        <Badge variant="light">{t(`integrations.status.${s.status}`)}</Badge>
        {s.decline_reason && <Text size="sm">{s.decline_reason}</Text>}
      </Table.Td>
      <Table.Td>
        {canWork && (s.status === 'new' || s.status === 'in_progress') && (
          <Group gap="xs">
            {s.post_id === null && (
              <Button styles={TOUCH} size="sm" onClick={() => void run(() => act.mutateAsync({ id: s.id, action: 'draft' }))}>
                {t('integrations.queue.draft')}
              </Button>
            )}
            <Button
              styles={TOUCH}
              size="sm"
              color="red"
              variant="light"
              disabled={!reason.trim()}
              onClick={() => void run(() => act.mutateAsync({ id: s.id, action: 'decline', reason }), 'reason')}
            >
              {t('integrations.queue.decline')}
            </Button>
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3}>{t('integrations.queue.title')}</Title>
        {canWork && (
          <TextInput
            label={t('integrations.queue.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
        )}
        {error && <Alert color="red">{error}</Alert>}
        <Loaded query={list}>
          {(data) =>
            data.items.length === 0 ? (
              <Text c="dimmed">{t('integrations.queue.empty')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={520}>
                <Table>
                  <Table.Tbody>{data.items.map(row)}</Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )
          }
        </Loaded>
      </Stack>
    </Paper>
  );
}

function ApiKeys({ unitId, timeZone }: { unitId: number; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const keys = useApiKeys(unitId, true);
  const create = useCreateApiKey(unitId);
  const revoke = useRevokeApiKey(unitId);
  const { error, run } = useFail();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['calendar:read']);
  const [shown, setShown] = useState<string | null>(null);
  const make = () =>
    run(async () => {
      const made = await create.mutateAsync({ name, scopes: scopes as Scope[] });
      setShown(made.key);
      setName('');
    }, 'name');
  return (
    <Stack>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <TextInput label={t('integrations.keys.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Checkbox.Group label={t('integrations.keys.scopes')} value={scopes} onChange={setScopes}>
            <Stack gap={4} mt={4}>
              {SCOPES.map((s) => (
                <Checkbox key={s} value={s} label={s} />
              ))}
            </Stack>
          </Checkbox.Group>
          {error && <Alert color="red">{error}</Alert>}
          {shown && (
            <Alert color="teal" title={t('integrations.keys.shownOnce')}>
              <Code data-testid="api-key-shown">{shown}</Code>
            </Alert>
          )}
          <Group>
            <Button styles={TOUCH} onClick={() => void make()} disabled={!name.trim() || scopes.length === 0}>
              {t('integrations.keys.create')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      <Loaded query={keys}>
        {(data) => (
          <Table.ScrollContainer minWidth={600}>
            <Table>
              <Table.Tbody>
                {data.items.map((k) => (
                  <Table.Tr key={k.id}>
                    <Table.Td>
                      {k.name} <Code>gk_{k.prefix}…</Code>
                    </Table.Td>
                    <Table.Td>{k.scopes.join(', ')}</Table.Td>
                    <Table.Td>
                      {k.last_used_at
                        ? t('integrations.keys.lastUsed', {
                            at: formatDateTime(k.last_used_at, timeZone, i18n.language),
                            ip: k.last_used_ip ?? '—',
                          })
                        : t('integrations.keys.neverUsed')}
                    </Table.Td>
                    <Table.Td>
                      {k.revoked_at ? (
                        <Badge color="gray">{t('integrations.keys.revoked')}</Badge>
                      ) : (
                        <Button styles={TOUCH} size="sm" color="red" variant="light" onClick={() => void run(() => revoke.mutateAsync(k.id))}>
                          {t('integrations.keys.revoke')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Loaded>
    </Stack>
  );
}

function Deliveries({ unitId, webhookId, timeZone }: { unitId: number; webhookId: number; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const log = useDeliveries(unitId, webhookId);
  return (
    <Loaded query={log}>
      {(data) => (
        <Table>
          <Table.Tbody>
            {data.items.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{formatDateTime(d.created_at, timeZone, i18n.language)}</Table.Td>
                <Table.Td>{d.event}</Table.Td>
                <Table.Td>{t(`integrations.delivery.${d.status}`)}</Table.Td>
                <Table.Td>
                  {t('integrations.delivery.detail', {
                    code: d.last_status_code ?? '—',
                    ms: (d.last_duration_ms ?? 0).toLocaleString('id-ID'),
                    attempts: d.attempts,
                  })}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Loaded>
  );
}

function Webhooks({ unitId, timeZone }: { unitId: number; timeZone: string }) {
  const { t } = useTranslation();
  const hooks = useWebhooks(unitId, true);
  const create = useCreateWebhook(unitId);
  const act = useWebhookAction(unitId);
  const { error, run } = useFail();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['post.published']);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const make = () =>
    run(async () => {
      const made = await create.mutateAsync({ url, events: events as WebhookEvent[] });
      setSecret(made.secret);
      setUrl('');
    }, 'url');
  return (
    <Stack>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <TextInput label={t('integrations.webhooks.url')} value={url} onChange={(e) => setUrl(e.currentTarget.value)} />
          <Checkbox.Group label={t('integrations.webhooks.events')} value={events} onChange={setEvents}>
            <Stack gap={4} mt={4}>
              {EVENTS.map((e) => (
                <Checkbox key={e} value={e} label={e} />
              ))}
            </Stack>
          </Checkbox.Group>
          {error && <Alert color="red">{error}</Alert>}
          {secret && (
            <Alert color="teal" title={t('integrations.webhooks.secretOnce')}>
              <Code>{secret}</Code>
            </Alert>
          )}
          <Group>
            <Button styles={TOUCH} onClick={() => void make()} disabled={!url.trim() || events.length === 0}>
              {t('integrations.webhooks.create')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      <Loaded query={hooks}>
        {(data) => (
          <Stack>
            {data.items.map((h) => (
              <Paper key={h.id} withBorder p="sm">
                <Stack gap="xs">
                  <Group justify="space-between">
                    <Text style={{ wordBreak: 'break-all' }}>{h.url}</Text>
                    {h.paused_at && <Badge color="orange">{t('integrations.webhooks.paused')}</Badge>}
                  </Group>
                  <Text size="sm">{h.events.join(', ')}</Text>
                  <Group gap="xs">
                    <Button styles={TOUCH} size="sm" variant="light" onClick={() => void run(() => act.mutateAsync({ id: h.id, action: 'test' }))}>
                      {t('integrations.webhooks.test')}
                    </Button>
                    <Button
                      styles={TOUCH}
                      size="sm"
                      variant="light"
                      onClick={() => void run(() => act.mutateAsync({ id: h.id, action: h.paused_at ? 'resume' : 'pause' }))}
                    >
                      {h.paused_at ? t('integrations.webhooks.resume') : t('integrations.webhooks.pause')}
                    </Button>
                    <Button styles={TOUCH} size="sm" variant="subtle" onClick={() => setOpen(open === h.id ? null : h.id)}>
                      {t('integrations.webhooks.log')}
                    </Button>
                  </Group>
                  {open === h.id && <Deliveries unitId={unitId} webhookId={h.id} timeZone={timeZone} />}
                </Stack>
              </Paper>
            ))}
          </Stack>
        )}
      </Loaded>
    </Stack>
  );
}

export function IntegrationsPage() {
  const { t } = useTranslation();
  const { unit } = useUnits();
  const can = usePermissions();
  if (!unit) return null;
  // From the permissions /me lists: admins manage keys and hooks, reviewers work the queue.
  const isAdmin = can('manage_unit');
  const canWork = can('approve');
  const canSubmit = can('write_posts');
  return (
    <Stack>
      <Title order={2}>{t('integrations.title')}</Title>
      <Tabs defaultValue="submissions" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="submissions" style={{ minHeight: 44 }}>
            {t('integrations.tabs.submissions')}
          </Tabs.Tab>
          {isAdmin && (
            <Tabs.Tab value="keys" style={{ minHeight: 44 }}>
              {t('integrations.tabs.keys')}
            </Tabs.Tab>
          )}
          {isAdmin && (
            <Tabs.Tab value="webhooks" style={{ minHeight: 44 }}>
              {t('integrations.tabs.webhooks')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="submissions" pt="md">
          <Stack>
            {canSubmit && <SubmissionForm unitId={unit.id} />}
            <SubmissionQueue unitId={unit.id} canWork={canWork} timeZone={unit.timezone} />
          </Stack>
        </Tabs.Panel>
        {isAdmin && (
          <Tabs.Panel value="keys" pt="md">
            <ApiKeys unitId={unit.id} timeZone={unit.timezone} />
          </Tabs.Panel>
        )}
        {isAdmin && (
          <Tabs.Panel value="webhooks" pt="md">
            <Webhooks unitId={unit.id} timeZone={unit.timezone} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
