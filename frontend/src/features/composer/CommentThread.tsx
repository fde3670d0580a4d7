import { Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errorMessage';
import { formatDateTime } from '../../lib/time';
import { useAddComment, useComments } from './queries';

const KIND_COLOR: Record<string, string> = { rejection: 'orange.9', approval: 'teal.9', submission: 'blue.8', comment: 'gray.8' };

/** The review thread: submissions, approvals, rejections and comments, oldest first. */
export function CommentThread({ postId, timeZone }: { postId: number; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const comments = useComments(postId);
  const add = useAddComment(postId);
  const [body, setBody] = useState('');
  const items = comments.data?.items ?? [];
  return (
    <Paper withBorder p="md" radius="md" data-testid="comment-thread">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('composer.thread.title')}
        </Title>
        {comments.isError && <Text size="sm" c="dimmed">{t('composer.thread.unavailable')}</Text>}
        {!comments.isError && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('composer.thread.empty')}
          </Text>
        )}
        {items.map((c) => (
          <Stack key={c.id} gap={2} data-testid="comment" data-kind={c.kind}>
            <Group gap="xs">
              <Text size="sm" fw={600}>
                {c.author_name ?? t('composer.thread.someone')}
              </Text>
              <Badge size="sm" variant="filled" color={KIND_COLOR[c.kind] ?? 'gray.8'}>
                {t(`composer.thread.kind.${c.kind}`)}
              </Badge>
              <Text size="xs" c="dimmed">
                {formatDateTime(c.created_at, timeZone, i18n.language)}
              </Text>
            </Group>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {c.body}
            </Text>
          </Stack>
        ))}
        <Textarea
          label={t('composer.thread.add')}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          maxLength={2000}
          autosize
          minRows={2}
          data-testid="comment-body"
        />
        {add.error && (
          <Text size="sm" c="red.8" role="alert">
            {errorMessage(t, add.error)}
          </Text>
        )}
        <Group>
          <Button
            mih={44}
            variant="light"
            disabled={!body.trim()}
            loading={add.isPending}
            onClick={() => add.mutate(body.trim(), { onSuccess: () => setBody('') })}
            data-testid="comment-send"
          >
            {t('composer.thread.send')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
