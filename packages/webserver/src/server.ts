/** Starting the webserver: the app of ./app.ts listening on webserver.listen. */
import { buildApp, type AppOptions } from './app.js';

export interface WebserverOptions extends AppOptions {
  /** host:port to listen on. Default `127.0.0.1:8080` (config webserver.listen); port 0 picks a free one. */
  listen?: string;
}

export interface RunningWebserver {
  url: string;
  port: number;
  close(): Promise<void>;
}

function splitListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  return { host: listen.slice(0, i) || '127.0.0.1', port: Number(listen.slice(i + 1)) };
}

export async function startWebserver(options: WebserverOptions): Promise<RunningWebserver> {
  const { host, port } = splitListen(options.listen ?? '127.0.0.1:8080');
  const app = await buildApp(options);
  await app.listen({ host, port });
  const address = app.server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  options.logger?.info({ host, port: actual }, 'webserver listening');
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    port: actual,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}
