/**
 * A TCP port on 127.0.0.1 that only counts connections (and drops them): the `server-url` of
 * bad-input cases, so "nothing touched the server before the whole config was valid"
 * (docs/architecture.md#config) is checked as "no connection at all", stronger than "no ModelInfer".
 */
import { createServer, type Socket } from 'node:net';

/** The listening counter. */
export interface ConnectionCounter {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Listens on an ephemeral port; close it in afterAll/afterEach. */
export async function startConnectionCounter(): Promise<ConnectionCounter> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const info = server.address();
  if (info === null || typeof info === 'string') throw new Error('connection counter: no TCP address');
  return {
    address: `127.0.0.1:${info.port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
