// Add or edit a connection. The password is write-only: empty keeps the stored one on edit.
// Extra must be JSON (checked here before the request); the API's errors show in the form.
import { Group, NumberInput, PasswordInput, Select, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok, type Ok } from '../../api/client.js';
import { FormModal } from './FormModal.js';
import { jsonProblem } from './json-text.js';

export type Connection = Ok<'/api/v1/connections'>['connections'][number];

const CONN_TYPES = ['postgres', 'mysql', 'http', 'aws', 'slack', 'smtp', 'generic'];

interface Props {
  /** The connection to edit, or undefined to add one. */
  editing: Connection | undefined;
  onClose: () => void;
}

const orNull = (s: string) => (s.trim() === '' ? null : s);

export function ConnectionForm({ editing, onClose }: Props) {
  const queryClient = useQueryClient();
  const [id, setId] = useState(editing?.connection_id ?? '');
  const [type, setType] = useState<string>(editing?.conn_type ?? 'postgres');
  const [host, setHost] = useState(editing?.host ?? '');
  const [schema, setSchema] = useState(editing?.schema ?? '');
  const [login, setLogin] = useState(editing?.login ?? '');
  const [password, setPassword] = useState('');
  const [port, setPort] = useState<string | number>(editing?.port ?? '');
  const [extra, setExtra] = useState('');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [problem, setProblem] = useState<string>();

  const save = useMutation({
    mutationFn: async () => {
      const body = {
        connection_id: id.trim(),
        conn_type: type,
        host: orNull(host),
        schema: orNull(schema),
        login: orNull(login),
        port: typeof port === 'number' ? port : null,
        description: orNull(description),
        // Write-only fields: left empty, the stored value stays.
        ...(password !== '' ? { password } : {}),
        ...(extra.trim() !== '' ? { extra: extra.trim() } : {}),
      };
      if (editing) {
        return ok(api.PATCH('/api/v1/connections/{connection_id}', { params: { path: { connection_id: editing.connection_id } }, body }));
      }
      return ok(api.POST('/api/v1/connections', { body }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['connections'] });
      onClose();
    },
  });

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const p = (id.trim() === '' ? 'Connection id is required.' : undefined) ?? jsonProblem(extra, 'Extra', true);
    setProblem(p);
    if (!p) save.mutate();
  };

  return (
    <FormModal title={editing ? `Edit connection ${editing.connection_id}` : 'Add connection'} label="connection form" size="lg" error={problem ?? save.error} saving={save.isPending} onSubmit={submit} onClose={onClose}>
      <TextInput label="Connection id" required value={id} onChange={(e) => setId(e.currentTarget.value)} disabled={!!editing} />
      <Select label="Connection type" data={CONN_TYPES} value={type} onChange={(v) => setType(v ?? 'generic')} allowDeselect={false} searchable />
      <Group grow>
        <TextInput label="Host" value={host} onChange={(e) => setHost(e.currentTarget.value)} />
        <NumberInput label="Port" value={port} onChange={setPort} min={0} max={65535} allowDecimal={false} />
      </Group>
      <Group grow>
        <TextInput label="Schema" value={schema} onChange={(e) => setSchema(e.currentTarget.value)} />
        <TextInput label="Login" value={login} onChange={(e) => setLogin(e.currentTarget.value)} autoComplete="off" />
      </Group>
      <PasswordInput
        label="Password"
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        autoComplete="new-password"
        description={editing ? 'Leave empty to keep the stored password.' : undefined}
      />
      <Textarea
        label="Extra (JSON)"
        value={extra}
        onChange={(e) => setExtra(e.currentTarget.value)}
        autosize
        minRows={2}
        placeholder='{"key": "value"}'
        description={editing ? 'Leave empty to keep the stored extra.' : undefined}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
    </FormModal>
  );
}
