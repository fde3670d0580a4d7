import { useState } from 'react';
import { Badge, Button, Card, Group, MultiSelect, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/errors';
import { QueryState } from '../../../components/QueryState';
import { errorMessage, fieldMessages } from '../../../lib/errorMessage';
import { type Topic, useMembers, useTopics } from '../queries';
import { type KeywordProblem, formatWeights, keywordsToText, parseKeywords } from './keywords';
import { useCreateTopic, useDeleteTopic, useSetExperts, useTryRoute, useUpdateTopic } from './queries';

const TALL = { input: { minHeight: 44 } } as const;

function scoreFormat(locale: string) {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 2 });
}

/** Any text through the very classifier the inbox uses: which topics, how strongly, and why. */
function TryRoute({ unitId }: { unitId: number }) {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState('');
  const tryIt = useTryRoute(unitId);
  const score = scoreFormat(i18n.language);
  const result = tryIt.data;
  return (
    <Card withBorder padding="sm" data-testid="route-try">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('inboxAdmin.try.title')}
        </Title>
        <Text size="sm" c="gray.7">
          {t('inboxAdmin.try.help')}
        </Text>
        <Textarea
          label={t('inboxAdmin.try.label')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={5000}
          data-testid="route-try-input"
        />
        <Group>
          <Button
            onClick={() => tryIt.mutate(text.trim())}
            disabled={!text.trim()}
            loading={tryIt.isPending}
            mih={44}
            data-testid="route-try-submit"
          >
            {t('inboxAdmin.try.submit')}
          </Button>
        </Group>
        {tryIt.error && (
          <Text size="sm" c="red" role="alert">
            {errorMessage(t, tryIt.error)}
          </Text>
        )}
        {result && (
          <Stack gap={6} data-testid="route-result" aria-live="polite">
            {!result.routed && <Text size="sm">{t('inboxAdmin.try.unrouted', { threshold: score.format(result.threshold) })}</Text>}
            {result.suggestions.map((s, i) => (
              <Group key={s.key} gap="xs" wrap="wrap" data-testid="route-suggestion">
                <Text size="sm" fw={i === 0 ? 700 : 500}>
                  {i + 1}. {s.name}
                </Text>
                <Text size="sm">{t('inboxAdmin.try.score', { score: score.format(s.score) })}</Text>
                {s.matched.map((word) => (
                  <Badge key={word} variant="light" color="indigo" tt="none">
                    {word}
                  </Badge>
                ))}
              </Group>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

function problemText(t: (key: string, values?: Record<string, unknown>) => string, p: KeywordProblem) {
  return p.line === 0 ? t(`inboxAdmin.keywords.${p.kind}`) : t(`inboxAdmin.keywords.${p.kind}`, { line: p.line, word: p.word });
}

interface FormProps {
  unitId: number;
  topic?: Topic;
  onDone: () => void;
}

function TopicForm({ unitId, topic, onDone }: FormProps) {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState(topic?.name ?? '');
  const [text, setText] = useState(topic ? keywordsToText(topic.keywords, i18n.language) : '');
  const [problems, setProblems] = useState<string[]>([]);
  const create = useCreateTopic(unitId);
  const update = useUpdateTopic(unitId);
  const error = create.error ?? update.error;
  const fields = fieldMessages(t, error);
  const nameError =
    isApiError(error) && error.code === 'topic_name_taken' ? t('inboxAdmin.topics.nameTaken') : fields.name;
  const submit = async () => {
    const parsed = parseKeywords(text);
    if (!parsed.ok) {
      setProblems(parsed.problems.map((p) => problemText(t, p)));
      return;
    }
    setProblems([]);
    try {
      if (topic) await update.mutateAsync({ id: topic.id, body: { name: name.trim(), keywords: parsed.keywords } });
      else await create.mutateAsync({ name: name.trim(), name_en: '', keywords: parsed.keywords });
      onDone();
    } catch {
      // shown from the mutation's error below
    }
  };
  const keywordError = problems.length ? problems.join(' ') : Object.entries(fields).find(([f]) => f.startsWith('keywords'))?.[1];
  return (
    <Card withBorder padding="sm" data-testid="topic-form">
      <Stack gap="sm">
        <TextInput
          styles={TALL}
          label={t('inboxAdmin.topics.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          maxLength={200}
          required
          error={nameError}
          data-testid="topic-name"
        />
        <Textarea
          label={t('inboxAdmin.topics.keywords')}
          description={t('inboxAdmin.topics.keywordsHelp')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={4}
          maxRows={14}
          error={keywordError}
          data-testid="topic-keywords"
        />
        {error && !nameError && !keywordError && (
          <Text size="sm" c="red" role="alert">
            {errorMessage(t, error)}
          </Text>
        )}
        <Group>
          <Button
            onClick={() => void submit()}
            disabled={!name.trim()}
            loading={create.isPending || update.isPending}
            mih={44}
            data-testid="topic-save"
          >
            {t('inboxAdmin.save')}
          </Button>
          <Button variant="default" onClick={onDone} mih={44}>
            {t('inboxAdmin.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

interface CardProps {
  unitId: number;
  topic: Topic;
  members: { value: string; label: string }[];
  canManage: boolean;
  onEdit: () => void;
}

function TopicCard({ unitId, topic, members, canManage, onEdit }: CardProps) {
  const { t, i18n } = useTranslation();
  const experts = useSetExperts(unitId);
  const remove = useDeleteTopic(unitId);
  const learned = Object.keys(topic.learned).length > 0;
  const drop = () => {
    if (window.confirm(t('inboxAdmin.topics.removeConfirm', { name: topic.name }))) remove.mutate(topic.id);
  };
  return (
    <Card withBorder padding="sm" data-testid="topic-card" data-topic-key={topic.key}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={3} size="h4">
            {topic.name}
          </Title>
          {canManage && (
            <Group gap="xs">
              <Button variant="light" leftSection={<IconPencil size={16} />} onClick={onEdit} mih={44} data-testid="topic-edit">
                {t('inboxAdmin.edit')}
              </Button>
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={drop}
                loading={remove.isPending}
                mih={44}
                data-testid="topic-remove"
              >
                {t('inboxAdmin.remove')}
              </Button>
            </Group>
          )}
        </Group>
        <Text size="sm" data-testid="topic-weights">
          <Text span fw={600}>
            {t('inboxAdmin.topics.keywords')}:
          </Text>{' '}
          {formatWeights(topic.keywords, i18n.language)}
        </Text>
        {learned && (
          <Text size="sm" data-testid="topic-learned">
            <Text span fw={600}>
              {t('inboxAdmin.topics.learned')}:
            </Text>{' '}
            {formatWeights(topic.learned, i18n.language)}
          </Text>
        )}
        <MultiSelect
          styles={TALL}
          label={t('inboxAdmin.topics.experts')}
          placeholder={topic.expert_ids.length ? undefined : t('inboxAdmin.topics.noExperts')}
          data={members}
          value={topic.expert_ids.map(String)}
          onChange={(ids) => experts.mutate({ id: topic.id, userIds: ids.map(Number) })}
          disabled={!canManage}
          searchable
          data-testid="topic-experts"
        />
        {(experts.error ?? remove.error) && (
          <Text size="sm" c="red" role="alert">
            {errorMessage(t, experts.error ?? remove.error)}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

export function TopicsPanel({ unitId, canManage }: { unitId: number; canManage: boolean }) {
  const { t } = useTranslation();
  const topics = useTopics(unitId);
  const members = useMembers(unitId);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const people = (members.data?.items ?? []).map((m) => ({ value: String(m.user_id), label: m.name }));
  return (
    <Stack gap="md">
      <TryRoute unitId={unitId} />
      <Group justify="space-between" wrap="wrap">
        <Title order={2} size="h3">
          {t('inboxAdmin.topics.title')}
        </Title>
        {canManage && editing !== 'new' && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} mih={44} data-testid="topic-add">
            {t('inboxAdmin.topics.add')}
          </Button>
        )}
      </Group>
      {editing === 'new' && <TopicForm unitId={unitId} onDone={() => setEditing(null)} />}
      <QueryState isLoading={topics.isLoading} error={topics.error} onRetry={() => void topics.refetch()}>
        <Stack gap="sm" data-testid="topic-list">
          {(topics.data?.items ?? []).map((topic) =>
            editing === topic.id ? (
              <TopicForm key={topic.id} unitId={unitId} topic={topic} onDone={() => setEditing(null)} />
            ) : (
              <TopicCard
                key={topic.id}
                unitId={unitId}
                topic={topic}
                members={people}
                canManage={canManage}
                onEdit={() => setEditing(topic.id)}
              />
            ),
          )}
          {topics.data?.items.length === 0 && <Text c="gray.7">{t('inboxAdmin.topics.empty')}</Text>}
        </Stack>
      </QueryState>
    </Stack>
  );
}
