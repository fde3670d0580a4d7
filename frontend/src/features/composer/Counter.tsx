import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../../api/types';
import { network } from '../../platforms';
import { type Count, overflowHint } from './counters';

const nf = (lang: string) => new Intl.NumberFormat(lang.startsWith('en') ? 'en-GB' : 'id-ID');

/** Length against the platform's limit, hashtags and mentions, and the writing score beside it. */
export function Counter({ count, score, dirty }: { count: Count; score: number | null; dirty: boolean }) {
  const { t, i18n } = useTranslation();
  const f = nf(i18n.language);
  // Nothing turns red before the user typed.
  const over = dirty && count.over > 0;
  const near = dirty && !over && count.length > count.max * 0.9;
  const hint = dirty ? overflowHint(count) : null;
  return (
    <Group gap="xs" justify="space-between" wrap="wrap" align="flex-start">
      <Text size="sm" c={over ? 'red.8' : 'dimmed'} fw={over ? 700 : 400} role="status">
        {hint ? t(hint.key, hint.values) : ''}
      </Text>
      <Group gap="xs" wrap="wrap">
        {count.hashtags > 0 && (
          <Text size="xs" c={count.maxHashtags && count.hashtags > count.maxHashtags ? 'red.8' : 'dimmed'}>
            {count.maxHashtags
              ? t('composer.counter.hashtags', { count: count.hashtags, max: count.maxHashtags })
              : t('composer.counter.hashtagsFree', { count: count.hashtags })}
          </Text>
        )}
        {count.mentions > 0 && (
          <Text size="xs" c={count.maxMentions && count.mentions > count.maxMentions ? 'red.8' : 'dimmed'}>
            {t('composer.counter.mentions', { count: count.mentions })}
          </Text>
        )}
        {score !== null && (
          <Tooltip label={t('composer.writing.scoreHint')}>
            <Badge
              variant="filled"
              color={score >= 80 ? 'teal.9' : score >= 60 ? 'yellow.9' : 'orange.9'}
              data-testid={`score-${count.platform}`}
            >
              {t('composer.writing.score', { score })}
            </Badge>
          </Tooltip>
        )}
        <Text
          size="sm"
          fw={over ? 700 : 500}
          c={over ? 'red.8' : near ? 'orange.9' : 'dimmed'}
          data-testid={`counter-${count.platform}`}
          data-over={over ? 'true' : 'false'}
          aria-live="polite"
        >
          {t('form.counter', { platform: network(count.platform as Platform).name, length: f.format(count.length), max: f.format(count.max) })}
        </Text>
      </Group>
    </Group>
  );
}
