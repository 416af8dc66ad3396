export * from './states.js';
export * from './trigger-rules.js';
export * from './retry.js';
export * from './template-values.js';
export * from './readiness.js';
export * from './task-instance-sql.js';
export * from './dag-run-sql.js';
export * from './attempt-sql.js';
