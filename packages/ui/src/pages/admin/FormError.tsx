// The API's error (a problem document's detail) or a validation message, shown in a form.
import { Alert } from '@mantine/core';

export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" role="alert" mt="sm" title="Not saved">
      {text}
    </Alert>
  );
}
