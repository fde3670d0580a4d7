import type { ReactNode } from 'react';
import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../lib/errorMessage';

interface Props {
  isLoading: boolean;
  error: unknown;
  onRetry?: () => void;
  children: ReactNode;
}

/** Shows a loader or an error with a retry button, else the children. */
export function QueryState({ isLoading, error, onRetry, children }: Props) {
  const { t } = useTranslation();
  if (isLoading) {
    return (
      <Center py="xl">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (error) {
    return (
      <Alert color="red" title={t('app.loadError')} role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{errorMessage(t, error)}</Text>
          {onRetry && (
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              {t('app.retry')}
            </Button>
          )}
        </Stack>
      </Alert>
    );
  }
  return <>{children}</>;
}
