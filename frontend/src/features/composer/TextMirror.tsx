import { Box, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export interface Span {
  start: number;
  end: number;
}

/**
 * The text as read-only copy with the overflow highlighted and writing findings underlined:
 * a textarea cannot style parts of its value, so the marks sit just below it.
 */
export function TextMirror({ text, overflowAt, spans, testId }: { text: string; overflowAt: number | null; spans: Span[]; testId?: string }) {
  const { t } = useTranslation();
  if (overflowAt === null && spans.length === 0) return null;
  const cuts = new Set<number>([0, text.length]);
  if (overflowAt !== null) cuts.add(overflowAt);
  for (const s of spans) {
    cuts.add(Math.min(s.start, text.length));
    cuts.add(Math.min(s.end, text.length));
  }
  const points = Array.from(cuts).sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < points.length - 1; i++) {
    const [a, b] = [points[i], points[i + 1]];
    if (a === b) continue;
    const overflow = overflowAt !== null && a >= overflowAt;
    const flagged = spans.some((s) => s.start <= a && b <= s.end);
    const piece = text.slice(a, b);
    if (overflow) {
      parts.push(
        <mark key={a} data-overflow="true" style={{ background: '#ffe3e3', color: '#8a1c1c', textDecoration: flagged ? 'underline wavy #b35c00' : undefined }}>
          {piece}
        </mark>,
      );
    } else if (flagged) {
      parts.push(
        <span key={a} style={{ textDecoration: 'underline wavy #b35c00', textUnderlineOffset: 3 }}>
          {piece}
        </span>,
      );
    } else parts.push(<span key={a}>{piece}</span>);
  }
  return (
    <Box data-testid={testId}>
      <Text size="xs" c="dimmed" mb={2}>
        {overflowAt !== null ? t('composer.mirror.overflow') : t('composer.mirror.findings')}
      </Text>
      <Text
        size="sm"
        style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6, padding: 8 }}
      >
        {parts}
      </Text>
    </Box>
  );
}
