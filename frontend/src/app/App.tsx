import { useEffect, useState } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { isApiError } from '../api/errors';
import { setUnauthorizedHandler } from '../api/http';
import { createAppRouter } from './router';
import { cssVariablesResolver, theme } from './theme';


function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const [router] = useState(() => createAppRouter(queryClient));

  useEffect(() => {
    setUnauthorizedHandler(() => {
      queryClient.clear();
      const here = router.state.location.href;
      if (!router.state.location.pathname.startsWith('/login')) {
        void router.navigate({ to: '/login', search: { redirect: here } });
      }
    });
  }, [queryClient, router]);

  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
