export * from './auth.js';
export * from './status.js';
export * from './channel.js';
export * from './client.js';
