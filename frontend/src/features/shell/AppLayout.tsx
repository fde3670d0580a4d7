import {
  AppShell,
  Avatar,
  Burger,
  Center,
  Group,
  Loader,
  Menu,
  NavLink,
  Select,
  Stack,
  Text,
  Title,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import {
  IconCalendarMonth,
  IconChartLine,
  IconChevronDown,
  IconInbox,
  IconLogout,
  IconNews,
  IconPlayerPause,
  IconPlugConnected,
  IconUsersGroup,
} from '@tabler/icons-react';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { session } from '../../api/session';
import { useMe, useUnits } from '../../app/useSession';
import { NotificationBell } from '../notifications/NotificationBell';
import { AnchorLink } from '../../components/Links';
import { HoldBanner } from '../holds/HoldBanner';
import { LanguageSwitch } from './LanguageSwitch';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join('');
}

export function AppLayout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const me = useMe();
  const { units, unit, role, setUnitId } = useUnits();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const pathname = useRouterState({ select: (s) => s.location.pathname });

  const logout = async () => {
    try {
      await api.logout();
    } catch {
      // the session is over on this side either way
    }
    session.clear();
    queryClient.clear();
    await navigate({ to: '/login' });
  };

  const links = [
    { to: '/posts', label: t('nav.posts'), icon: IconNews, testId: 'nav-posts' },
    { to: '/calendar', label: t('calendar.nav'), icon: IconCalendarMonth, testId: 'nav-calendar' },
    { to: '/dashboard', label: t('dashboard.nav'), icon: IconChartLine, testId: 'nav-dashboard' },
    { to: '/accounts', label: t('nav.accounts'), icon: IconUsersGroup, testId: 'nav-accounts' },
    { to: '/holds', label: t('nav.holds'), icon: IconPlayerPause, testId: 'nav-holds' },
    { to: '/integrations', label: t('integrations.nav'), icon: IconPlugConnected, testId: 'nav-integrations' },
    { to: '/inbox', label: t('inbox.nav'), icon: IconInbox, testId: 'nav-inbox' },
  ] as const;

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              w={44}
              h={44}
              aria-label={t('nav.openMenu')}
              data-testid="nav-burger"
            />
            <Title order={1} size="h3" c="blue.8">
              {t('app.name')}
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <NotificationBell timeZone={unit?.timezone ?? 'Asia/Jakarta'} />
            {/* No focus placeholder: inside role="menu" it is a child that is not a menu item. */}
            <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
              <Menu.Target>
                {/* Named by its visible text (the user's name) plus a hidden "user menu". */}
                <UnstyledButton data-testid="user-menu" mih={44} miw={44}>
                  <Group gap={6} wrap="nowrap">
                    <Avatar size="sm" color="blue" radius="xl" aria-hidden>
                      {initials(me.data?.name ?? '?')}
                    </Avatar>
                    <Text size="sm" visibleFrom="sm" maw={180} truncate>
                      {me.data?.name}
                    </Text>
                    <VisuallyHidden>{t('nav.userMenu')}</VisuallyHidden>
                    <IconChevronDown size={14} aria-hidden />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  {me.data?.email}
                  {role ? ` · ${t(`roles.${role}`)}` : ''}
                  {me.data?.is_superuser ? ` · ${t('nav.superuser')}` : ''}
                </Menu.Label>
                <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void logout()} data-testid="logout">
                  {t('nav.logout')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" data-testid="navbar">
        <Stack justify="space-between" h="100%">
          <Stack gap={4}>
            {units.length > 1 && (
              <Select
                label={t('nav.unit')}
                data={units.map((u) => ({ value: String(u.id), label: u.name }))}
                value={unit ? String(unit.id) : null}
                onChange={(v) => v && setUnitId(Number(v))}
                allowDeselect={false}
                mb="sm"
                data-testid="unit-select"
              />
            )}
            {units.length === 1 && unit && (
              <Text size="xs" c="dimmed" mb="sm" lineClamp={2}>
                {unit.name}
              </Text>
            )}
            {links.map((link) => (
              <NavLink
                key={link.to}
                component={Link}
                to={link.to}
                label={link.label}
                leftSection={<link.icon size={18} />}
                active={pathname.startsWith(link.to)}
                onClick={close}
                data-testid={link.testId}
              />
            ))}
          </Stack>
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              {t('nav.language')}
            </Text>
            <LanguageSwitch fullWidth />
          </Stack>
        </Stack>
      </AppShell.Navbar>

      <AppShell.Main>
        {me.isLoading ? (
          <Center py="xl">
            <Loader />
          </Center>
        ) : (
          <>
            <HoldBanner
              unitId={unit?.id}
              timeZone={unit?.timezone ?? 'Asia/Jakarta'}
              action={
                !pathname.startsWith('/holds') && (
                  <AnchorLink to="/holds" size="sm">
                    {t('holds.banner.open')}
                  </AnchorLink>
                )
              }
            />
            {/* The shell stays while a screen's chunk loads. */}
            <Suspense
              fallback={
                <Center py="xl">
                  <Loader aria-label={t('app.loading')} />
                </Center>
              }
            >
              <Outlet />
            </Suspense>
          </>
        )}
      </AppShell.Main>
    </AppShell>
  );
}
