export * from './server.js';
export * from './validate.js';
