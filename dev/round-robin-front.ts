// The cluster mode's front (dev/cluster.ts): what a layer-4 load balancer does before several API
// processes, in a few lines of node:net, so the cluster needs no proxy installed.
import net from 'node:net';
import type { Logger } from 'pino';

/**
 * The round-robin front: a TCP proxy on one port that hands each new connection to the next API,
 * skipping any that refuses it (a dead API costs its callers one reconnect, not an error). HTTP
 * keep-alive connections stay with the API they reached, as behind any layer-4 balancer.
 */
export async function roundRobinFront(port: number, apiPorts: readonly number[], logger: Pick<Logger, 'warn'>): Promise<{ close(): Promise<void> }> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const first = next++ % apiPorts.length;
    const attempt = (tried: number) => {
      if (tried === apiPorts.length) {
        logger.warn('no API answered: connection closed');
        client.destroy();
        return;
      }
      const upstream = net.connect({ host: '127.0.0.1', port: apiPorts[(first + tried) % apiPorts.length]! });
      let connected = false;
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => {
        if (connected) client.destroy();
        else attempt(tried + 1);
      });
      upstream.once('connect', () => {
        connected = true;
        if (client.destroyed) {
          upstream.destroy();
          return;
        }
        client.pipe(upstream);
        upstream.pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
