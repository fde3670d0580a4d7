import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Followup } from '../../api/types';

const COLOR: Record<Followup['status'], string> = { pending: 'gray.8', published: 'green.9', failed: 'red.8' };

/** What went out after a published variant: each thread post or the first comment, with its
 * status and, when one failed, why (in the reader's language). */
export function Followups({ variantId, items }: { variantId: number; items: Followup[] }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return null;
  const indonesian = i18n.language.startsWith('id');
  return (
    <Stack gap={2} pl="md" data-testid={`followups-${variantId}`} aria-label={t('composer.followups.title')}>
      {items.map((f) => (
        <Group key={`${f.kind}-${f.index}`} gap="xs" wrap="wrap" data-testid={`followup-${variantId}-${f.index}`}>
          <Text size="sm">
            {f.kind === 'thread_part' ? t('composer.followups.thread_part', { n: f.index + 2 }) : t('composer.followups.first_comment')}
          </Text>
          <Badge color={COLOR[f.status]} variant="filled">
            {t(`composer.followups.status.${f.status}`)}
          </Badge>
          {f.external_url && (
            <Anchor href={f.external_url} target="_blank" rel="noreferrer" size="sm">
              {t('composer.followups.open')}
            </Anchor>
          )}
          {f.status !== 'published' && f.error && (
            <Text size="sm" c={f.status === 'failed' ? 'red.8' : 'dimmed'}>
              {indonesian ? (f.error_id ?? f.error) : f.error}
            </Text>
          )}
        </Group>
      ))}
    </Stack>
  );
}
