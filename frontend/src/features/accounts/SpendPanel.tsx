import { useState } from 'react';
import { Alert, Button, Card, Group, NumberInput, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconBrandX, IconPlayerPause } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/QueryState';
import { errorMessage, fieldMessage } from '../../lib/errorMessage';
import { formatMonth, formatNumber, formatUsd } from './format';
import { useSetXSpendCap, useXSpend } from './queries';
import type { XSpend } from './types';

/** Share of the cap used, for the bar (0–100). */
export function capShare(spend: Pick<XSpend, 'estimated_usd' | 'cap_usd'>): number | null {
  if (spend.cap_usd === null) return null;
  if (spend.cap_usd <= 0) return 100;
  return Math.min(100, (spend.estimated_usd / spend.cap_usd) * 100);
}

function CapEditor({ unitId, cap }: { unitId: number; cap: number | null }) {
  const { t } = useTranslation();
  const save = useSetXSpendCap(unitId);
  const [value, setValue] = useState<number | string>(cap ?? '');
  const fieldError = fieldMessage(t, save.error, 'cap_usd');
  const parsed = typeof value === 'number' ? value : value.trim() === '' ? null : Number(value);
  const invalid = parsed !== null && (Number.isNaN(parsed) || parsed < 0);

  return (
    <Stack gap="xs" data-testid="spend-cap-editor">
      <Group align="flex-end" gap="xs">
        <NumberInput
          label={t('xSpend.capLabel')}
          description={t('xSpend.capHint')}
          value={value}
          onChange={setValue}
          min={0}
          decimalScale={2}
          prefix="$ "
          allowNegative={false}
          w={200}
          error={invalid ? t('xSpend.capInvalid') : fieldError}
          data-testid="spend-cap-input"
        />
        <Button
          loading={save.isPending && save.variables !== null}
          disabled={invalid}
          onClick={() => save.mutate(parsed)}
          data-testid="spend-cap-save"
        >
          {t('xSpend.capSave')}
        </Button>
        {cap !== null && (
          <Button
            variant="subtle"
            color="gray"
            loading={save.isPending && save.variables === null}
            onClick={() => save.mutate(null, { onSuccess: () => setValue('') })}
            data-testid="spend-cap-clear"
          >
            {t('xSpend.capClear')}
          </Button>
        )}
      </Group>
      {save.error && !fieldError && (
        <Text size="sm" c="red" role="alert">
          {errorMessage(t, save.error)}
        </Text>
      )}
    </Stack>
  );
}

/** This month's estimated X spend of the unit, its cap, and what the cap has paused. */
export function SpendPanel({ unitId, canEditCap }: { unitId: number; canEditCap: boolean }) {
  const { t, i18n } = useTranslation();
  const spend = useXSpend(unitId);
  const data = spend.data;
  const lang = i18n.language;
  const share = data ? capShare(data) : null;

  return (
    <Card withBorder padding="md" data-testid="spend-panel">
      <Stack gap="sm">
        <Group gap="xs" wrap="nowrap">
          <IconBrandX size={20} aria-hidden />
          <Title order={3} size="h4">
            {t('xSpend.title')}
          </Title>
        </Group>
        <QueryState isLoading={spend.isLoading} error={spend.error} onRetry={() => void spend.refetch()}>
          {data && (
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                {t('xSpend.hint', { month: formatMonth(data.month, lang) })}
              </Text>
              <Group gap="xs" align="baseline">
                <Text fz={28} fw={700} data-testid="spend-total">
                  {formatUsd(data.estimated_usd, lang)}
                </Text>
                <Text size="sm" c="dimmed" data-testid="spend-cap">
                  {data.cap_usd === null ? t('xSpend.noCap') : t('xSpend.ofCap', { cap: formatUsd(data.cap_usd, lang) })}
                </Text>
              </Group>
              {share !== null && (
                <Progress
                  value={share}
                  color={data.publishing_paused ? 'red' : data.reads_paused ? 'orange' : 'blue'}
                  aria-label={t('xSpend.share', { pct: Math.round(share) })}
                />
              )}
              {data.publishing_paused && (
                <Alert color="red" icon={<IconPlayerPause size={18} />} data-testid="spend-publishing-paused">
                  {t('xSpend.publishingPaused')}
                </Alert>
              )}
              {data.reads_paused && !data.publishing_paused && (
                <Alert color="orange" icon={<IconAlertTriangle size={18} />} data-testid="spend-reads-paused">
                  {t('xSpend.readsPaused')}
                </Alert>
              )}
              {data.reads_paused && data.publishing_paused && (
                <Text size="sm" c="dimmed" data-testid="spend-reads-paused">
                  {t('xSpend.readsPausedToo')}
                </Text>
              )}
              {data.by_class.length === 0 ? (
                <Text size="sm" c="dimmed" data-testid="spend-empty">
                  {t('xSpend.empty')}
                </Text>
              ) : (
                <Table.ScrollContainer minWidth={280}>
                  <Table data-testid="spend-classes" verticalSpacing={4}>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('xSpend.class')}</Table.Th>
                        <Table.Th ta="right">{t('xSpend.calls')}</Table.Th>
                        <Table.Th ta="right">{t('xSpend.usd')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.by_class.map((row) => (
                        <Table.Tr key={row.price_class}>
                          <Table.Td>{t(`xSpend.classes.${row.price_class}`, { defaultValue: row.price_class })}</Table.Td>
                          <Table.Td ta="right">{formatNumber(row.calls, lang)}</Table.Td>
                          <Table.Td ta="right">{formatUsd(row.estimated_usd, lang)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
              {canEditCap && <CapEditor key={String(data.cap_usd)} unitId={unitId} cap={data.cap_usd} />}
            </Stack>
          )}
        </QueryState>
      </Stack>
    </Card>
  );
}
