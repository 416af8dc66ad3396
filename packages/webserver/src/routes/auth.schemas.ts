/** Schemas of /api/v1/auth: logging in and out of the web UI, and who the caller is. */
import { Type } from 'typebox';
import { PASSWORD_MAX_LENGTH } from '@updraft/core';
import { Nullable, textParam } from './common.schemas.js';

export const LoginBody = Type.Object({
  username: textParam(256, 'The login name.'),
  password: Type.String({ maxLength: PASSWORD_MAX_LENGTH, description: 'The password (never stored, logged or answered).' }),
}, { additionalProperties: false });

const Role = Type.Union([Type.Literal('Admin'), Type.Literal('Op'), Type.Literal('User'), Type.Literal('Viewer')]);

export const CurrentUserSchema = Type.Object({
  username: Type.String(),
  role: Role,
  email: Nullable(Type.String()),
  first_name: Type.String(),
  last_name: Type.String(),
  authenticated_by: Type.Union([Type.Literal('session'), Type.Literal('basic'), Type.Literal('token')], { description: 'How this request was authenticated.' }),
  session_expires_at: Type.Optional(Type.String({ format: 'date-time', description: 'When the session ends unless used (session only).' })),
});
