/**
 * A TCP proxy on 127.0.0.1:0 in front of a server that watches the client's bytes for one
 * needle (e.g. a header secret): proof that a value really went on the wire, so a test that
 * then finds it nowhere in the output tested a run that carried it. Our h2 transport sends
 * header values as raw HPACK literals (src/triton/h2/hpack-encoder.ts), so they appear
 * verbatim; grpc-js may Huffman-code them.
 */
import { createServer, connect, type Socket } from 'node:net';

/** The running proxy. */
export interface SniffingProxy {
  /** `127.0.0.1:<port>`: give this to the client instead of the server's address. */
  readonly address: string;
  /** True once the needle was seen in bytes from a client. */
  hasSeen(): boolean;
  close(): Promise<void>;
}

/** Starts a proxy to `target` (`host:port`) that looks for `needle` in client-to-server bytes. */
export async function startSniffingProxy(target: string, needle: string): Promise<SniffingProxy> {
  const wanted = Buffer.from(needle, 'utf8');
  const [host = '127.0.0.1', port = '0'] = target.split(':');
  const sockets = new Set<Socket>();
  let isSeen = false;
  const server = createServer((client) => {
    const upstream = connect(Number(port), host);
    sockets.add(client).add(upstream);
    // Keep the tail of the previous chunk so a needle split across chunks is still found.
    let tail = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      const window = Buffer.concat([tail, chunk]);
      if (window.includes(wanted)) isSeen = true;
      tail = window.subarray(Math.max(0, window.length - wanted.length + 1));
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', closeBoth).on('close', closeBoth);
    upstream.on('error', closeBoth).on('close', closeBoth);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const info = server.address();
  if (info === null || typeof info === 'string') throw new Error('sniffing proxy: no TCP address');
  return {
    address: `127.0.0.1:${info.port}`,
    hasSeen: () => isSeen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
