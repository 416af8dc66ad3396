// The login page: username and password, POST /api/v1/auth/login (the webserver sets the session
// cookies), then back to the page the user was on.
import { Alert, Badge, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client.js';
import { ApiError } from '../../api/http.js';
import { useAppearance } from '../../components/appearance.js';
import { Logo } from '../../components/Logo.js';

export function LoginPage() {
  const { redirect } = useSearch({ from: '/login' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const look = useAppearance();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (username.trim() === '' || password === '') {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await ok(api.POST('/api/v1/auth/login', { body: { username: username.trim(), password } }));
      // Whatever was read before (or refused) belongs to no one now.
      queryClient.clear();
      await navigate({ href: redirect ?? '/dags', replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'Wrong username or password.' : err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" radius="md" p="xl" w={380}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="md">
            <Stack align="center" gap={4}>
              <Logo size={40} />
              <Title order={2}>Updraft</Title>
              {look.instanceName !== null && (
                <Badge size="lg" radius="sm" variant={look.navbarColor === null ? 'outline' : 'filled'} color={look.navbarColor ?? 'gray'}
                  autoContrast tt="none" data-testid="instance-name">
                  {look.instanceName}
                </Badge>
              )}
              <Text c="dimmed" size="sm">
                Log in to continue
              </Text>
            </Stack>
            {error !== null && (
              <Alert color="red" variant="light" role="alert">
                {error}
              </Alert>
            )}
            <TextInput label="Username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
            <PasswordInput label="Password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy} fullWidth>
              Log in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
