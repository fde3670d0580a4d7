import { Suspense, lazy } from 'react';
import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import {
  Link,
  Outlet,
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
  useNavigate,
} from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { restoreSession } from '../api/http';
import { session } from '../api/session';
import { parseCalendarSearch } from '../features/calendar/search';
import { parseDashboardSearch } from '../features/dashboard/search';
import type { ComposerSearch } from '../features/composer/ComposerPage';
import { parsePostsSearch } from '../features/posts/search';
import { AppLayout } from '../features/shell/AppLayout';

// Each screen is its own chunk, loaded when first opened: the first page load carries only the
// shell (scripts/bundle-size.mjs measures both).
const AccountsPage = lazy(() => import('../features/accounts/AccountsPage').then((m) => ({ default: m.AccountsPage })));
const LoginPage = lazy(() => import('../features/auth/LoginPage').then((m) => ({ default: m.LoginPage })));
const HoldsPage = lazy(() => import('../features/holds/HoldsPage').then((m) => ({ default: m.HoldsPage })));
const PostsPage = lazy(() => import('../features/posts/PostsPage').then((m) => ({ default: m.PostsPage })));

interface RouterContext {
  queryClient: QueryClient;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Stack align="center">
        <Text>{t('app.notFound')}</Text>
        <Button component={Link} to="/posts" variant="light">
          {t('app.backHome')}
        </Button>
      </Stack>
    </Center>
  );
}

export function Pending() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Loader aria-label={t('app.loading')} />
    </Center>
  );
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: () => (
    <Suspense fallback={<Pending />}>
      <Outlet />
    </Suspense>
  ),
  notFoundComponent: NotFound,
});

function LoginRoute() {
  const navigate = useNavigate();
  const { redirect: target } = loginRoute.useSearch();
  return (
    <LoginPage
      onLoggedIn={() => {
        const safe = target && target.startsWith('/') && !target.startsWith('//') ? target : '/posts';
        void navigate({ to: safe });
      }}
    />
  );
}

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => ({
    redirect: typeof search.redirect === 'string' ? search.redirect : undefined,
  }),
  beforeLoad: () => {
    if (session.isLoggedIn()) throw redirect({ to: '/posts' });
  },
  component: LoginRoute,
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ location }) => {
    // After a reload only the refresh cookie is left: try it before asking for a login.
    if (!(await restoreSession())) {
      throw redirect({ to: '/login', search: { redirect: location.href === '/' ? undefined : location.href } });
    }
  },
  component: AppLayout,
});

const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/posts' });
  },
});

const postsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/posts',
  validateSearch: parsePostsSearch,
  component: function PostsRoute() {
    return <PostsPage search={postsRoute.useSearch()} />;
  },
});

// The composer is its own chunk: the list and the login do not pay for it.
const ComposerPage = lazyRouteComponent(() => import('../features/composer/ComposerPage'));

const newPostRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/posts/new',
  // `?template=<id>&date=YYYY-MM-DD`: start from a unit template on a day (from the calendar).
  validateSearch: (search: Record<string, unknown>): ComposerSearch => ({
    template: Number.isInteger(Number(search.template)) && search.template !== undefined ? Number(search.template) : undefined,
    date: typeof search.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(search.date) ? search.date : undefined,
  }),
  component: function NewPostRoute() {
    return <ComposerPage search={newPostRoute.useSearch()} />;
  },
});

const editPostRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/posts/$postId',
  component: function EditPostRoute() {
    const { postId } = editPostRoute.useParams();
    const id = Number(postId);
    if (!Number.isInteger(id) || id <= 0) return <NotFound />;
    return <ComposerPage key={id} postId={id} />;
  },
});

const accountsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/accounts',
  // `connect` names the connection a platform's login just sent the admin back from.
  // The search parser reads JSON-looking values, so an id of digits arrives as a number.
  validateSearch: (search: Record<string, unknown>): { connect?: string } => ({
    connect:
      (typeof search.connect === 'string' && search.connect) || typeof search.connect === 'number'
        ? String(search.connect)
        : undefined,
  }),
  component: function AccountsRoute() {
    const { connect } = accountsRoute.useSearch();
    const navigate = useNavigate();
    return (
      <AccountsPage
        connectId={connect}
        onConnectClosed={() => void navigate({ to: '/accounts', search: {}, replace: true })}
      />
    );
  },
});

const holdsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/holds',
  component: () => <HoldsPage />,
});

const integrationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/integrations',
  component: lazyRouteComponent(() => import('../features/integrations/IntegrationsPage'), 'IntegrationsPage'),
});

const inboxRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/inbox',
  component: lazyRouteComponent(() => import('../features/inbox/InboxPage'), 'InboxPage'),
});

const inboxSettingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/inbox/settings',
  component: lazyRouteComponent(() => import('../features/inbox/settings/InboxSettingsPage'), 'InboxSettingsPage'),
});

const conversationRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/inbox/$conversationId',
  component: lazyRouteComponent(() => import('../features/inbox/ConversationPage'), 'ConversationRoute'),
});

// The calendar (FullCalendar and its styles) loads only when it is opened.
const CalendarPage = lazy(() => import('../features/calendar/CalendarPage'));

const calendarRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/calendar',
  validateSearch: parseCalendarSearch,
  component: function CalendarRoute() {
    const search = calendarRoute.useSearch();
    const navigate = useNavigate();
    return (
      <Suspense
        fallback={
          <Center py="xl">
            <Loader />
          </Center>
        }
      >
        <CalendarPage search={search} onSearch={(next) => void navigate({ to: '/calendar', search: next, replace: true })} />
      </Suspense>
    );
  },
});

// The dashboard (its charts and their library) loads only when it is opened.
const DashboardPage = lazy(() => import('../features/dashboard/DashboardPage'));

const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/dashboard',
  validateSearch: parseDashboardSearch,
  component: function DashboardRoute() {
    const search = dashboardRoute.useSearch();
    const navigate = useNavigate();
    return <DashboardPage search={search} onSearch={(next) => void navigate({ to: '/dashboard', search: next, replace: true })} />;
  },
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    integrationsRoute,
    indexRoute,
    postsRoute,
    newPostRoute,
    editPostRoute,
    accountsRoute,
    holdsRoute,
    inboxRoute,
    inboxSettingsRoute,
    conversationRoute,
    calendarRoute,
    dashboardRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: false, scrollRestoration: true });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
