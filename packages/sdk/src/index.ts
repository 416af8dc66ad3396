export * from './serialized.js';
