import { ActionIcon, Badge, Button, Group, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, Platform, Problem } from '../../api/types';
import { problemText } from '../../lib/problems';
import { network } from '../../platforms';
import { countText } from './counters';
import { Counter } from './Counter';
import { findingId } from './draft';
import { MediaEditor } from './MediaEditor';
import { type ComposerValues, type MediaItem, type Override, composeText, effective, normalizeHashtag } from './model';
import { Preview } from './Previews';
import { type Finding, useWritingCheck } from './queries';
import { TextMirror } from './TextMirror';
import { threadPartOf } from './validation';
import { WritingFindings, utf16Index } from './WritingFindings';

export interface PanelProps {
  platform: Platform;
  values: ComposerValues;
  accounts: Account[];
  setOverride: <K extends keyof Override>(platform: Platform, key: K, value: Override[K]) => void;
  textProblems: Problem[];
  mediaProblems: Problem[];
  /** The server's word on the options (thread posts, first comment, link). */
  optionProblems: Problem[];
  /** The user changed this platform's text or media (or tried to save): its checks may speak. */
  textDirty: boolean;
  mediaDirty: boolean;
  requireAlt: boolean;
  dismissed: Set<string>;
  onApply: (platform: Platform, f: Finding, ownText: boolean) => void;
  onDismiss: (id: string) => void;
  readOnly: boolean;
}

/** One platform's tab: its text (inherited until changed), hashtags, media, options, checks and preview. */
export function PlatformPanel(p: PanelProps) {
  const { t, i18n } = useTranslation();
  const e = effective(p.values, p.platform);
  // As the network shows it: a Facebook text post shows its link as the preview card, a photo
  // post has the link written under its text.
  const composed = composeText(p.platform === 'facebook' && e.media.length === 0 ? { ...e, link: '' } : e);
  const count = useMemo(() => countText(p.platform, composed), [p.platform, composed]);
  const [checkedText] = useDebouncedValue(composed, 600);
  const alts = useMemo(() => e.media.map((m) => m.alt), [e.media]);
  const [checkedAlts] = useDebouncedValue(alts, 600);
  const check = useWritingCheck(p.values.unitId, p.platform, checkedText, checkedAlts);
  const fresh = check.data && checkedText === composed ? check.data : null;
  const findings = (fresh?.findings ?? []).filter((f) => !p.dismissed.has(findingId(p.platform, f.rule, f.excerpt)));
  const spans = findings
    .filter((f) => f.target === 'text')
    .map((f) => ({ start: utf16Index(composed, f.start), end: utf16Index(composed, f.end) }));
  const name = network(p.platform).name;
  const first = p.accounts[0];
  const o = p.values.overrides[p.platform];
  const hasProblems = p.textProblems.length > 0;
  // Each thread post's problems beside it; the first comment's and the link's on their field.
  const partProblems = new Map<number, Problem[]>();
  const otherOptionProblems: Problem[] = [];
  for (const pr of p.optionProblems) {
    const part = threadPartOf(pr, o.thread);
    if (part !== null) partProblems.set(part, [...(partProblems.get(part) ?? []), pr]);
    else if (!/\.options\.(first_comment|link)$/.test(pr.field ?? '')) otherOptionProblems.push(pr);
  }
  const optionError = (name: 'first_comment' | 'link') =>
    p.optionProblems
      .filter((pr) => (pr.field ?? '').endsWith(`.options.${name}`))
      .map((pr) => problemText(i18n, pr))
      .join(' ') || undefined;

  return (
    <Stack gap="sm" data-testid={`variant-${p.platform}`}>
      <Group gap="xs" justify="space-between">
        <Text size="sm" c="dimmed">
          {p.accounts.map((a) => a.handle).join(', ')}
        </Text>
        {e.own.text ? (
          <Button size="compact-md" mih={44} variant="subtle" onClick={() => p.setOverride(p.platform, 'text', null)} disabled={p.readOnly} data-testid={`inherit-${p.platform}`}>
            {t('composer.inherit')}
          </Button>
        ) : (
          <Badge variant="filled" color="gray.8">
            {t('composer.inherited')}
          </Badge>
        )}
      </Group>
      <div data-field={`platform.${p.platform}.text`}>
        <Textarea
          label={t('composer.textFor', { platform: name })}
          description={e.own.text ? t('composer.ownText') : t('composer.inheritHint')}
          autosize
          minRows={4}
          maxRows={16}
          value={e.text}
          readOnly={p.readOnly}
          onChange={(ev) => p.setOverride(p.platform, 'text', ev.currentTarget.value)}
          error={hasProblems || (p.textDirty && count.over > 0)}
          data-testid={`text-${p.platform}`}
        />
      </div>
      <Counter count={count} score={fresh ? fresh.score : null} dirty={p.textDirty} />
      <TextMirror text={composed} overflowAt={p.textDirty ? count.overflowAt : null} spans={spans} testId={`mirror-${p.platform}`} />
      {hasProblems && (
        <Stack gap={2} role="alert" data-testid={`problems-${p.platform}`}>
          {p.textProblems.map((pr, i) => (
            <Text key={i} size="sm" c="red.8" data-rule={pr.rule}>
              {problemText(i18n, pr)}
            </Text>
          ))}
        </Stack>
      )}
      <TagsInput
        label={t('composer.hashtags')}
        description={e.own.hashtags ? t('composer.ownHashtags') : t('composer.inheritHint')}
        value={e.hashtags}
        readOnly={p.readOnly}
        onChange={(tags) => p.setOverride(p.platform, 'hashtags', tags.map(normalizeHashtag).filter((x): x is string => x !== null))}
        splitChars={[',', ' ']}
        data-testid={`hashtags-${p.platform}`}
      />
      <div data-field={`platform.${p.platform}.media`}>
        <Stack gap={4}>
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              {t('composer.media.title')}
            </Text>
            {e.own.media && (
              <Button size="compact-md" mih={44} variant="subtle" onClick={() => p.setOverride(p.platform, 'media', null)} disabled={p.readOnly}>
                {t('composer.inheritMedia')}
              </Button>
            )}
          </Group>
          <MediaEditor
            unitId={p.values.unitId}
            platform={p.platform}
            media={e.media}
            onChange={(media: MediaItem[]) => p.setOverride(p.platform, 'media', media)}
            requireAlt={p.requireAlt}
            problems={p.mediaProblems}
            testId={`media-${p.platform}`}
            showIssues={p.mediaDirty}
            disabled={p.readOnly}
          />
        </Stack>
      </div>
      {p.platform === 'instagram' && (
        <Textarea
          label={t('composer.options.firstComment')}
          description={t('composer.options.firstCommentHint')}
          autosize
          minRows={2}
          value={o.firstComment}
          error={optionError('first_comment')}
          readOnly={p.readOnly}
          onChange={(ev) => p.setOverride('instagram', 'firstComment', ev.currentTarget.value)}
          data-testid="option-first-comment"
        />
      )}
      {p.platform === 'facebook' && (
        <TextInput
          type="url"
          label={t('composer.options.link')}
          description={t('composer.options.linkHint')}
          value={o.link}
          error={optionError('link')}
          readOnly={p.readOnly}
          onChange={(ev) => p.setOverride('facebook', 'link', ev.currentTarget.value)}
          data-testid="option-link"
        />
      )}
      {p.platform === 'x' && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('composer.options.thread')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('composer.options.threadHint')}
          </Text>
          {o.thread.map((part, i) => (
            <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
              <Textarea
                style={{ flex: 1 }}
                aria-label={t('composer.options.threadPart', { n: i + 2 })}
                autosize
                minRows={2}
                value={part}
                readOnly={p.readOnly}
                onChange={(ev) => {
                  const value = ev.currentTarget.value;
                  p.setOverride('x', 'thread', o.thread.map((x, j) => (j === i ? value : x)));
                }}
                error={
                  partProblems.get(i)?.map((pr) => problemText(i18n, pr)).join(' ') ||
                  (countText('x', part).over > 0 ? t('composer.options.threadTooLong', { n: i + 2 }) : undefined)
                }
              />
              <ActionIcon size={44} variant="filled" color="red.8" aria-label={t('composer.options.threadRemove', { n: i + 2 })} onClick={() => p.setOverride('x', 'thread', o.thread.filter((_, j) => j !== i))}>
                <IconTrash size={18} />
              </ActionIcon>
            </Group>
          ))}
          <Group>
            <Button size="compact-md" mih={44} variant="light" leftSection={<IconPlus size={16} />} disabled={p.readOnly} onClick={() => p.setOverride('x', 'thread', [...o.thread, ''])}>
              {t('composer.options.threadAdd')}
            </Button>
          </Group>
        </Stack>
      )}
      {otherOptionProblems.length > 0 && (
        <Stack gap={2} role="alert" data-testid={`option-problems-${p.platform}`}>
          {otherOptionProblems.map((pr, i) => (
            <Text key={i} size="sm" c="red.8" data-rule={pr.rule}>
              {problemText(i18n, pr)}
            </Text>
          ))}
        </Stack>
      )}
      <WritingFindings
        findings={findings}
        onApply={(f) => p.onApply(p.platform, f, e.own.text)}
        onDismiss={(f) => p.onDismiss(findingId(p.platform, f.rule, f.excerpt))}
        testId={`findings-${p.platform}`}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('composer.preview.title', { platform: name })}
        </Text>
        <Preview
          data={{
            platform: p.platform,
            handle: first?.handle ?? '',
            name: first?.display_name || first?.handle?.replace(/^@/, '') || name,
            text: composed,
            media: e.media,
            firstComment: e.firstComment,
            link: e.link,
            thread: e.thread,
          }}
        />
      </Stack>
    </Stack>
  );
}
