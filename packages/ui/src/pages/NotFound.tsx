import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';

export function NotFound() {
  return (
    <Center mih="60vh">
      <Stack align="center" gap="xs">
        <Title order={2}>Page not found</Title>
        <Text c="dimmed">Nothing lives at this address.</Text>
        <Button component={Link} to="/dags" variant="light" mt="sm">
          Back to the DAGs
        </Button>
      </Stack>
    </Center>
  );
}
