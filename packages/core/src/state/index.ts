export * from './states.js';
export * from './trigger-rules.js';
export * from './retry.js';
export * from './template-values.js';
