/**
 * Run and fleet administration from outside the scheduler process (CLI, webserver): trigger a DAG
 * run, pause, read runs and task instances, drain workers; the updraft_dag_runs notification.
 */
export * from './manual-run.js';
export * from './dag-sql.js';
export * from './notify.js';
export * from './trigger.js';
export * from './task-instances.js';
export * from './worker-admin.js';
