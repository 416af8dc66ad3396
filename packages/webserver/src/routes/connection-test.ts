/** Testing a connection: can a TCP connection to its host and port be opened from the webserver (bounded in time)? */
import { connect } from 'node:net';
import type { Connection } from '@updraft/core';

const TIMEOUT_MS = 5000;

export function probeConnection(c: Connection): Promise<{ status: boolean; message: string }> {
  if (c.host === null || c.host === '' || c.port === null) {
    return Promise.resolve({ status: false, message: 'the connection needs a host and a port to be tested' });
  }
  const where = `${c.host}:${c.port}`;
  return new Promise((resolve) => {
    const socket = connect({ host: c.host!, port: c.port! });
    const done = (status: boolean, message: string): void => {
      socket.destroy();
      resolve({ status, message });
    };
    socket.setTimeout(TIMEOUT_MS, () => done(false, `no answer from ${where} within ${TIMEOUT_MS / 1000} s`));
    socket.once('connect', () => done(true, `connected to ${where}`));
    socket.once('error', (err: NodeJS.ErrnoException) => done(false, `cannot connect to ${where}: ${err.code ?? err.message}`));
  });
}
