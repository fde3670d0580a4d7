import { useState } from 'react';
import { Button, Card, Group, NumberInput, Stack, Switch, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../../components/QueryState';
import { errorMessage, fieldMessages } from '../../../lib/errorMessage';
import { type InboxSettings, useInboxSettings, useUpdateInboxSettings } from './queries';

const TALL = { input: { minHeight: 44 } } as const;

function SettingsForm({ unitId, initial, canManage }: { unitId: number; initial: InboxSettings; canManage: boolean }) {
  const { t } = useTranslation();
  const update = useUpdateInboxSettings(unitId);
  const [hours, setHours] = useState<number | string>(initial.response_target_hours);
  const [approval, setApproval] = useState(initial.answers_need_approval);
  const [days, setDays] = useState<number | string>(initial.retention_days);
  const [saved, setSaved] = useState(false);
  const fields = fieldMessages(t, update.error);
  const submit = async () => {
    setSaved(false);
    try {
      await update.mutateAsync({
        response_target_hours: Number(hours),
        answers_need_approval: approval,
        retention_days: Number(days),
      });
      setSaved(true);
    } catch {
      // shown below
    }
  };
  return (
  <Card withBorder padding="sm">
    <Stack gap="md">
      <NumberInput
        styles={TALL}
        label={t('inboxAdmin.settings.target')}
        description={t('inboxAdmin.settings.targetHelp')}
        value={hours}
        onChange={setHours}
        min={1}
        max={720}
        allowDecimal={false}
        disabled={!canManage}
        error={fields.response_target_hours}
        data-testid="settings-target"
      />
      <Switch
        label={t('inboxAdmin.settings.approval')}
        description={t('inboxAdmin.settings.approvalHelp')}
        checked={approval}
        onChange={(e) => setApproval(e.currentTarget.checked)}
        disabled={!canManage}
        size="md"
        styles={{ body: { alignItems: 'center', minHeight: 44 } }}
        data-testid="settings-approval"
      />
      <NumberInput
        styles={TALL}
        label={t('inboxAdmin.settings.retention')}
        description={t('inboxAdmin.settings.retentionHelp')}
        value={days}
        onChange={setDays}
        min={30}
        max={3650}
        allowDecimal={false}
        thousandSeparator="."
        decimalSeparator=","
        disabled={!canManage}
        error={fields.retention_days}
        data-testid="settings-retention"
      />
      {update.error && !Object.keys(fields).length && (
        <Text size="sm" c="red" role="alert">
          {errorMessage(t, update.error)}
        </Text>
      )}
      {canManage && (
        <Group>
          <Button onClick={() => void submit()} loading={update.isPending} mih={44} data-testid="settings-save">
            {t('inboxAdmin.save')}
          </Button>
          {saved && (
            <Text size="sm" c="green.9" role="status" data-testid="settings-saved">
              {t('inboxAdmin.settings.saved')}
            </Text>
          )}
        </Group>
      )}
    </Stack>
  </Card>
  );
}

export function InboxSettingsPanel({ unitId, canManage }: { unitId: number; canManage: boolean }) {
  const { t } = useTranslation();
  const current = useInboxSettings(unitId);
  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        {t('inboxAdmin.settings.title')}
      </Title>
      {!canManage && <Text size="sm">{t('inboxAdmin.settings.readOnly')}</Text>}
      <QueryState isLoading={current.isLoading} error={current.error} onRetry={() => void current.refetch()}>
        {current.data && <SettingsForm unitId={unitId} initial={current.data} canManage={canManage} />}
      </QueryState>
    </Stack>
  );
}
