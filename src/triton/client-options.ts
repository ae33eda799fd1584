/**
 * TritonClient options from the validated server config: the one place the edges (action and
 * CLI) turn `server-url`, `server-headers` and `transport` into a client.
 */
import type { ServerConfig } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { TritonClientOptions } from './triton-client.js';

/** Options for `new TritonClient(...)`; transport warnings go to `log`. */
export function tritonClientOptions(server: ServerConfig, log: Logger): TritonClientOptions {
  return {
    address: server.address,
    isTls: server.isTls,
    headers: server.headers,
    transport: server.transport,
    onWarning: (message) => {
      log.warn(message);
    },
  };
}
