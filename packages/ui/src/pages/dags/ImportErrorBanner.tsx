// "N DAG files failed to import": each file with the error's first lines, expandable.
import { Alert, Anchor, Code, Collapse, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../../api/http.js';
import type { ImportErrorCollection } from '../../api/types.js';

export function ImportErrorBanner() {
  const [open, { toggle }] = useDisclosure(false);
  const errors = useQuery({
    queryKey: ['importErrors'],
    queryFn: () => getJson<ImportErrorCollection>('/api/v1/importErrors?limit=100&order_by=filename'),
  });
  const total = errors.data?.total_entries ?? 0;
  if (total === 0) return null;
  return (
    <Alert color="red" variant="light" title={`${total} DAG ${total === 1 ? 'file' : 'files'} failed to import`}>
      <Anchor component="button" type="button" size="sm" onClick={toggle} aria-expanded={open}>
        {open ? 'Hide the errors' : 'Show the errors'}
      </Anchor>
      <Collapse expanded={open}>
        <Stack gap="sm" mt="sm">
          {errors.data?.import_errors.map((e) => (
            <div key={e.import_error_id} data-testid="import-error">
              <Text fw={600} size="sm">
                {e.filename}
              </Text>
              <Code block fz="xs" mt={4} style={{ whiteSpace: 'pre-wrap', maxHeight: 240, overflow: 'auto' }}>
                {e.stack_trace}
              </Code>
            </div>
          ))}
        </Stack>
      </Collapse>
    </Alert>
  );
}
