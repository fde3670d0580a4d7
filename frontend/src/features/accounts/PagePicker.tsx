import { useState } from 'react';
import { Alert, Avatar, Badge, Button, Card, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PlatformIcon } from '../../components/Badges';
import { errorMessage } from '../../lib/errorMessage';
import { network } from '../../platforms';
import type { ConnectChoice } from './types';

interface Props {
  choices: ConnectChoice[];
  onChoose: (externalIds: string[]) => void;
  choosing: boolean;
  error: unknown;
}

/** Pages first, each followed by the Instagram account linked to it; unlinked Instagram accounts last. */
export function groupChoices(choices: ConnectChoice[]): { page: ConnectChoice | null; linked: ConnectChoice[] }[] {
  const pages = choices.filter((c) => c.platform === 'facebook');
  const pageIds = new Set(pages.map((p) => p.external_id));
  const groups = pages.map((page) => ({
    page: page as ConnectChoice | null,
    linked: choices.filter((c) => c.platform !== 'facebook' && c.linked_to === page.external_id),
  }));
  const loose = choices.filter((c) => c.platform !== 'facebook' && !(c.linked_to && pageIds.has(c.linked_to)));
  return [...groups, ...loose.map((c) => ({ page: null, linked: [c] }))];
}

function ChoiceRow({
  choice,
  checked,
  onToggle,
  nested,
}: {
  choice: ConnectChoice;
  checked: boolean;
  onToggle: () => void;
  nested?: boolean;
}) {
  const { t } = useTranslation();
  const n = network(choice.platform);
  return (
    <Group wrap="nowrap" gap="sm" pl={nested ? 'xl' : 0} data-testid={`choice-${choice.external_id}`}>
      <Checkbox
        checked={checked}
        onChange={onToggle}
        aria-label={`${t(n.labelKey)} ${choice.name}`}
        data-testid={`choose-${choice.external_id}`}
      />
      <Avatar src={choice.picture_url} alt="" radius="xl" size={nested ? 'sm' : 'md'} color={n.color}>
        <PlatformIcon platform={choice.platform} size={16} />
      </Avatar>
      <div style={{ minWidth: 0, flex: 1 }}>
        <Group gap={6} wrap="nowrap">
          <PlatformIcon platform={choice.platform} size={14} />
          <Text fw={600} size="sm" truncate>
            {choice.name}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" truncate>
          {choice.handle}
          {nested && ` · ${t('accounts.picker.linked')}`}
        </Text>
      </div>
      {choice.connected_account_id !== null && (
        <Badge size="sm" variant="light" color="gray" style={{ flexShrink: 0 }}>
          {t('accounts.picker.alreadyConnected')}
        </Badge>
      )}
    </Group>
  );
}

/** After Facebook Login: which Pages (and their linked Instagram accounts) this unit should use. */
export function PagePicker({ choices, onChoose, choosing, error }: Props) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setPicked((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  if (choices.length === 0) {
    return (
      <Alert color="orange" data-testid="picker-empty">
        {t('accounts.picker.none')}
      </Alert>
    );
  }

  return (
    <Stack gap="sm" data-testid="page-picker">
      <Text size="sm">{t('accounts.picker.hint')}</Text>
      {groupChoices(choices).map(({ page, linked }) => (
        <Card key={page?.external_id ?? linked[0].external_id} withBorder padding="xs">
          <Stack gap={6}>
            {page && <ChoiceRow choice={page} checked={picked.has(page.external_id)} onToggle={() => toggle(page.external_id)} />}
            {linked.map((c) => (
              <ChoiceRow
                key={c.external_id}
                choice={c}
                nested={page !== null}
                checked={picked.has(c.external_id)}
                onToggle={() => toggle(c.external_id)}
              />
            ))}
            {page && linked.length === 0 && (
              <Text size="xs" c="dimmed" pl="xl">
                {t('accounts.picker.noInstagram')}
              </Text>
            )}
          </Stack>
        </Card>
      ))}
      {error !== null && error !== undefined && (
        <Alert color="red" role="alert">
          {errorMessage(t, error)}
        </Alert>
      )}
      <Group>
        <Button
          disabled={picked.size === 0}
          loading={choosing}
          onClick={() => onChoose(choices.map((c) => c.external_id).filter((id) => picked.has(id)))}
          data-testid="picker-submit"
        >
          {t('accounts.picker.submit', { count: picked.size })}
        </Button>
      </Group>
    </Stack>
  );
}
