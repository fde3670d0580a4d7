import { Checkbox, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../api/types';
import { PlatformIcon, SandboxBadge } from '../../components/Badges';
import { network } from '../../platforms';
import { PLATFORM_ORDER } from './model';

/** The unit's accounts grouped by platform; a disabled account can be kept but not newly chosen. */
export function AccountPicker({
  accounts,
  value,
  onChange,
  error,
  readOnly,
}: {
  accounts: Account[];
  value: number[];
  onChange: (ids: number[]) => void;
  error?: string;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const toggle = (id: number, on: boolean) => onChange(on ? [...value, id] : value.filter((x) => x !== id));
  return (
    <Stack gap="xs" data-field="accountIds" data-testid="form-accounts">
      <Text size="sm" fw={500} id="accounts-label">
        {t('form.accounts')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('composer.accountsHint')}
      </Text>
      <Group align="flex-start" gap="xl" role="group" aria-labelledby="accounts-label">
        {PLATFORM_ORDER.map((platform) => {
          const list = accounts.filter((a) => a.platform === platform);
          if (list.length === 0) return null;
          return (
            <Stack key={platform} gap={0} miw={180}>
              <Group gap={6} mb={4}>
                <PlatformIcon platform={platform} size={16} />
                <Text size="sm" fw={600}>
                  {t(network(platform).labelKey)}
                </Text>
              </Group>
              {list.map((a) => {
                const checked = value.includes(a.id);
                return (
                  <Checkbox
                    key={a.id}
                    checked={checked}
                    disabled={readOnly || (a.status === 'disabled' && !checked)}
                    onChange={(e) => toggle(a.id, e.currentTarget.checked)}
                    styles={{ body: { minHeight: 44, alignItems: 'center' } }}
                    data-testid={`account-${platform}-${a.id}`}
                    label={
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm">
                          {a.handle}
                          {a.status === 'disabled' ? ` (${t('form.disabledAccount')})` : ''}
                        </Text>
                        {a.sandbox && <SandboxBadge />}
                      </Group>
                    }
                  />
                );
              })}
            </Stack>
          );
        })}
      </Group>
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
