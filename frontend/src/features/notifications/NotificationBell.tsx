import { ActionIcon, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Notification } from '../../api/types';
import { formatDateTime } from '../../lib/time';
import { useMarkRead, useNotifications, useUnreadCount } from './queries';

/** The notification's text in the reader's language, from its kind and params. */
export function notificationText(t: TFunction, note: Pick<Notification, 'kind' | 'params'>): string {
  const params: Record<string, string> = { title: '', comment: '', reason: '', handle: '' };
  for (const [key, value] of Object.entries(note.params ?? {})) params[key] = String(value ?? '');
  return t(`notifications.kinds.${note.kind}`, { ...params, defaultValue: note.kind }).trim();
}

export function NotificationBell({ timeZone }: { timeZone: string }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const unread = useUnreadCount();
  const list = useNotifications(opened);
  const markRead = useMarkRead();
  const count = unread.data?.unread ?? 0;

  const open = (note: Notification) => {
    if (!note.read_at) markRead.mutate(note.id);
    setOpened(false);
    if (note.object_type === 'post' && note.object_id) {
      void navigate({ to: '/posts/$postId', params: { postId: note.object_id } });
    } else if (note.object_type === 'inbox_conversation' && note.object_id) {
      void navigate({ to: '/inbox/$conversationId', params: { conversationId: note.object_id } });
    } else if (note.object_type === 'account') {
      void navigate({ to: '/accounts' });
    }
  };

  const items = list.data?.items ?? [];
  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      // On a phone the list takes the screen's width instead of overflowing it.
      width="min(340px, calc(100vw - 16px))"
      withinPortal
      shadow="md"
    >
      <Popover.Target>
        {/* The button is the popover's target (it gets aria-expanded); the count sits inside it. */}
        <ActionIcon
          variant="subtle"
          size={44}
          // The name holds the count as the badge shows it, so what is seen is what is read out.
          aria-label={t('notifications.open', { count: count > 99 ? '99+' : count })}
          onClick={() => setOpened((o) => !o)}
          data-testid="notification-bell"
        >
          <Indicator label={count > 99 ? '99+' : count} size={16} disabled={count === 0} color="red" offset={2}>
            <IconBell size={22} aria-hidden />
          </Indicator>
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p="xs" data-testid="notification-list">
        <Group justify="space-between" mb="xs">
          <Text fw={600} size="sm">
            {t('notifications.title')}
          </Text>
          {count > 0 && (
            <Button size="xs" variant="subtle" onClick={() => markRead.mutate('all')} data-testid="notifications-read-all">
              {t('notifications.readAll')}
            </Button>
          )}
        </Group>
        {items.length === 0 && !list.isLoading ? (
          <Text size="sm" c="dimmed" py="sm">
            {t('notifications.empty')}
          </Text>
        ) : (
          <ScrollArea.Autosize mah={360}>
            <Stack gap={2}>
              {items.map((note) => (
                <UnstyledButton
                  key={note.id}
                  onClick={() => open(note)}
                  p={8}
                  mih={44}
                  style={{ borderRadius: 4, background: note.read_at ? undefined : 'var(--mantine-color-blue-0)' }}
                  data-testid={`notification-${note.id}`}
                  data-unread={note.read_at ? undefined : 'true'}
                >
                  <Text size="sm" fw={note.read_at ? 400 : 600}>
                    {notificationText(t, note)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(note.created_at, timeZone, i18n.language)}
                  </Text>
                </UnstyledButton>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
