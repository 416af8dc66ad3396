// Add a user, or change one's role, names, e-mail, active flag or password (usernames stay).
// The password is write-only: empty when editing keeps the current one.
import { Group, PasswordInput, Select, Switch, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok, type Ok } from '../../api/client.js';
import { FormModal } from './FormModal.js';
import type { Role } from './roles.js';

export type User = Ok<'/api/v1/users'>['users'][number];
const ROLES: Role[] = ['Admin', 'Op', 'User', 'Viewer'];

export function UserForm({ editing, onClose }: { editing: User | undefined; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState(editing?.username ?? '');
  const [role, setRole] = useState<Role>((editing?.roles[0]?.name as Role | undefined) ?? 'Viewer');
  const [firstName, setFirstName] = useState(editing?.first_name ?? '');
  const [lastName, setLastName] = useState(editing?.last_name ?? '');
  const [email, setEmail] = useState(editing?.email ?? '');
  const [active, setActive] = useState(editing?.active ?? true);
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string>();

  const save = useMutation({
    mutationFn: async () => {
      const body = {
        roles: [{ name: role }], first_name: firstName.trim(), last_name: lastName.trim(),
        email: email.trim() === '' ? null : email.trim(), active, ...(password ? { password } : {}),
      };
      if (editing) return ok(api.PATCH('/api/v1/users/{username}', { params: { path: { username: editing.username } }, body }));
      return ok(api.POST('/api/v1/users', { body: { username: username.trim(), password, ...body } }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
  });

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const p = username.trim() === '' ? 'Username is required.'
      : /[\s:]/.test(username.trim()) ? 'Username may not contain whitespace or ":".'
      : !editing && password === '' ? 'Password is required.'
      : undefined;
    setProblem(p);
    if (!p) save.mutate();
  };

  return (
    <FormModal title={editing ? `Edit user ${editing.username}` : 'Add user'} label="user form" noValidate error={problem ?? save.error} saving={save.isPending} onSubmit={submit} onClose={onClose}>
      <TextInput label="Username" required value={username} onChange={(e) => setUsername(e.currentTarget.value)} disabled={!!editing} autoComplete="off" />
      <Select label="Role" data={ROLES} value={role} onChange={(v) => v && setRole(v as Role)} allowDeselect={false} />
      <Group grow>
        <TextInput label="First name" value={firstName} onChange={(e) => setFirstName(e.currentTarget.value)} />
        <TextInput label="Last name" value={lastName} onChange={(e) => setLastName(e.currentTarget.value)} />
      </Group>
      <TextInput label="E-mail" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
      <PasswordInput
        label="Password"
        required={!editing}
        description={editing ? 'Empty: keep the current password' : undefined}
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        autoComplete="new-password"
      />
      <Switch label="Active (may log in)" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
    </FormModal>
  );
}
