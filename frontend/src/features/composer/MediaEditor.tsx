import { ActionIcon, Alert, Badge, Box, Button, FileButton, Group, Image, Paper, Progress, Stack, Text, TextInput } from '@mantine/core';
import { IconArrowLeft, IconArrowRight, IconPhotoPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Platform, Problem } from '../../api/types';
import { errorMessage } from '../../lib/errorMessage';
import { problemText } from '../../lib/problems';
import { mediaIssues } from './counters';
import { type MediaItem, move } from './model';
import { useAltText, useUpload } from './queries';

const ACCEPT = 'image/jpeg,image/png,image/gif,image/webp,video/mp4,video/quicktime';

interface Props {
  unitId: number | null;
  /** The platform whose rules apply (ratio warnings), or null for the base media. */
  platform: Platform | null;
  media: MediaItem[];
  onChange: (media: MediaItem[]) => void;
  requireAlt: boolean;
  problems: Problem[];
  testId: string;
  /** Show the rules' warnings (after the user changed something, or tried to save). */
  showIssues: boolean;
  disabled?: boolean;
}

interface Upload {
  key: number;
  name: string;
  progress: number;
  error: string | null;
}

export function MediaEditor(props: Props) {
  const { t, i18n } = useTranslation();
  const upload = useUpload(props.unitId);
  const alt = useAltText();
  const [uploads, setUploads] = useState<Upload[]>([]);
  // The upload callbacks outlive a render: they add to the list as it is when the file arrives.
  const mediaRef = useRef(props.media);
  useEffect(() => {
    mediaRef.current = props.media;
  }, [props.media]);
  const issues = props.platform ? mediaIssues(props.platform, props.media, props.requireAlt) : [];
  const start = (files: File[]) => {
    for (const file of files) {
      const key = Date.now() + Math.random();
      setUploads((u) => [...u, { key, name: file.name, progress: 0, error: null }]);
      upload.mutate(
        { file, onProgress: (p) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, progress: p } : x))) },
        {
          onSuccess: (m) => {
            setUploads((u) => u.filter((x) => x.key !== key));
            mediaRef.current = [
              ...mediaRef.current,
              { id: m.id, url: m.url, kind: m.kind, width: m.width, height: m.height, alt: m.alt_text ?? '', filename: m.original_filename },
            ];
            props.onChange(mediaRef.current);
          },
          onError: (e) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, error: errorMessage(t, e) } : x))),
        },
      );
    }
  };
  const setAlt = (id: number, text: string) => props.onChange(props.media.map((m) => (m.id === id ? { ...m, alt: text } : m)));
  const issueFor = (id: number) => issues.filter((i) => 'id' in i && i.id === id);
  const general = issues.filter((i) => !('id' in i));

  return (
    <Stack gap="xs" data-testid={props.testId}>
      <Group gap="sm" align="flex-start" wrap="wrap">
        {props.media.map((m, index) => {
          const own = issueFor(m.id);
          const altMissing = props.showIssues && own.some((i) => i.rule === 'alt');
          const ratio = own.find((i) => i.rule === 'ratio');
          return (
            <Paper key={m.id} withBorder p={6} w={200} data-testid="media-thumb" data-media-id={m.id}>
              <Stack gap={4}>
                <Box pos="relative">
                  {m.kind === 'video' ? (
                    <Badge>{t('composer.media.video')}</Badge>
                  ) : (
                    <Image src={m.url} alt={m.alt} h={120} fit="cover" radius="sm" />
                  )}
                  {props.media.length > 1 && (
                    <Badge pos="absolute" top={4} left={4} size="sm" color="dark">
                      {index + 1}
                    </Badge>
                  )}
                </Box>
                {ratio && 'ratio' in ratio && (
                  <Text size="xs" c="orange.9" data-testid="media-ratio-warning">
                    {t('composer.media.ratio', { ratio: ratio.ratio.toLocaleString(i18n.language.startsWith('en') ? 'en-GB' : 'id-ID', { maximumFractionDigits: 2 }) })}
                  </Text>
                )}
                <TextInput
                  size="sm"
                  label={t('composer.media.alt')}
                  placeholder={t('composer.media.altPlaceholder')}
                  value={m.alt}
                  required={props.requireAlt}
                  disabled={props.disabled}
                  onChange={(e) => setAlt(m.id, e.currentTarget.value)}
                  onBlur={(e) => alt.mutate({ id: m.id, alt: e.currentTarget.value.trim() })}
                  error={altMissing ? t('composer.media.altRequired') : undefined}
                  data-testid="media-alt"
                />
                <Group gap={4} justify="space-between">
                  <Group gap={4}>
                    <ActionIcon
                      size={44}
                      variant="default"
                      aria-label={t('composer.media.left')}
                      disabled={index === 0 || props.disabled}
                      onClick={() => props.onChange(move(props.media, index, index - 1))}
                    >
                      <IconArrowLeft size={18} />
                    </ActionIcon>
                    <ActionIcon
                      size={44}
                      variant="default"
                      aria-label={t('composer.media.right')}
                      disabled={index === props.media.length - 1 || props.disabled}
                      onClick={() => props.onChange(move(props.media, index, index + 1))}
                    >
                      <IconArrowRight size={18} />
                    </ActionIcon>
                  </Group>
                  <ActionIcon
                    size={44}
                    color="red.8"
                    variant="filled"
                    aria-label={t('form.removeImage')}
                    disabled={props.disabled}
                    onClick={() => props.onChange(props.media.filter((x) => x.id !== m.id))}
                  >
                    <IconTrash size={18} />
                  </ActionIcon>
                </Group>
              </Stack>
            </Paper>
          );
        })}
      </Group>
      {uploads.map((u) => (
        <Stack key={u.key} gap={2} data-testid="media-upload">
          <Text size="xs">{t('composer.media.uploading', { name: u.name, percent: Math.round(u.progress * 100) })}</Text>
          <Progress value={u.progress * 100} aria-label={u.name} color={u.error ? 'red' : 'blue'} />
          {u.error && (
            <Alert color="red" variant="light" p="xs" role="alert">
              {t('form.uploadFailed', { detail: u.error })}{' '}
              <Button size="compact-xs" variant="subtle" onClick={() => setUploads((x) => x.filter((y) => y.key !== u.key))}>
                {t('composer.close')}
              </Button>
            </Alert>
          )}
        </Stack>
      ))}
      <Group>
        <FileButton
          multiple
          onChange={(files) => start(files)}
          accept={ACCEPT}
          inputProps={{ 'data-testid': `file-${props.testId.replace(/^media-/, '')}` } as Record<string, string>}
        >
          {(fileProps) => (
            <Button {...fileProps} variant="light" mih={44} leftSection={<IconPhotoPlus size={16} />} disabled={props.disabled || props.unitId === null}>
              {t('form.addImage')}
            </Button>
          )}
        </FileButton>
      </Group>
      {props.showIssues &&
        general.map((i) => (
          <Text key={i.rule} size="sm" c="red.8" role="alert">
            {i.rule === 'required' ? t('composer.media.required') : i.rule === 'tooMany' ? t('composer.media.tooMany', { count: i.count, max: i.max }) : ''}
          </Text>
        ))}
      {props.problems.length > 0 && (
        <Stack gap={2} role="alert" data-testid={`problems-${props.testId}`}>
          {props.problems.map((p, i) => (
            <Text key={i} size="sm" c="red.8" data-rule={p.rule}>
              {problemText(i18n, p)}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

