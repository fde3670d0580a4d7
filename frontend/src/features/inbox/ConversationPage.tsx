import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUnits } from '../../app/useSession';
import { PlatformLabel } from '../../components/Badges';
import { QueryState } from '../../components/QueryState';
import { isApiError } from '../../api/errors';
import { errorMessage } from '../../lib/errorMessage';
import { formatDateTime } from '../../lib/time';
import { StatusBadge } from './InboxPage';
import {
  type Conversation,
  useAnswer,
  useApprove,
  useAssign,
  useConversation,
  useMarkRequest,
  useMembers,
  useSavedAnswers,
  useSetStatus,
  useTopics,
} from './queries';

// Touch targets of at least 44 px on a phone.
const TALL = { input: { minHeight: 44 } } as const;

const TOUCH = { mih: 44 } as const;

export function ReplyBox({ c, unitId }: { c: Conversation; unitId: number }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [outside, setOutside] = useState(false);
  const saved = useSavedAnswers(unitId, c.topic_id);
  const answer = useAnswer(c.id);
  return (
    <Card withBorder padding="sm" data-testid="inbox-reply">
      <Stack gap="xs">
        <Select
          styles={TALL}
          label={t('inbox.savedAnswers')}
          placeholder={t('inbox.savedPick')}
          data={(saved.data?.items ?? []).map((s) => ({ value: String(s.id), label: s.title }))}
          onChange={(v) => {
            const found = saved.data?.items.find((s) => String(s.id) === v);
            if (found) setText(found.text);
          }}
          value={null}
          data-testid="inbox-saved"
        />
        <Textarea
          label={t('inbox.answer')}
          autosize
          minRows={3}
          maxLength={2000}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          data-testid="inbox-answer-text"
        />
        <Checkbox
          label={t('inbox.outside')}
          checked={outside}
          onChange={(e) => setOutside(e.currentTarget.checked)}
          styles={{ body: { alignItems: 'center', minHeight: 44 } }}
          data-testid="inbox-outside"
        />
        {answer.error && (
          <Alert color="red" role="alert" data-testid="inbox-answer-error">
            {isApiError(answer.error) && answer.error.code === 'reply_not_summoned'
              ? t('inbox.notSummoned')
              : errorMessage(t, answer.error)}
          </Alert>
        )}
        <Button
          {...TOUCH}
          disabled={!text.trim()}
          loading={answer.isPending}
          onClick={() => answer.mutate({ text: text.trim(), outside }, { onSuccess: () => setText('') })}
          data-testid="inbox-answer-send"
        >
          {outside ? t('inbox.markAnswered') : t('inbox.send')}
        </Button>
      </Stack>
    </Card>
  );
}

function Manage({ c, unitId }: { c: Conversation; unitId: number }) {
  const { t } = useTranslation();
  const topics = useTopics(unitId);
  const members = useMembers(unitId);
  const assign = useAssign(c.id);
  const status = useSetStatus(c.id);
  const request = useMarkRequest(c.id);
  return (
    <Card withBorder padding="sm" data-testid="inbox-manage">
      <Stack gap="xs">
        <Select
          styles={TALL}
          label={t('inbox.topic')}
          data={(topics.data?.items ?? []).map((tp) => ({ value: String(tp.id), label: tp.name }))}
          value={c.topic_id ? String(c.topic_id) : null}
          onChange={(v) => v && assign.mutate({ topic_id: Number(v) })}
          data-testid="inbox-assign-topic"
        />
        <Select
          styles={TALL}
          label={t('inbox.assignee')}
          data={(members.data?.items ?? []).map((m) => ({ value: String(m.user_id), label: m.name }))}
          value={c.assignee_id ? String(c.assignee_id) : null}
          onChange={(v) => v && assign.mutate({ assignee_id: Number(v) })}
          searchable
          data-testid="inbox-assign-user"
        />
        <Select
          styles={TALL}
          label={t('inbox.requestKind')}
          data={(['none', 'information', 'complaint'] as const).map((k) => ({
            value: k,
            label: t(`inbox.request.${k}`),
          }))}
          value={c.request_kind}
          onChange={(v) => v && request.mutate(v as 'none' | 'information' | 'complaint')}
        />
        <Group gap="xs" wrap="wrap">
          {c.status !== 'closed' && (
            <Button {...TOUCH} variant="default" onClick={() => status.mutate('closed')}>
              {t('inbox.close')}
            </Button>
          )}
          {c.status !== 'spam' && (
            <Button {...TOUCH} variant="default" color="red" onClick={() => status.mutate('spam')}>
              {t('inbox.spam')}
            </Button>
          )}
          {(c.status === 'closed' || c.status === 'spam' || c.status === 'answered') && (
            <Button {...TOUCH} variant="default" onClick={() => status.mutate('new')}>
              {t('inbox.reopen')}
            </Button>
          )}
        </Group>
        {(assign.error || status.error || request.error) && (
          <Alert color="red" role="alert">
            {errorMessage(t, assign.error ?? status.error ?? request.error)}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

function Detail({ c }: { c: Conversation }) {
  const { t, i18n } = useTranslation();
  const { unit } = useUnits();
  const approve = useApprove();
  const timeZone = unit?.timezone ?? 'Asia/Jakarta';
  const when = (iso: string | null | undefined) => formatDateTime(iso, timeZone, i18n.language);
  const pending = c.answers.filter((a) => a.status === 'pending');
  return (
    <Stack gap="md" data-testid="inbox-conversation">
      <Group justify="space-between" wrap="wrap">
        <PlatformLabel platform={c.platform} />
        <StatusBadge status={c.status} />
      </Group>
      {(c.post.text || c.post.title) && (
        <Paper withBorder p="sm" bg="gray.0" data-testid="inbox-post">
          <Text size="xs" c="gray.7" mb={4}>
            {t('inbox.originalPost')}
          </Text>
          {c.post.title && (
            <Text size="sm" fw={600}>
              {c.post.title}
            </Text>
          )}
          {c.post.text && (
            <Text size="sm" lineClamp={4}>
              {c.post.text}
            </Text>
          )}
        </Paper>
      )}
      <Stack gap="xs" data-testid="inbox-messages">
        {c.messages.map((m) => (
          <Paper
            key={m.id}
            p="sm"
            withBorder
            bg={m.from_account ? 'blue.0' : undefined}
            ml={m.from_account ? 'lg' : 0}
            data-testid={m.from_account ? 'inbox-message-own' : 'inbox-message'}
          >
            <Text size="xs" c="gray.7">
              {m.from_account ? t('inbox.us') : m.author_name || m.author_handle} · {when(m.sent_at)}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {m.text}
            </Text>
          </Paper>
        ))}
      </Stack>
      {c.suggestions.length > 0 && (
        <Text size="xs" c="gray.7" data-testid="inbox-why">
          {t('inbox.why', {
            topic: c.suggestions[0].name,
            words: c.suggestions[0].matched.join(', '),
          })}
        </Text>
      )}
      <Group gap="xs" wrap="wrap">
        {c.assignee_name && <Badge variant="light">{t('inbox.assignedTo', { name: c.assignee_name })}</Badge>}
        {c.due_at && (
          <Badge variant="light" color={c.overdue ? 'red' : 'gray'}>
            {t('inbox.dueAt', { when: when(c.due_at) })}
          </Badge>
        )}
        {c.kip_due_at && (
          <Badge variant="light" color="orange">
            {t('inbox.kipDue', { when: when(c.kip_due_at) })}
          </Badge>
        )}
        {c.lapor_reference && (
          <Badge variant="light" color="orange">
            SP4N-LAPOR! {c.lapor_reference} · {c.lapor_status}
          </Badge>
        )}
      </Group>
      {c.answers.some((a) => a.status === 'failed') && (
        <Alert color="orange" data-testid="inbox-failed">
          {c.answers.filter((a) => a.status === 'failed').at(-1)?.error}
        </Alert>
      )}
      {c.can_manage &&
        pending.map((a) => (
          <Card key={a.id} withBorder padding="sm" data-testid="inbox-pending">
            <Text size="xs" c="gray.7">
              {t('inbox.pending')}
            </Text>
            <Text size="sm" mb="xs">
              {a.text}
            </Text>
            <Button {...TOUCH} onClick={() => approve.mutate(a.id)} loading={approve.isPending}>
              {t('inbox.approve')}
            </Button>
          </Card>
        ))}
      {!c.can_manage && pending.length > 0 && (
        <Alert color="blue" data-testid="inbox-waiting">
          {t('inbox.waitingApproval')}
        </Alert>
      )}
      {c.restricted && <Alert color="gray">{t('inbox.restricted')}</Alert>}
      {c.can_answer && unit && !c.restricted && c.status !== 'spam' && <ReplyBox c={c} unitId={unit.id} />}
      {c.can_manage && unit && <Manage c={c} unitId={unit.id} />}
    </Stack>
  );
}

export function ConversationPage({ conversationId }: { conversationId: number }) {
  const { t } = useTranslation();
  const query = useConversation(conversationId);
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/inbox" size="sm" mih={44} style={{ display: 'flex', alignItems: 'center' }}>
        <IconArrowLeft size={16} /> {t('inbox.back')}
      </Anchor>
      <Title order={2}>{t('inbox.conversation')}</Title>
      <QueryState isLoading={query.isLoading} error={query.error} onRetry={() => void query.refetch()}>
        {query.data && <Detail c={query.data} />}
      </QueryState>
    </Stack>
  );
}

/** The route's screen: the id comes from the path. */
export function ConversationRoute() {
  const { t } = useTranslation();
  const params: { conversationId?: string } = useParams({ strict: false });
  const id = Number(params.conversationId);
  if (!Number.isInteger(id) || id <= 0) return <Text>{t('app.notFound')}</Text>;
  return <ConversationPage key={id} conversationId={id} />;
}
