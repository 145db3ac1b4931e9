/** Making node:http servers, and closing them without hanging on keep-alive connections. */
import type { Server } from 'node:http';

/**
 * node:http's createServer, taken with process.getBuiltinModule rather than an
 * `import`: an ESM import of a built-in reads every export to build its
 * namespace, and node:http's lazy WebSocket/CloseEvent/MessageEvent getters
 * then load Node's bundled fetch (undici, a 750 KB script): ~12 MiB of RSS for
 * good in a process that only serves /metrics (issue 22: idle memory).
 */
export const { createServer } = process.getBuiltinModule('node:http');

/** Stops accepting, lets a request in progress get its answer, then cuts whatever is still open. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeIdleConnections();
    setImmediate(() => {
      server.closeAllConnections();
    });
  });
}
