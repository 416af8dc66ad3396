export * from './errors.js';
export * from './db/types.js';
export * from './queue/port.js';
export * from './time/timetable.js';
export * as proto from './proto/updraft/v1/worker.js';
export * from '@updraft/sdk';
export * from './rpc/index.js';
export * from './queue/names.js';
