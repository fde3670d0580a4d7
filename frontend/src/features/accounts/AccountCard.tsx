import { Avatar, Button, Card, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlugConnected, IconPlugConnectedX, IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { PlatformLabel, SandboxBadge } from '../../components/Badges';
import { errorMessage } from '../../lib/errorMessage';
import { network } from '../../platforms';
import { AccountHealthDetails, HealthBadge } from './AccountHealth';
import { canReconnect, healthOf } from './health';
import { useDisconnect, useSetEnabled } from './queries';
import type { AccountInfo } from './types';

interface Props {
  account: AccountInfo;
  timeZone: string;
  canManage: boolean;
  /** Sends the admin through the platform's login again for this account. */
  onReconnect: (account: AccountInfo) => void;
  reconnecting?: boolean;
}

export function AccountCard({ account, timeZone, canManage, onReconnect, reconnecting }: Props) {
  const { t } = useTranslation();
  const [confirming, confirm] = useDisclosure(false);
  const disconnect = useDisconnect(account.unit_id);
  const setEnabled = useSetEnabled(account.unit_id);
  const health = healthOf(account);
  const urgent = health === 'needs_reauth' || health === 'not_connected';
  const Icon = network(account.platform).icon;
  const fail = (error: unknown) => notifications.show({ color: 'red', message: errorMessage(t, error) });

  return (
    // The id is the target of links to one account (the dashboard's dormant-account alert).
    <Card withBorder padding="sm" data-testid="account-card" data-account-id={account.id} id={`account-${account.id}`}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <PlatformLabel platform={account.platform} />
          {account.sandbox && <SandboxBadge />}
        </Group>
        <Group wrap="nowrap" gap="sm">
          <Avatar src={account.avatar_url} alt="" radius="xl" color={network(account.platform).color}>
            <Icon size={20} aria-hidden />
          </Avatar>
          <div style={{ minWidth: 0 }}>
            <Text fw={600} truncate>
              {account.display_name}
            </Text>
            <Text size="sm" c="dimmed" truncate>
              {account.handle}
            </Text>
          </div>
        </Group>
        <Group gap="xs">
          <HealthBadge account={account} />
        </Group>
        <AccountHealthDetails account={account} timeZone={timeZone} />
        {canManage && (
          <Group gap="xs" mt={4}>
            {canReconnect(account) && (
              <Button
                size="xs"
                variant={urgent ? 'filled' : 'default'}
                color={urgent ? 'orange' : undefined}
                leftSection={<IconPlugConnected size={14} />}
                loading={reconnecting}
                onClick={() => onReconnect(account)}
                data-testid="account-reconnect"
              >
                {t('accounts.actions.reconnect')}
              </Button>
            )}
            {account.status === 'disabled' ? (
              <Button
                size="xs"
                variant="default"
                leftSection={<IconPlayerPlay size={14} />}
                loading={setEnabled.isPending}
                onClick={() => setEnabled.mutate({ id: account.id, enabled: true }, { onError: fail })}
                data-testid="account-enable"
              >
                {t('accounts.actions.enable')}
              </Button>
            ) : (
              <Button
                size="xs"
                variant="default"
                leftSection={<IconPlayerPause size={14} />}
                loading={setEnabled.isPending}
                onClick={() => setEnabled.mutate({ id: account.id, enabled: false }, { onError: fail })}
                data-testid="account-disable"
              >
                {t('accounts.actions.disable')}
              </Button>
            )}
            {!account.sandbox && account.connected && (
              <Button
                size="xs"
                variant="subtle"
                color="red"
                leftSection={<IconPlugConnectedX size={14} />}
                onClick={confirm.open}
                data-testid="account-disconnect"
              >
                {t('accounts.actions.disconnect')}
              </Button>
            )}
          </Group>
        )}
      </Stack>
      <Modal opened={confirming} onClose={confirm.close} title={t('accounts.actions.disconnectTitle')} centered>
        <Stack>
          <Text size="sm">
            {t('accounts.actions.disconnectConfirm', { handle: account.handle, platform: network(account.platform).name })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={confirm.close}>
              {t('form.cancel')}
            </Button>
            <Button
              color="red"
              loading={disconnect.isPending}
              data-testid="account-disconnect-confirm"
              onClick={() =>
                disconnect.mutate(account.id, {
                  onSuccess: () => {
                    confirm.close();
                    notifications.show({ color: 'gray', message: t('accounts.actions.disconnected', { handle: account.handle }) });
                  },
                  onError: fail,
                })
              }
            >
              {t('accounts.actions.disconnect')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
