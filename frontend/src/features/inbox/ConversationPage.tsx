import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
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
import { kipClock, laporProblem, laporStatusOptions, reasonProblem, requestKindFor, showSuggestion } from './cases';
import {
  type Conversation,
  useAnswer,
  useApprove,
  useAssign,
  useConversation,
  useExtendRequest,
  useMarkRequest,
  useMembers,
  useSavedAnswers,
  useSetLapor,
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

// Accents as borders: the text on them stays the default colour, well above 4.5:1.
const ACCENT = {
  ok: 'var(--mantine-color-gray-4)',
  soon: 'var(--mantine-color-orange-6)',
  overdue: 'var(--mantine-color-red-7)',
} as const;

/** The classifier's suggestion and the words that made it; a person marks it. */
export function KindSuggestion({ c }: { c: Conversation }) {
  const { t } = useTranslation();
  const request = useMarkRequest(c.id);
  if (!showSuggestion(c) || !c.suggested_kind) return null;
  const kind = c.suggested_kind;
  return (
    <Card
      withBorder
      padding="sm"
      style={{ borderLeft: `4px solid ${ACCENT.soon}` }}
      data-testid="inbox-kind-suggestion"
      data-kind={kind}
    >
      <Stack gap="xs">
        <Text fw={600} size="sm">
          {t(`inbox.case.suggested.${kind}`)}
        </Text>
        <Group gap={6} wrap="wrap">
          <Text size="xs" c="gray.7">
            {t('inbox.case.because')}
          </Text>
          {c.suggested_kind_words.map((w) => (
            <Badge key={w} variant="outline" color="dark" tt="none" data-testid="inbox-kind-word">
              {w}
            </Badge>
          ))}
        </Group>
        {c.can_manage ? (
          <Button
            {...TOUCH}
            h="auto"
            py={8}
            variant="light"
            styles={{ label: { whiteSpace: 'normal', textAlign: 'center' } }}
            loading={request.isPending}
            onClick={() => request.mutate(requestKindFor(kind))}
            data-testid="inbox-kind-accept"
          >
            {t(`inbox.case.mark.${kind}`)}
          </Button>
        ) : (
          <Text size="xs" c="gray.7">
            {t('inbox.case.askManager')}
          </Text>
        )}
        {request.error && (
          <Alert color="red" role="alert">
            {errorMessage(t, request.error)}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

function ExtendDialog({ c, opened, onClose }: { c: Conversation; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const extend = useExtendRequest(c.id);
  const problem = reasonProblem(reason);
  const close = () => {
    setReason('');
    setTouched(false);
    extend.reset();
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('inbox.case.extendTitle')}
      centered
      closeButtonProps={{ 'aria-label': t('inbox.case.cancel'), size: 44 }}
    >
      <Stack gap="sm">
        <Text size="sm">{t('inbox.case.extendHelp')}</Text>
        <Textarea
          label={t('inbox.case.reason')}
          required
          autosize
          minRows={3}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          onBlur={() => setTouched(true)}
          error={touched && problem ? t(`inbox.case.reasonProblem.${problem}`) : undefined}
          data-testid="inbox-kip-reason"
        />
        {extend.error && (
          <Alert color="red" role="alert">
            {errorMessage(t, extend.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button {...TOUCH} variant="default" onClick={close}>
            {t('inbox.case.cancel')}
          </Button>
          <Button
            {...TOUCH}
            disabled={problem !== null}
            loading={extend.isPending}
            onClick={() => extend.mutate(reason.trim(), { onSuccess: close })}
            data-testid="inbox-kip-extend-send"
          >
            {t('inbox.case.extendSend')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The UU KIP clock: the deadline, working days left (or overdue) and the one extension. */
export function KipClockCard({ c, when }: { c: Conversation; when: (iso: string | null | undefined) => string }) {
  const { t } = useTranslation();
  const [extending, setExtending] = useState(false);
  const clock = kipClock(c);
  if (!clock) return null;
  return (
    <Card
      withBorder
      padding="sm"
      style={{ borderLeft: `4px solid ${ACCENT[clock.tone]}` }}
      data-testid="inbox-kip"
      data-tone={clock.tone}
    >
      <Stack gap={4}>
        <Text fw={600} size="sm">
          {t('inbox.case.kipTitle')}
        </Text>
        <Text size="sm" data-testid="inbox-kip-due">
          {t('inbox.case.kipDue', { when: when(c.kip_due_at) })}
        </Text>
        <Text size="sm" fw={700} c={clock.tone === 'overdue' ? 'red.8' : undefined} data-testid="inbox-kip-left">
          {clock.daysLeft < 0
            ? t('inbox.case.overdueBy', { count: -clock.daysLeft })
            : t('inbox.case.daysLeft', { count: clock.daysLeft })}
        </Text>
        {c.kip_extension_reason && (
          <Text size="xs" c="gray.7" data-testid="inbox-kip-reason-shown">
            {t('inbox.case.extendedBecause', { reason: c.kip_extension_reason })}
          </Text>
        )}
        {clock.canExtend && (
          <Button {...TOUCH} variant="default" mt="xs" onClick={() => setExtending(true)} data-testid="inbox-kip-extend">
            {t('inbox.case.extend')}
          </Button>
        )}
      </Stack>
      <ExtendDialog c={c} opened={extending} onClose={() => setExtending(false)} />
    </Card>
  );
}

/** A complaint's SP4N-LAPOR! reference and status; the complainant is shown to managers only. */
export function LaporCard({ c }: { c: Conversation }) {
  const { t } = useTranslation();
  const [reference, setReference] = useState(c.lapor_reference ?? '');
  const [status, setStatus] = useState<string | null>(c.lapor_status);
  const [tried, setTried] = useState(false);
  const lapor = useSetLapor(c.id);
  if (c.request_kind !== 'complaint') return null;
  const problem = laporProblem(reference, status);
  return (
    <Card withBorder padding="sm" style={{ borderLeft: `4px solid ${ACCENT.soon}` }} data-testid="inbox-lapor">
      <Stack gap="xs">
        <Text fw={600} size="sm">
          {t('inbox.case.laporTitle')}
        </Text>
        {!c.can_manage && (
          <>
            <Text size="sm" data-testid="inbox-lapor-shown">
              {c.lapor_reference ? `${c.lapor_reference} · ${c.lapor_status ?? ''}` : t('inbox.case.laporNone')}
            </Text>
            <Text size="xs" c="gray.7">
              {t('inbox.case.identityHidden')}
            </Text>
          </>
        )}
        {c.can_manage && (
          <>
            <TextInput
              styles={TALL}
              label={t('inbox.case.laporReference')}
              value={reference}
              maxLength={64}
              onChange={(e) => setReference(e.currentTarget.value)}
              error={tried && problem === 'referenceRequired' ? t('inbox.case.laporProblem.referenceRequired') : undefined}
              data-testid="inbox-lapor-reference"
            />
            <Select
              styles={TALL}
              label={t('inbox.case.laporStatus')}
              data={laporStatusOptions(c.lapor_status)}
              value={status}
              onChange={setStatus}
              error={tried && problem === 'statusRequired' ? t('inbox.case.laporProblem.statusRequired') : undefined}
              data-testid="inbox-lapor-status"
            />
            {lapor.error && (
              <Alert color="red" role="alert">
                {errorMessage(t, lapor.error)}
              </Alert>
            )}
            <Button
              {...TOUCH}
              loading={lapor.isPending}
              onClick={() => {
                setTried(true);
                if (problem === null && status) lapor.mutate({ reference: reference.trim(), status });
              }}
              data-testid="inbox-lapor-save"
            >
              {t('inbox.case.laporSave')}
            </Button>
          </>
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
            {m.erased ? (
              <Text size="sm" fs="italic" c="gray.7" title={t('inbox.case.erasedHelp')} data-testid="inbox-message-erased">
                {t('inbox.case.erased')}
              </Text>
            ) : (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {m.text}
              </Text>
            )}
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
      </Group>
      <KindSuggestion c={c} />
      <KipClockCard c={c} when={when} />
      <LaporCard key={`${c.lapor_reference}-${c.lapor_status}`} c={c} />
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
