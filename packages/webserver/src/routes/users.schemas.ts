/** Schemas of /api/v1/users (Airflow 2's User and UserCollection; the password is write-only). */
import { Type } from 'typebox';
import { PASSWORD_MAX_LENGTH } from '@updraft/core';
import { NO_NUL_PATTERN } from '../http/problem.js';
import { DateTime, Nullable, NullableDateTime, Pagination, textParam } from './common.schemas.js';

/** A login name: 1-256 characters, no whitespace, ':' or NUL (basic auth splits at the first ':'). */
const Username = Type.String({ minLength: 1, maxLength: 256, pattern: '^[^\\s:\\u0000]+$', description: 'The login name (no whitespace or \':\').' });

export const UsernameParams = Type.Object({ username: Username });

export const ListUsersQuery = Type.Object({ ...Pagination });

const RoleName = Type.Union([Type.Literal('Admin'), Type.Literal('Op'), Type.Literal('User'), Type.Literal('Viewer')]);
const Roles = Type.Array(Type.Object({ name: RoleName }, { additionalProperties: false }), {
  minItems: 1, maxItems: 1, description: 'The user\'s role, as Airflow\'s list of one: `[{"name": "Op"}]`.',
});

export const UserSchema = Type.Object({
  username: Type.String(),
  email: Nullable(Type.String()),
  first_name: Type.String(),
  last_name: Type.String(),
  roles: Type.Array(Type.Object({ name: RoleName })),
  active: Type.Boolean({ description: 'An inactive user cannot log in; its sessions have ended and its API tokens are refused.' }),
  created_on: DateTime(),
  last_login: NullableDateTime('The last login through the web UI.'),
});

export const UserCollection = Type.Object({ users: Type.Array(UserSchema), total_entries: Type.Integer() });

const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH, pattern: NO_NUL_PATTERN, description: 'Write-only: stored as an argon2id hash, never answered.' });
const Email = Nullable(textParam(256, 'E-mail address.'));
const Name = (what: string) => textParam(256, what);

export const NewUserBody = Type.Object({
  username: Username,
  password: Password,
  roles: Roles,
  email: Type.Optional(Email),
  first_name: Type.Optional(Name('First name.')),
  last_name: Type.Optional(Name('Last name.')),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const PatchUserBody = Type.Object({
  username: Type.Optional(Username),
  password: Type.Optional(Password),
  roles: Type.Optional(Roles),
  email: Type.Optional(Email),
  first_name: Type.Optional(Name('First name.')),
  last_name: Type.Optional(Name('Last name.')),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const USER_FIELDS = ['password', 'roles', 'email', 'first_name', 'last_name', 'active'] as const;

export const UserUpdateMaskQuery = Type.Object({
  update_mask: Type.Optional(Type.Array(Type.Union(USER_FIELDS.map((f) => Type.Literal(f))), { maxItems: USER_FIELDS.length, description: 'The fields to change (default: those in the body).' })),
});
