import { ActionIcon, Alert, Badge, Box, Button, FileButton, Group, Image, Loader, Paper, Stack, Text, Textarea } from '@mantine/core';
import { IconPhotoPlus, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { Account, Problem } from '../../api/types';
import { PlatformLabel, SandboxBadge } from '../../components/Badges';
import { network } from '../../platforms';
import { ProblemList } from './ProblemList';
import { postKeys } from './queries';

export function LengthCounter({
  platform,
  length,
  max,
}: {
  platform: Account['platform'];
  length: number;
  max: number;
}) {
  const { t } = useTranslation();
  const over = length > max;
  return (
    <Text
      size="xs"
      fw={over ? 700 : 400}
      c={over ? 'red' : length > max * 0.9 ? 'orange' : 'dimmed'}
      data-testid={`counter-${platform}`}
      aria-live="polite"
    >
      {t('form.counter', { platform: network(platform).name, length, max })}
    </Text>
  );
}

function MediaThumb({ id, onRemove }: { id: number; onRemove: () => void }) {
  const { t } = useTranslation();
  const media = useQuery({ queryKey: postKeys.media(id), queryFn: () => api.media(id), staleTime: Infinity });
  return (
    <Box pos="relative" w={84} h={84} data-testid="media-thumb">
      {media.data ? (
        media.data.kind === 'video' ? (
          <Badge>{media.data.mime_type}</Badge>
        ) : (
          <Image src={media.data.url} alt={media.data.alt_text ?? ''} w={84} h={84} radius="sm" fit="cover" />
        )
      ) : (
        <Loader size="sm" />
      )}
      <ActionIcon
        size="sm"
        color="red"
        variant="filled"
        pos="absolute"
        top={2}
        right={2}
        aria-label={t('form.removeImage')}
        onClick={onRemove}
      >
        <IconTrash size={12} />
      </ActionIcon>
    </Box>
  );
}

export interface VariantEditorProps {
  account: Account;
  text: string;
  mediaIds: number[];
  length: number;
  max: number;
  problems: Problem[];
  uploading: boolean;
  uploadError: string | null;
  onText: (text: string) => void;
  onUpload: (file: File) => void;
  onRemoveMedia: (id: number) => void;
}

export function VariantEditor(props: VariantEditorProps) {
  const { t } = useTranslation();
  const { account } = props;
  const platformLabel = t(network(account.platform).labelKey);
  const hasErrors = props.problems.length > 0;
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      data-testid={`variant-${account.platform}`}
      data-account-id={account.id}
      style={hasErrors ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}
    >
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Group gap="xs" wrap="nowrap">
            <PlatformLabel platform={account.platform} />
            <Text size="sm" c="dimmed" truncate>
              {account.handle}
            </Text>
          </Group>
          {account.sandbox && <SandboxBadge />}
        </Group>
        <Textarea
          aria-label={t('form.textLabel', { platform: platformLabel, handle: account.handle })}
          placeholder={t('form.textPlaceholder', { platform: platformLabel })}
          autosize
          minRows={3}
          maxRows={14}
          value={props.text}
          onChange={(e) => props.onText(e.currentTarget.value)}
          error={hasErrors}
          data-testid={`text-${account.platform}`}
        />
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <ProblemList problems={props.problems} testId={`problems-${account.platform}`} />
          <LengthCounter platform={account.platform} length={props.length} max={props.max} />
        </Group>
        <Group gap="xs" align="flex-end">
          {props.mediaIds.map((id) => (
            <MediaThumb key={id} id={id} onRemove={() => props.onRemoveMedia(id)} />
          ))}
          <FileButton
            onChange={(file) => file && props.onUpload(file)}
            accept="image/jpeg,image/png,image/gif,image/webp,video/mp4,video/quicktime"
            inputProps={{ 'data-testid': `file-${account.platform}` } as Record<string, string>}
          >
            {(fileProps) => (
              <Button
                {...fileProps}
                size="xs"
                variant="light"
                leftSection={props.uploading ? <Loader size={12} /> : <IconPhotoPlus size={14} />}
                disabled={props.uploading}
              >
                {props.uploading ? t('form.uploading') : t('form.addImage')}
              </Button>
            )}
          </FileButton>
        </Group>
        {props.uploadError && (
          <Alert color="red" variant="light" p="xs" role="alert">
            {t('form.uploadFailed', { detail: props.uploadError })}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
