import { useState } from 'react';
import { Alert, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Platform } from '../../api/types';
import { useCan } from '../../app/permissions';
import { useUnits } from '../../app/useSession';
import { QueryState } from '../../components/QueryState';
import { sortAccounts } from '../../lib/accounts';
import { AccountCard } from './AccountCard';
import { ConnectPanel } from './ConnectPanel';
import { ConnectResultPanel } from './ConnectResult';
import { leaveTo } from './leave';
import { useAccounts, useStartConnect } from './queries';
import { SpendPanel } from './SpendPanel';


interface Props {
  /** The connection the platform sent the admin back from (`/accounts?connect=<id>`). */
  connectId?: string;
  onConnectClosed?: () => void;
}

export function AccountsPage({ connectId, onConnectClosed }: Props) {
  const { t } = useTranslation();
  const { unit } = useUnits();
  const accounts = useAccounts(unit?.id);
  const start = useStartConnect();
  const [starting, setStarting] = useState<{ platform: Platform; accountId?: number } | null>(null);
  const items = sortAccounts(accounts.data?.items ?? []);
  const anySandbox = items.some((a) => a.sandbox);
  // Unit admins add, reconnect, disconnect and disable accounts, and cap the unit's X spend.
  const canManage = useCan('manage_accounts');
  const timeZone = unit?.timezone ?? 'Asia/Jakarta';

  const connect = (platform: Platform, accountId?: number) => {
    if (!unit) return;
    setStarting({ platform, accountId });
    start.mutate(
      { unit_id: unit.id, platform, ...(accountId !== undefined ? { account_id: accountId } : {}) },
      {
        // The platform's login page; it sends the admin back to /accounts?connect=<id>.
        onSuccess: (started) => leaveTo(started.authorize_url),
        onError: () => setStarting(null),
      },
    );
  };

  return (
    <Stack gap="md">
      <div>
        <Title order={2}>{t('accounts.title')}</Title>
        {unit && (
          <Text c="dimmed" size="sm">
            {t('accounts.subtitle', { unit: unit.name })}
          </Text>
        )}
      </div>
      {connectId && <ConnectResultPanel connectId={connectId} onClose={() => onConnectClosed?.()} />}
      {anySandbox && (
        <Alert color="grape" variant="light" icon={<IconFlask size={18} />} data-testid="sandbox-hint">
          {t('sandbox.hint')}
        </Alert>
      )}
      {unit && canManage && (
        <ConnectPanel
          unitId={unit.id}
          onConnect={(platform) => connect(platform)}
          starting={starting && starting.accountId === undefined ? starting.platform : null}
          error={start.error}
        />
      )}
      <QueryState isLoading={accounts.isLoading} error={accounts.error} onRetry={() => void accounts.refetch()}>
        {items.length === 0 ? (
          <Text c="dimmed">{t('accounts.empty')}</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="sm" data-testid="accounts-cards">
            {items.map((account) => (
              <AccountCard
                key={account.id}
                account={account}
                timeZone={timeZone}
                canManage={canManage}
                reconnecting={starting?.accountId === account.id}
                onReconnect={(a) => connect(a.platform, a.id)}
              />
            ))}
          </SimpleGrid>
        )}
      </QueryState>
      {unit && <SpendPanel unitId={unit.id} canEditCap={canManage} />}
    </Stack>
  );
}
