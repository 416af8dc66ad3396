// The app, loaded by main.tsx: Mantine (light/dark follows the system), TanStack Query, TanStack Router.
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setUnauthorizedHandler } from './api/http.js';
import { queryClient } from './api/query-client.js';
import { router } from './router.js';
import { theme } from './theme.js';

// The session is missing or ended: log in, then come back here.
setUnauthorizedHandler(() => {
  const here = router.state.location;
  if (here.pathname === '/login') return;
  void router.navigate({ to: '/login', search: { redirect: here.href }, replace: true });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
