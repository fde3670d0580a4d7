import { Avatar, Box, Group, Image, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../../api/types';
import { PlatformIcon } from '../../components/Badges';
import { network } from '../../platforms';
import type { MediaItem } from './model';

export interface PreviewData {
  platform: Platform;
  handle: string;
  name: string;
  text: string;
  media: MediaItem[];
  firstComment: string;
  link: string;
  thread: string[];
}

/** Instagram cuts a caption in the feed after about 125 characters ("… more"). */
const IG_FOLD = 125;

function Media({ media, square }: { media: MediaItem[]; square?: boolean }) {
  const first = media[0];
  if (!first) return null;
  return (
    <Box pos="relative">
      {first.kind === 'video' ? (
        <Box bg="dark.6" h={160} />
      ) : (
        <Image src={first.url} alt={first.alt} h={square ? 240 : 160} fit="cover" radius={square ? 0 : 'md'} />
      )}
      {media.length > 1 && (
        <Text size="xs" c="white" bg="rgba(0,0,0,.7)" px={6} pos="absolute" top={6} right={6} style={{ borderRadius: 8 }}>
          1/{media.length}
        </Text>
      )}
    </Box>
  );
}

export function Preview({ data }: { data: PreviewData }) {
  const { t } = useTranslation();
  const caption = data.platform === 'instagram' && data.text.length > IG_FOLD ? `${data.text.slice(0, IG_FOLD)}… ` : data.text;
  return (
    <Paper withBorder radius="md" p={data.platform === 'instagram' ? 0 : 'sm'} data-testid={`preview-${data.platform}`} maw={420}>
      <Stack gap="xs">
        <Group gap="xs" p={data.platform === 'instagram' ? 'sm' : 0} pb={0}>
          <Avatar size="sm" radius="xl" color={network(data.platform).color}>
            {data.name.slice(0, 1).toUpperCase()}
          </Avatar>
          <Box>
            <Text size="sm" fw={600} lh={1.2}>
              {data.name}
            </Text>
            {data.platform === 'x' && (
              <Text size="xs" c="dimmed">
                {data.handle}
              </Text>
            )}
          </Box>
          <Box ml="auto">
            <PlatformIcon platform={data.platform} size={16} />
          </Box>
        </Group>
        {data.platform === 'instagram' && <Media media={data.media} square />}
        <Box px={data.platform === 'instagram' ? 'sm' : 0} pb={data.platform === 'instagram' ? 'sm' : 0}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {data.platform === 'instagram' && <b>{data.name} </b>}
            {caption || <Text span c="dimmed">{t('composer.preview.empty')}</Text>}
            {caption !== data.text && <Text span c="dimmed">{t('composer.preview.more')}</Text>}
          </Text>
          {data.platform === 'instagram' && data.firstComment.trim() && (
            <Text size="sm" c="dimmed" mt={4}>
              <b>{data.name}</b> {data.firstComment}
            </Text>
          )}
        </Box>
        {data.platform !== 'instagram' && <Media media={data.media} />}
        {data.platform === 'facebook' && data.link.trim() && data.media.length === 0 && (
          <Paper withBorder p="xs" bg="gray.0">
            <Text size="xs" c="dimmed" truncate>
              {data.link.replace(/^https?:\/\//, '').split('/')[0]}
            </Text>
          </Paper>
        )}
        {data.platform === 'x' &&
          data.thread.map((part, i) => (
            <Box key={i} pl="md" style={{ borderLeft: '2px solid var(--mantine-color-gray-4)' }}>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {part}
              </Text>
            </Box>
          ))}
      </Stack>
    </Paper>
  );
}

export function Previews({ items }: { items: PreviewData[] }) {
  return (
    <SimpleGrid cols={{ base: 1, md: Math.min(3, Math.max(1, items.length)) }} spacing="sm">
      {items.map((d) => (
        <Preview key={d.platform} data={d} />
      ))}
    </SimpleGrid>
  );
}
