/**
 * Users of the webserver and the CLI (ab_user): create, read, change role or password, delete.
 * Passwords arrive already hashed (argon2id, by the caller); this module never sees a password.
 */
import type { Queryable } from '../db/types.js';
import { rows } from './query.js';

export type Role = 'Admin' | 'Op' | 'User' | 'Viewer';
export const ROLES: readonly Role[] = ['Admin', 'Op', 'User', 'Viewer'];

export interface UserRow {
  id: string;
  username: string;
  email: string | null;
  firstName: string;
  lastName: string;
  role: Role;
  active: boolean;
  createdAt: Date;
  lastLogin: Date | null;
}

/** A user with its password hash (for verifying a login; never shown). */
export interface UserCredentials extends UserRow {
  passwordHash: string;
}

export interface NewUser {
  username: string;
  email: string | null;
  firstName: string;
  lastName: string;
  role: Role;
  passwordHash: string;
}

interface Row {
  id: string; username: string; email: string | null; first_name: string; last_name: string; role: Role;
  active: boolean; created_at: Date; last_login: Date | null; password_hash?: string;
}
const COLUMNS = 'id, username, email, first_name, last_name, role, active, created_at, last_login';
const toUser = (r: Row): UserRow => ({
  id: String(r.id), username: r.username, email: r.email, firstName: r.first_name, lastName: r.last_name, role: r.role,
  active: r.active, createdAt: r.created_at, lastLogin: r.last_login,
});

/** Inserts a user; returns it, or null when the username is taken (nothing written then). */
export async function createUser(db: Queryable, u: NewUser): Promise<UserRow | null> {
  const result = await rows<Row>(db, 'createUser',
    `INSERT INTO ab_user (username, email, first_name, last_name, role, password_hash)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
    [u.username, u.email, u.firstName, u.lastName, u.role, u.passwordHash]);
  return result[0] === undefined ? null : toUser(result[0]);
}

/** Every user, by username. */
export async function listUsers(db: Queryable, page: { limit: number; offset: number } = { limit: 10_000, offset: 0 }): Promise<{ rows: UserRow[]; total: number }> {
  const result = await rows<Row & { total: string }>(db, 'listUsers',
    `SELECT ${COLUMNS}, count(*) OVER () AS total FROM ab_user ORDER BY username LIMIT $1 OFFSET $2`, [page.limit, page.offset]);
  return { rows: result.map(toUser), total: Number(result[0]?.total ?? (await countUsers(db))) };
}

/** How many users there are. */
export async function countUsers(db: Queryable): Promise<number> {
  const result = await rows<{ n: number }>(db, 'countUsers', 'SELECT count(*)::int AS n FROM ab_user');
  return result[0]?.n ?? 0;
}

/** One user with its password hash, or null. */
export async function findUserCredentials(db: Queryable, username: string): Promise<UserCredentials | null> {
  const result = await rows<Row>(db, 'findUserCredentials',
    `SELECT ${COLUMNS}, password_hash FROM ab_user WHERE username = $1`, [username], { prepare: true });
  const r = result[0];
  return r === undefined ? null : { ...toUser(r), passwordHash: r.password_hash ?? '' };
}

/** One user by id (sessions and tokens point at it), or null. */
export async function findUserById(db: Queryable, id: string): Promise<UserRow | null> {
  const result = await rows<Row>(db, 'findUserById', `SELECT ${COLUMNS} FROM ab_user WHERE id = $1`, [id]);
  return result[0] === undefined ? null : toUser(result[0]);
}

/** Deletes a user (its sessions and tokens go with it); returns whether it existed. */
export async function deleteUser(db: Queryable, username: string): Promise<boolean> {
  const result = await rows<{ id: string }>(db, 'deleteUser', 'DELETE FROM ab_user WHERE username = $1 RETURNING id', [username]);
  return result.length > 0;
}

/** Replaces a user's password hash and ends its sessions; returns whether the user exists. */
export async function setUserPassword(db: Queryable, username: string, passwordHash: string): Promise<boolean> {
  const result = await rows<{ id: string }>(db, 'setUserPassword',
    `WITH u AS (UPDATE ab_user SET password_hash = $2 WHERE username = $1 RETURNING id),
          s AS (DELETE FROM user_session WHERE user_id IN (SELECT id FROM u))
     SELECT id FROM u`, [username, passwordHash]);
  return result.length > 0;
}

/** One user by username (without its password hash), or null. */
export async function findUser(db: Queryable, username: string): Promise<UserRow | null> {
  const result = await rows<Row>(db, 'findUser', `SELECT ${COLUMNS} FROM ab_user WHERE username = $1`, [username]);
  return result[0] === undefined ? null : toUser(result[0]);
}

/** Fields of a user to change; an absent field is kept. */
export interface UserChanges {
  email?: string | null;
  firstName?: string;
  lastName?: string;
  role?: Role;
  active?: boolean;
  /** Already hashed (argon2id). */
  passwordHash?: string;
}

/**
 * Changes a user; a new password or a deactivation ends its sessions (its API tokens are refused
 * while it is inactive). Returns the user as changed, or null when it does not exist.
 */
export async function updateUser(db: Queryable, username: string, c: UserChanges): Promise<UserRow | null> {
  const result = await rows<Row>(db, 'updateUser',
    `WITH u AS (
       UPDATE ab_user SET
         email = CASE WHEN $2::boolean THEN $3::text ELSE email END,
         first_name = coalesce($4::text, first_name), last_name = coalesce($5::text, last_name), role = coalesce($6::text, role),
         active = coalesce($7::boolean, active), password_hash = coalesce($8::text, password_hash)
       WHERE username = $1 RETURNING ${COLUMNS}),
     s AS (DELETE FROM user_session WHERE user_id IN (SELECT id FROM u) AND ($8::text IS NOT NULL OR $7::boolean = false))
     SELECT * FROM u`,
    [username, c.email !== undefined, c.email ?? null, c.firstName ?? null, c.lastName ?? null, c.role ?? null, c.active ?? null, c.passwordHash ?? null]);
  return result[0] === undefined ? null : toUser(result[0]);
}

/** Changes a user's role (it counts at the user's next request, sessions included); returns whether the user exists. */
export async function setUserRole(db: Queryable, username: string, role: Role): Promise<boolean> {
  const result = await rows<{ id: string }>(db, 'setUserRole',
    'UPDATE ab_user SET role = $2 WHERE username = $1 RETURNING id', [username, role]);
  return result.length > 0;
}

/** Records a successful login. */
export async function touchLastLogin(db: Queryable, userId: string): Promise<void> {
  await rows(db, 'touchLastLogin', 'UPDATE ab_user SET last_login = now() WHERE id = $1', [userId]);
}
