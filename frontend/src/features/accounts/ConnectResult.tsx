import { useEffect } from 'react';
import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconPlugConnectedX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errorMessage';
import { network } from '../../platforms';
import { PagePicker } from './PagePicker';
import { accountKeys, useChooseConnect, useConnectResult } from './queries';
import type { ConnectResult } from './types';

/** The failure of a connection in words, by its stable code; the server's text fills in details. */
export function connectErrorText(t: TFunction, error: NonNullable<ConnectResult['error']>, platform: string): string {
  return t(`accounts.connectErrors.${error.code}`, { platform, detail: error.message, defaultValue: error.message });
}

interface Props {
  connectId: string;
  onClose: () => void;
}

/** Where the platform sends the admin back to: waits for the result, offers the Page picker, shows the outcome. */
export function ConnectResultPanel({ connectId, onClose }: Props) {
  const { t } = useTranslation();
  const result = useConnectResult(connectId);
  const choose = useChooseConnect(connectId);
  const data = result.data;
  const queryClient = useQueryClient();
  const finished = data?.status === 'done' ? data.unit_id : null;
  // The list was read when the page opened, possibly before the platform answered.
  useEffect(() => {
    if (finished !== null) void queryClient.invalidateQueries({ queryKey: accountKeys.list(finished) });
  }, [finished, queryClient]);
  const platformName = data ? t(network(data.platform).labelKey) : '';

  let body;
  if (result.isLoading) {
    body = <Loader size="sm" aria-label={t('app.loading')} />;
  } else if (data?.status === 'pending') {
    body = (
      <Group gap="sm" data-testid="connect-pending">
        <Loader size="sm" />
        <Text size="sm">{t('accounts.connect.pending', { platform: platformName })}</Text>
      </Group>
    );
  } else if (result.error || !data) {
    body = (
      <Alert color="red" role="alert" data-testid="connect-failed">
        {errorMessage(t, result.error)}
      </Alert>
    );
  } else if (data.status === 'failed') {
    body = (
      <Alert
        color="red"
        role="alert"
        icon={<IconPlugConnectedX size={18} />}
        title={t('accounts.connect.failed', { platform: platformName })}
        data-testid="connect-failed"
      >
        {data.error ? connectErrorText(t, data.error, network(data.platform === 'x' ? 'x' : 'facebook').name) : t('accounts.connect.failedUnknown')}
      </Alert>
    );
  } else if (data.status === 'choose') {
    body = (
      <PagePicker
        choices={data.choices}
        choosing={choose.isPending}
        error={choose.error}
        onChoose={(ids) => choose.mutate(ids)}
      />
    );
  } else {
    body = (
      <Alert color="green" icon={<IconCircleCheck size={18} />} title={t('accounts.connect.done')} data-testid="connect-done">
        <Stack gap={2}>
          {data.accounts.map((a) => (
            <Text size="sm" key={a.id}>
              {t(network(a.platform).labelKey)}: {a.display_name} ({a.handle})
            </Text>
          ))}
        </Stack>
      </Alert>
    );
  }

  return (
    <Card withBorder padding="md" data-testid="connect-result" data-status={data?.status ?? (result.error ? 'error' : 'loading')}>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('accounts.connect.resultTitle')}
        </Title>
        {body}
        {data?.status !== 'pending' && data?.status !== 'choose' && !result.isLoading && (
          <Group>
            <Button variant="default" size="xs" onClick={onClose} data-testid="connect-close">
              {t('accounts.connect.close')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
