import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconClockHour4, IconGauge, IconKey } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/time';
import { formatNumber, formatRelative } from './format';
import { figures, healthOf, rateLimited, tokenState, type Health } from './health';
import type { AccountInfo, RateLimit } from './types';

const HEALTH_COLORS: Record<Health, string> = {
  connected: 'green',
  simulated: 'grape',
  needs_reauth: 'orange',
  not_connected: 'yellow',
  disabled: 'gray',
};

export function HealthBadge({ account }: { account: AccountInfo }) {
  const { t } = useTranslation();
  const health = healthOf(account);
  return (
    <Badge color={HEALTH_COLORS[health]} variant="light" data-testid="health-badge" data-health={health}>
      {t(`accounts.health.${health}`)}
    </Badge>
  );
}

interface Props {
  account: AccountInfo;
  timeZone: string;
  now?: Date;
}

/** Absolute time in the unit's zone with the relative one: "12 Mar 2026 09.30 WIB (dalam 3 hari)". */
function When({ iso, timeZone, now }: { iso: string; timeZone: string; now?: Date }) {
  const { i18n } = useTranslation();
  return (
    <>
      {formatDateTime(iso, timeZone, i18n.language)} ({formatRelative(iso, i18n.language, now)})
    </>
  );
}

function TokenLine({ account, timeZone, now }: Props) {
  const { t } = useTranslation();
  if (account.sandbox || !account.connected) return null;
  const state = tokenState(account, now);
  if (state === 'none') {
    return (
      <Text size="sm" c="dimmed" data-testid="token-expiry">
        {t('accounts.token.noExpiry')}
      </Text>
    );
  }
  return (
    <Text size="sm" c={state === 'expired' ? 'red' : undefined} data-testid="token-expiry">
      {t(state === 'expired' ? 'accounts.token.expired' : 'accounts.token.expires')}{' '}
      <When iso={account.token_expires_at!} timeZone={timeZone} now={now} />
    </Text>
  );
}

function RateLimitLine({ reading, timeZone, now }: { reading: RateLimit; timeZone: string; now?: Date }) {
  const { t, i18n } = useTranslation();
  const limited = rateLimited(reading, now);
  const limit = figures(reading);
  const parts: string[] = [];
  if (limit.remaining !== null) {
    parts.push(
      limit.limit !== null
        ? t('accounts.rateLimit.remainingOf', {
            remaining: formatNumber(limit.remaining, i18n.language),
            limit: formatNumber(limit.limit, i18n.language),
          })
        : t('accounts.rateLimit.remaining', { remaining: formatNumber(limit.remaining, i18n.language) }),
    );
  }
  if (limit.resets_at) {
    parts.push(t('accounts.rateLimit.resets', { at: formatDateTime(limit.resets_at, timeZone, i18n.language) }));
  }
  return (
    <Stack gap={4} data-testid="rate-limit" data-limited={limited}>
      <Text size="sm" c={limited ? 'red' : undefined}>
        {limited ? t('accounts.rateLimit.waiting') : t('accounts.rateLimit.title')}
        {parts.length > 0 && `: ${parts.join(' · ')}`}
      </Text>
      {limit.usage_pct !== null && (
        <Group gap="xs" wrap="nowrap">
          <Progress
            value={Math.min(100, limit.usage_pct)}
            color={limit.usage_pct >= 90 ? 'red' : limit.usage_pct >= 75 ? 'orange' : 'blue'}
            w={120}
            aria-label={t('accounts.rateLimit.usage', { pct: Math.round(limit.usage_pct) })}
          />
          <Text size="xs" c="dimmed">
            {t('accounts.rateLimit.usage', { pct: Math.round(limit.usage_pct) })}
          </Text>
        </Group>
      )}
    </Stack>
  );
}

/** Token expiry, last error and rate-limit state of one account. */
export function AccountHealthDetails({ account, timeZone, now }: Props) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap={6}>
      <Group gap={6} wrap="nowrap" align="flex-start">
        <IconKey size={16} style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
        {account.sandbox ? (
          <Text size="sm" c="grape" data-testid="simulated-note">
            {t('accounts.simulated')}
          </Text>
        ) : account.connected ? (
          <TokenLine account={account} timeZone={timeZone} now={now} />
        ) : (
          <Text size="sm" c="dimmed" data-testid="token-expiry">
            {t('accounts.token.missing')}
          </Text>
        )}
      </Group>
      {account.last_error && (
        <Group gap={6} wrap="nowrap" align="flex-start" data-testid="last-error">
          <IconAlertTriangle size={16} color="var(--mantine-color-red-6)" style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {t('accounts.lastError')}: {account.last_error}
            {account.last_error_at && (
              <Text span size="xs" c="dimmed">
                {' '}
                ({formatDateTime(account.last_error_at, timeZone, i18n.language)})
              </Text>
            )}
          </Text>
        </Group>
      )}
      {account.rate_limit && (
        <Group gap={6} wrap="nowrap" align="flex-start">
          <IconGauge size={16} style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
          <RateLimitLine reading={account.rate_limit} timeZone={timeZone} now={now} />
        </Group>
      )}
      {account.rate_limit?.observed_at && (
        <Group gap={6} wrap="nowrap">
          <IconClockHour4 size={16} style={{ flexShrink: 0 }} aria-hidden />
          <Text size="xs" c="dimmed">
            {t('accounts.rateLimit.observed', { when: formatRelative(account.rate_limit.observed_at, i18n.language, now) })}
          </Text>
        </Group>
      )}
    </Stack>
  );
}
