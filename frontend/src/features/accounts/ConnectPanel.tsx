import { useState, type FormEvent } from 'react';
import { Alert, Button, Card, Collapse, Group, PasswordInput, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconChevronUp, IconKey } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import type { Platform } from '../../api/types';
import i18n from '../../i18n';
import { errorMessage, fieldMessage } from '../../lib/errorMessage';
import { NETWORKS } from '../../platforms';
import { useManualConnect } from './queries';
import type { ManualPlatform } from './types';

interface ConnectButtonsProps {
  onConnect: (platform: Platform) => void;
  /** The platform whose connection is being started, if any. */
  starting: Platform | null;
  error: unknown;
}

/** One button per network: each starts the network's login (Facebook Login for Facebook and Instagram). */
export function ConnectButtons({ onConnect, starting, error }: ConnectButtonsProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Group gap="xs">
        {NETWORKS.map((n) => (
          <Button
            key={n.platform}
            color={n.color}
            leftSection={<n.icon size={18} aria-hidden />}
            loading={starting === n.platform}
            disabled={starting !== null && starting !== n.platform}
            onClick={() => onConnect(n.platform)}
            data-testid={`connect-${n.platform}`}
          >
            {t('accounts.connect.button', { platform: t(n.labelKey) })}
          </Button>
        ))}
      </Group>
      {error !== null && error !== undefined && (
        <Alert color="red" role="alert" data-testid="connect-start-error">
          {errorMessage(t, error)}
        </Alert>
      )}
    </Stack>
  );
}

/** A Page token pasted by an admin whose server cannot receive the platform's redirect. */
export function ManualTokenForm({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const manual = useManualConnect(unitId);
  const [platform, setPlatform] = useState<ManualPlatform>('facebook');
  const [token, setToken] = useState('');
  const [pageId, setPageId] = useState('');
  const [required, setRequired] = useState(false);
  const fields = isApiError(manual.error) ? manual.error.fields : {};
  // A field's server text is English; the error's code says the same in the reader's language.
  const known = isApiError(manual.error) && i18n.exists(`errors.codes.${manual.error.code}`);
  const fieldError = (name: string) =>
    fields[name] ? (known ? errorMessage(t, manual.error) : fieldMessage(t, manual.error, name)) : undefined;
  const onField = Boolean(fields.access_token || fields.page_id);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) {
      setRequired(true);
      return;
    }
    setRequired(false);
    manual.mutate(
      { platform, access_token: token.trim(), ...(pageId.trim() ? { page_id: pageId.trim() } : {}) },
      {
        onSuccess: (result) => {
          setToken('');
          setPageId('');
          notifications.show({
            color: 'green',
            message: t('accounts.manual.saved', { count: result.items.length, handles: result.items.map((a) => a.handle).join(', ') }),
          });
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-testid="manual-form">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('accounts.manual.hint')}
        </Text>
        <SegmentedControl
          value={platform}
          onChange={(value) => setPlatform(value as ManualPlatform)}
          data={[
            { value: 'facebook', label: t('platform.facebook') },
            { value: 'instagram', label: t('platform.instagram') },
          ]}
          aria-label={t('accounts.platform')}
        />
        <PasswordInput
          label={t('accounts.manual.token')}
          description={t('accounts.manual.tokenHint')}
          value={token}
          onChange={(e) => setToken(e.currentTarget.value)}
          error={required ? t('login.required') : fieldError('access_token')}
          autoComplete="off"
          required
          data-testid="manual-token"
        />
        <TextInput
          label={t('accounts.manual.pageId')}
          description={t('accounts.manual.pageIdHint')}
          value={pageId}
          onChange={(e) => setPageId(e.currentTarget.value)}
          error={fieldError('page_id')}
          inputMode="numeric"
          data-testid="manual-page-id"
        />
        {manual.error && !onField && (
          <Alert color="red" role="alert" data-testid="manual-error">
            {errorMessage(t, manual.error)}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={manual.isPending} leftSection={<IconKey size={16} />} data-testid="manual-submit">
            {t('accounts.manual.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Connect buttons, and the manual token form behind a toggle. */
export function ConnectPanel({ unitId, ...buttons }: ConnectButtonsProps & { unitId: number }) {
  const { t } = useTranslation();
  const [manualOpen, setManualOpen] = useState(false);
  return (
    <Card withBorder padding="md" data-testid="connect-panel">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4">
            {t('accounts.connect.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('accounts.connect.hint')}
          </Text>
        </div>
        <ConnectButtons {...buttons} />
        <Button
          variant="subtle"
          size="compact-sm"
          onClick={() => setManualOpen((o) => !o)}
          rightSection={manualOpen ? <IconChevronUp size={14} /> : <IconChevronDown size={14} />}
          aria-expanded={manualOpen}
          style={{ alignSelf: 'flex-start' }}
          data-testid="manual-toggle"
        >
          {t('accounts.manual.toggle')}
        </Button>
        <Collapse expanded={manualOpen}>{manualOpen && <ManualTokenForm unitId={unitId} />}</Collapse>
      </Stack>
    </Card>
  );
}
