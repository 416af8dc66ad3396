// Why a list did not load: a role without the read permission gets a plain sentence.
import { Alert } from '@mantine/core';
import { ApiError } from '../../api/http.js';

export function LoadError({ error, what }: { error: Error | null; what: string }) {
  if (!error) return null;
  const text = error instanceof ApiError && error.status === 403 ? `Your role may not read ${what}.` : error.message;
  return (
    <Alert color="red" role="alert" title={`Could not load ${what}`}>
      {text}
    </Alert>
  );
}
