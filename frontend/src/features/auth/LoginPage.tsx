import { useState, type FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Box,
  Button,
  Center,
  Code,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconFlask } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { isApiError } from '../../api/errors';
import { session } from '../../api/session';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { sessionKeys } from '../../app/queries';

export interface LoginPageProps {
  onLoggedIn: () => void;
}

export function LoginPage({ onLoggedIn }: LoginPageProps) {
  const { t } = useTranslation();
  const meta = useQuery({ queryKey: sessionKeys.meta, queryFn: api.meta, staleTime: Infinity, retry: 1 });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!email.trim() || !password) return;
    setBusy(true);
    setError(null);
    try {
      const tokens = await api.login(email.trim(), password);
      session.store(tokens);
      onLoggedIn();
    } catch (err) {
      if (isApiError(err) && (err.status === 401 || err.code === 'invalid_credentials')) setError(t('login.invalid'));
      else if (isApiError(err) && err.status === 429) setError(t('login.tooMany'));
      else if (isApiError(err)) setError(t('login.failed', { detail: err.message }));
      else setError(t('errors.network'));
    } finally {
      setBusy(false);
    }
  };

  const demo = meta.data?.demo_login ?? null;

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Stack w="100%" maw={420} gap="md">
        <Group justify="space-between" align="center">
          <Box>
            <Title order={1} size="h2" c="blue.8">
              {t('app.name')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('app.tagline')}
            </Text>
          </Box>
          <LanguageSwitch />
        </Group>
        <Paper withBorder shadow="sm" radius="md" p="lg">
          <form onSubmit={submit} noValidate aria-labelledby="login-title">
            <Stack gap="sm">
              <Title order={2} size="h4" id="login-title">
                {t('login.title')}
              </Title>
              {error && (
                <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="login-error">
                  {error}
                </Alert>
              )}
              <TextInput
                label={t('login.email')}
                type="email"
                autoComplete="username"
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
                error={submitted && !email.trim() ? t('login.required') : undefined}
                data-testid="login-email"
                required
              />
              <PasswordInput
                label={t('login.password')}
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                error={submitted && !password ? t('login.required') : undefined}
                data-testid="login-password"
                required
              />
              <Button type="submit" loading={busy} fullWidth mt="xs" data-testid="login-submit">
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
        {demo && (
          <Alert
            color="grape"
            variant="light"
            icon={<IconFlask size={18} />}
            title={t('login.demoTitle')}
            data-testid="demo-login"
          >
            <Stack gap={6}>
              <Text size="sm">{t('login.demoText')}</Text>
              <Text size="sm">
                <Code data-testid="demo-email">{demo.email}</Code> / <Code data-testid="demo-password">{demo.password}</Code>
              </Text>
              <Anchor
                component="button"
                type="button"
                size="sm"
                ta="left"
                onClick={() => {
                  setEmail(demo.email);
                  setPassword(demo.password);
                  setError(null);
                }}
                data-testid="demo-fill"
              >
                {t('login.demoUse')}
              </Anchor>
            </Stack>
          </Alert>
        )}
        {meta.data?.version && (
          <Text size="xs" c="dimmed" ta="center">
            {t('login.version', { version: meta.data.version })}
          </Text>
        )}
      </Stack>
    </Center>
  );
}
