import net from 'node:net';

// Here rather than in dev/ because the worker and the relay pick their Temporal SDK metrics port
// with it (worker/process-metrics.ts); dev/free-port.ts re-exports it beside its other helpers.

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
