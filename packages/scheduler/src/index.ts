export {};
export * from './rpc/index.js';
export type * from './worker-facing.js';
export * from './engine/index.js';
export * from './service.js';
export * from './supervision/index.js';
