import { useState } from 'react';
import { Badge, Button, Card, Group, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconPencil, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../../components/QueryState';
import { errorMessage, fieldMessages } from '../../../lib/errorMessage';
import { type SavedAnswer, useTopics } from '../queries';
import { filterSaved } from './saved';
import { useAllSavedAnswers, useDeleteSavedAnswer, useSaveAnswer } from './queries';

const TALL = { input: { minHeight: 44 } } as const;
const GENERAL = 'general';

interface FormProps {
  unitId: number;
  saved?: SavedAnswer;
  topics: { value: string; label: string }[];
  onDone: () => void;
}

function SavedForm({ unitId, saved, topics, onDone }: FormProps) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(saved?.title ?? '');
  const [topic, setTopic] = useState<string | null>(saved?.topic_id ? String(saved.topic_id) : null);
  const [text, setText] = useState(saved?.text ?? '');
  const save = useSaveAnswer(unitId);
  const fields = fieldMessages(t, save.error);
  const submit = async () => {
    try {
      await save.mutateAsync({
        id: saved?.id ?? null,
        body: { title: title.trim(), text: text.trim(), topic_id: topic ? Number(topic) : null },
      });
      onDone();
    } catch {
      // shown below
    }
  };
  return (
    <Card withBorder padding="sm" data-testid="saved-form">
      <Stack gap="sm">
        <TextInput
          styles={TALL}
          label={t('inboxAdmin.saved.titleLabel')}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          maxLength={200}
          required
          error={fields.title}
          data-testid="saved-title"
        />
        <Select
          styles={TALL}
          label={t('inboxAdmin.saved.topic')}
          placeholder={t('inboxAdmin.saved.general')}
          data={topics}
          value={topic}
          onChange={setTopic}
          clearable
          error={fields.topic_id}
          data-testid="saved-topic"
        />
        <Textarea
          label={t('inboxAdmin.saved.text')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autosize
          minRows={4}
          maxLength={2000}
          required
          error={fields.text}
          data-testid="saved-text"
        />
        {save.error && !Object.keys(fields).length && (
          <Text size="sm" c="red" role="alert">
            {errorMessage(t, save.error)}
          </Text>
        )}
        <Group>
          <Button
            onClick={() => void submit()}
            disabled={!title.trim() || !text.trim()}
            loading={save.isPending}
            mih={44}
            data-testid="saved-save"
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

export function SavedAnswersPanel({ unitId, canManage }: { unitId: number; canManage: boolean }) {
  const { t } = useTranslation();
  const saved = useAllSavedAnswers(unitId);
  const topics = useTopics(unitId);
  const remove = useDeleteSavedAnswer(unitId);
  const [query, setQuery] = useState('');
  const [topicFilter, setTopicFilter] = useState<string | null>(null);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const topicOptions = (topics.data?.items ?? []).map((tp) => ({ value: String(tp.id), label: tp.name }));
  const topicName = new Map((topics.data?.items ?? []).map((tp) => [tp.id, tp.name]));
  const shown = filterSaved(saved.data?.items ?? [], query, topicFilter === null ? undefined : topicFilter === GENERAL ? null : Number(topicFilter));
  const drop = (s: SavedAnswer) => {
    if (window.confirm(t('inboxAdmin.saved.removeConfirm', { title: s.title }))) remove.mutate(s.id);
  };
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2} size="h3">
          {t('inboxAdmin.saved.title')}
        </Title>
        {canManage && editing !== 'new' && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} mih={44} data-testid="saved-add">
            {t('inboxAdmin.saved.add')}
          </Button>
        )}
      </Group>
      <Group gap="sm" wrap="wrap" align="flex-end">
        <TextInput
          styles={TALL}
          label={t('inboxAdmin.saved.search')}
          leftSection={<IconSearch size={16} />}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 200 }}
          data-testid="saved-search"
        />
        <Select
          styles={TALL}
          label={t('inboxAdmin.saved.topic')}
          placeholder={t('inboxAdmin.saved.allTopics')}
          data={[{ value: GENERAL, label: t('inboxAdmin.saved.general') }, ...topicOptions]}
          value={topicFilter}
          onChange={setTopicFilter}
          clearable
          w={220}
          data-testid="saved-filter-topic"
        />
      </Group>
      {editing === 'new' && <SavedForm unitId={unitId} topics={topicOptions} onDone={() => setEditing(null)} />}
      {remove.error && (
        <Text size="sm" c="red" role="alert">
          {errorMessage(t, remove.error)}
        </Text>
      )}
      <QueryState isLoading={saved.isLoading} error={saved.error} onRetry={() => void saved.refetch()}>
        <Stack gap="sm" data-testid="saved-list">
          {shown.map((s) =>
            editing === s.id ? (
              <SavedForm key={s.id} unitId={unitId} saved={s} topics={topicOptions} onDone={() => setEditing(null)} />
            ) : (
              <Card key={s.id} withBorder padding="sm" data-testid="saved-card">
                <Stack gap={6}>
                  <Group justify="space-between" wrap="wrap" gap="xs">
                    <Text fw={600}>{s.title}</Text>
                    <Badge variant="outline" color="indigo" tt="none">
                      {s.topic_id ? topicName.get(s.topic_id) ?? '' : t('inboxAdmin.saved.general')}
                    </Badge>
                  </Group>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} lineClamp={4}>
                    {s.text}
                  </Text>
                  {canManage && (
                    <Group gap="xs">
                      <Button variant="light" leftSection={<IconPencil size={16} />} onClick={() => setEditing(s.id)} mih={44}>
                        {t('inboxAdmin.edit')}
                      </Button>
                      <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => drop(s)} mih={44}>
                        {t('inboxAdmin.remove')}
                      </Button>
                    </Group>
                  )}
                </Stack>
              </Card>
            ),
          )}
          {shown.length === 0 && <Text c="gray.7">{t('inboxAdmin.saved.empty')}</Text>}
        </Stack>
      </QueryState>
    </Stack>
  );
}
