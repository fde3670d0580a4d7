import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Finding } from './queries';

function pick(lang: string, b: { id: string; en: string }): string {
  return lang.startsWith('en') ? b.en : b.id;
}

/** The writing check's findings for one variant: why, a plainer version, apply or dismiss. */
export function WritingFindings({
  findings,
  onApply,
  onDismiss,
  testId,
}: {
  findings: Finding[];
  onApply: (f: Finding) => void;
  onDismiss: (f: Finding) => void;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  if (findings.length === 0) return null;
  return (
    <Stack gap="xs" data-testid={testId} aria-label={t('composer.writing.title')}>
      <Text size="sm" fw={600}>
        {t('composer.writing.title')}
      </Text>
      {findings.map((f, i) => (
        <Paper key={`${f.rule}-${f.start}-${i}`} withBorder p="xs" data-testid="finding" data-rule={f.rule}>
          <Stack gap={4}>
            <Text size="sm">
              <b>“{f.excerpt}”</b> — {pick(i18n.language, f.message)}
            </Text>
            <Text size="xs" c="dimmed">
              {pick(i18n.language, f.why)}
            </Text>
            <Text size="sm">
              {pick(i18n.language, f.suggestion)}
              {f.replacement !== null && f.replacement !== undefined && (
                <>
                  {' '}
                  → <b>{f.replacement === '' ? t('composer.writing.remove') : `“${f.replacement}”`}</b>
                </>
              )}
            </Text>
            <Group gap="xs">
              {f.replacement !== null && f.replacement !== undefined && f.target === 'text' && (
                <Button size="compact-md" mih={44} variant="light" onClick={() => onApply(f)} data-testid="finding-apply">
                  {t('composer.writing.apply')}
                </Button>
              )}
              <Button size="compact-md" mih={44} variant="subtle" color="gray.8" onClick={() => onDismiss(f)} data-testid="finding-dismiss">
                {t('composer.writing.dismiss')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

/** UTF-16 index of a code-point offset (the API counts code points). */
export function utf16Index(text: string, codePoints: number): number {
  let index = 0;
  for (let n = 0; n < codePoints && index < text.length; n++) {
    const code = text.codePointAt(index) ?? 0;
    index += code > 0xffff ? 2 : 1;
  }
  return index;
}

/** The text with a finding's replacement applied, or null when the text moved on since the check. */
export function applyFinding(text: string, f: Pick<Finding, 'start' | 'end' | 'excerpt' | 'replacement'>): string | null {
  if (f.replacement === null || f.replacement === undefined) return null;
  const start = utf16Index(text, f.start);
  const end = utf16Index(text, f.end);
  const span = text.slice(start, end);
  if (!f.excerpt || !span.toLowerCase().startsWith(f.excerpt.toLowerCase().slice(0, 200))) return null;
  let next = text.slice(0, start) + f.replacement + text.slice(end);
  // Removing a phrase should not leave a double space.
  if (f.replacement === '') next = next.slice(0, start).replace(/ $/, '') + next.slice(start).replace(/^ (?= )/, '');
  return next;
}
