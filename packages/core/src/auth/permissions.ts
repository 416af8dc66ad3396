/**
 * The permission matrix: one table, the minimum role of each permission (roles are ordered:
 * Viewer < User < Op < Admin, Airflow's meaning). Every route of the webserver and the monitor names
 * one permission; docs/security.md shows this table (rendered by `renderPermissionTable`, checked by a test).
 */
import type { Role } from '../sql/users.js';

export const ROLE_RANK: Record<Role, number> = { Viewer: 0, User: 1, Op: 2, Admin: 3 };

export const PERMISSIONS = {
  'profile.read': { role: 'Viewer', what: 'read their own account (GET /api/v1/auth/me)' },
  'dags.read': { role: 'Viewer', what: 'list and read DAGs, their details, tasks and source; keep one\'s own favourite DAGs' },
  'dags.edit': { role: 'User', what: 'pause and unpause DAGs' },
  'dags.delete': { role: 'User', what: 'delete a DAG with all its runs and task instances (Airflow\'s User role may too)' },
  'dag_runs.read': { role: 'Viewer', what: 'list and read DAG runs' },
  'dag_runs.create': { role: 'User', what: 'trigger DAG runs' },
  'dag_runs.edit': { role: 'User', what: 'set a run\'s state or note, clear a run' },
  'dag_runs.delete': { role: 'User', what: 'delete a DAG run with its task instances' },
  'task_instances.read': { role: 'Viewer', what: 'list and read task instances and their tries' },
  'task_instances.edit': { role: 'User', what: 'set a task instance\'s state or note, clear task instances' },
  'task_logs.read': { role: 'Viewer', what: 'read task logs' },
  'assets.read': { role: 'Viewer', what: 'list assets and asset events' },
  'assets.create_event': { role: 'User', what: 'record an asset event (an update made outside Updraft)' },
  'import_errors.read': { role: 'Viewer', what: 'read import errors' },
  'xcom.read': { role: 'Viewer', what: 'read XCom entries' },
  'pools.read': { role: 'Viewer', what: 'list and read pools' },
  'pools.edit': { role: 'Op', what: 'create, change and delete pools' },
  'event_logs.read': { role: 'Viewer', what: 'read the event log' },
  'alerts.read': { role: 'Viewer', what: 'list alerts (where each went, its state, attempts and last error; never a secret)' },
  'connections.read': { role: 'Op', what: 'list and read connections (passwords masked)' },
  'connections.edit': { role: 'Op', what: 'create, change, test and delete connections' },
  'variables.read': { role: 'Op', what: 'list and read variables (sensitive values masked)' },
  'variables.edit': { role: 'Op', what: 'create, change and delete variables' },
  'config.read': { role: 'Admin', what: 'read the configuration (secrets masked)' },
  'users.read': { role: 'Admin', what: 'list and read users' },
  'users.edit': { role: 'Admin', what: 'create, change and delete users and their roles' },
  'monitor.read': { role: 'Viewer', what: 'read the fleet monitor: workers, queues, task events, metrics' },
  'monitor.control': { role: 'Op', what: 'control workers from the monitor (drain, resume, shutdown, pool size, queues, terminate)' },
} as const satisfies Record<string, { role: Role; what: string }>;

export type Permission = keyof typeof PERMISSIONS;

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[PERMISSIONS[permission].role];
}

/** The matrix as a Markdown table (docs/security.md). */
export function renderPermissionTable(): string {
  const roles: Role[] = ['Viewer', 'User', 'Op', 'Admin'];
  const lines = [`| permission | what | ${roles.join(' | ')} |`, `|---|---|${roles.map(() => ':-:').join('|')}|`];
  for (const [name, p] of Object.entries(PERMISSIONS) as Array<[Permission, { role: Role; what: string }]>) {
    lines.push(`| \`${name}\` | ${p.what} | ${roles.map((r) => (roleHas(r, name) ? 'yes' : '')).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
