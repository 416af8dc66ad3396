// Variables: the list (sensitive values masked by the API), add/edit/delete for Op and Admin;
// variables the webserver's environment defines are read-only.
import { Badge, Button, Code, Group, Stack, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client.js';
import { ConfirmDelete } from './ConfirmDelete.js';
import { LoadError } from './LoadError.js';
import { noContent } from '../../api/no-content.js';
import { useCanEdit } from './use-can-edit.js';
import { VariableForm, type Variable } from './VariableForm.js';
import classes from './AdminTable.module.css';

const QUERY_KEY = ['variables'] as const;

export function VariablesPage() {
  const canEdit = useCanEdit();
  const [form, setForm] = useState<{ editing: Variable | undefined }>();
  const list = useQuery({ queryKey: QUERY_KEY, queryFn: () => ok(api.GET('/api/v1/variables', { params: { query: { limit: 100, offset: 0 } } })) });
  const rows = list.data?.variables ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Variables</Title>
        {canEdit && <Button onClick={() => setForm({ editing: undefined })}>Add variable</Button>}
      </Group>
      <LoadError error={list.error} what="variables" />
      <Table striped highlightOnHover aria-label="variables">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Key</Table.Th>
            <Table.Th>Value</Table.Th>
            <Table.Th>Description</Table.Th>
            {canEdit && <Table.Th aria-label="actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((v) => (
            <Table.Tr key={v.key}>
              <Table.Td fw={500}>
                {v.key}{' '}
                {v.read_only && (
                  <Badge size="xs" variant="light" color="gray">
                    environment
                  </Badge>
                )}
              </Table.Td>
              <Table.Td className={classes.cell}>
                <Code>{v.value}</Code>
              </Table.Td>
              <Table.Td className={classes.cell}>{v.description}</Table.Td>
              {canEdit && (
                <Table.Td>
                  {!v.read_only && (
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="subtle" aria-label={`Edit variable ${v.key}`} onClick={() => setForm({ editing: v })}>
                        Edit
                      </Button>
                      <ConfirmDelete
                        what={`variable ${v.key}`}
                        queryKey={QUERY_KEY}
                        remove={() => noContent(api.DELETE('/api/v1/variables/{variable_key}', { params: { path: { variable_key: v.key } } }))}
                      />
                    </Group>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
          {list.data && rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={4} c="dimmed">
                No variables.
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {form && <VariableForm editing={form.editing} onClose={() => setForm(undefined)} />}
    </Stack>
  );
}
