import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AccountStatus, Platform, PostStatus } from '../api/types';
import { network } from '../platforms';

const NO_SHRINK = { flexShrink: 0, maxWidth: 'none', overflow: 'visible' } as const;
// A badge's label clips with an ellipsis, which lets a table column shrink it to "DR…": a
// status is short, so it always shows whole.
const WHOLE_LABEL = { label: { overflow: 'visible', textOverflow: 'clip' } } as const;

export function PlatformIcon({ platform, size = 18 }: { platform: Platform; size?: number }) {
  const Icon = network(platform).icon;
  return <Icon size={size} stroke={1.7} aria-hidden />;
}

export function PlatformLabel({ platform }: { platform: Platform }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap" c={network(platform).color}>
      <PlatformIcon platform={platform} />
      <Text size="sm" fw={500}>
        {t(network(platform).labelKey)}
      </Text>
    </Group>
  );
}

export function SandboxBadge() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('sandbox.hint')} multiline w={260} withArrow>
      <Badge
        color="grape"
        variant="light"
        leftSection={<IconFlask size={12} />}
        style={NO_SHRINK}
        styles={WHOLE_LABEL}
        data-testid="sandbox-badge"
      >
        {t('sandbox.badge')}
      </Badge>
    </Tooltip>
  );
}

const POST_STATUS_COLORS: Record<PostStatus, string> = {
  draft: 'gray',
  in_review: 'yellow',
  approved: 'teal',
  scheduled: 'indigo',
  publishing: 'cyan',
  published: 'green',
  failed: 'red',
  unconfirmed: 'orange',
};

export function PostStatusBadge({ status }: { status: PostStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={POST_STATUS_COLORS[status] ?? 'gray'} variant="light" style={NO_SHRINK} styles={WHOLE_LABEL}>
      {t(`status.${status}`, { defaultValue: status })}
    </Badge>
  );
}

const ACCOUNT_STATUS_COLORS: Record<AccountStatus, string> = {
  active: 'green',
  needs_reauth: 'orange',
  disabled: 'gray',
};

export function AccountStatusBadge({ status }: { status: AccountStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={ACCOUNT_STATUS_COLORS[status] ?? 'gray'} variant="dot" style={NO_SHRINK} styles={WHOLE_LABEL}>
      {t(`accountStatus.${status}`, { defaultValue: status })}
    </Badge>
  );
}

/** A variant's platform with its status, e.g. on a post card. */
export function VariantChip({ platform, status }: { platform: Platform; status: PostStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      variant="outline"
      color={POST_STATUS_COLORS[status] ?? 'gray'}
      leftSection={<PlatformIcon platform={platform} size={12} />}
      title={`${t(network(platform).labelKey)}: ${t(`status.${status}`, { defaultValue: status })}`}
      style={NO_SHRINK}
      styles={WHOLE_LABEL}
    >
      {t(`status.${status}`, { defaultValue: status })}
    </Badge>
  );
}
