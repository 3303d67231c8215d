import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendHttp, type Served } from './conformance.js';

/** Serves a Node request listener (an Express or Koa app) on 127.0.0.1 and a free port. */
export async function listenOnLoopback(listener: RequestListener, path = '/clova'): Promise<Served> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return servedBy(server, path);
}

export function servedBy(server: Server, path: string): Served {
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${path}`;
  return {
    url,
    send: (request) => sendHttp(url, request),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
