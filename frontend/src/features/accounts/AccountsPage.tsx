import { Alert, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconFlask } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { useUnits } from '../../app/useSession';
import { AccountStatusBadge, PlatformLabel, SandboxBadge } from '../../components/Badges';
import { QueryState } from '../../components/QueryState';
import { sortAccounts } from '../../lib/accounts';

export function AccountsPage() {
  const { t } = useTranslation();
  const { unit } = useUnits();
  const isPhone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const accounts = useQuery({
    queryKey: ['accounts', unit?.id],
    queryFn: () => api.accounts(unit!.id),
    enabled: Boolean(unit),
  });
  const items = sortAccounts(accounts.data?.items ?? []);
  const anySandbox = items.some((a) => a.sandbox);

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
      {anySandbox && (
        <Alert color="grape" variant="light" icon={<IconFlask size={18} />}>
          {t('sandbox.hint')}
        </Alert>
      )}
      <QueryState isLoading={accounts.isLoading} error={accounts.error} onRetry={() => void accounts.refetch()}>
        {items.length === 0 ? (
          <Text c="dimmed">{t('accounts.empty')}</Text>
        ) : isPhone ? (
          <Stack gap="sm" data-testid="accounts-cards">
            {items.map((account) => (
              <Card key={account.id} withBorder padding="sm" data-testid="account-card">
                <Group justify="space-between" wrap="nowrap">
                  <PlatformLabel platform={account.platform} />
                  {account.sandbox && <SandboxBadge />}
                </Group>
                <Text fw={600} mt={6}>
                  {account.display_name}
                </Text>
                <Text size="sm" c="dimmed">
                  {account.handle}
                </Text>
                <Group mt={6}>
                  <AccountStatusBadge status={account.status} />
                </Group>
              </Card>
            ))}
          </Stack>
        ) : (
          <Table striped highlightOnHover data-testid="accounts-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('accounts.platform')}</Table.Th>
                <Table.Th>{t('accounts.handle')}</Table.Th>
                <Table.Th>{t('accounts.name')}</Table.Th>
                <Table.Th>{t('accounts.status')}</Table.Th>
                <Table.Th>{t('accounts.type')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((account) => (
                <Table.Tr key={account.id} data-testid="account-row">
                  <Table.Td>
                    <PlatformLabel platform={account.platform} />
                  </Table.Td>
                  <Table.Td>{account.handle}</Table.Td>
                  <Table.Td>{account.display_name}</Table.Td>
                  <Table.Td>
                    <AccountStatusBadge status={account.status} />
                  </Table.Td>
                  <Table.Td>{account.sandbox ? <SandboxBadge /> : <Text size="sm">{t('accounts.live')}</Text>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryState>
    </Stack>
  );
}
