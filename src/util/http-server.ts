/** Closing a node:http server without hanging on keep-alive connections. */
import type { Server } from 'node:http';

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
