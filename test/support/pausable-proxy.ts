import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a server. While paused, what clients send is dropped (not
 * queued), so nothing a client says in that time ever reaches the server: a process's report is
 * lost exactly as if the process had died before sending it.
 */
export class PausableProxy {
  private paused = false;
  private readonly sockets = new Set<net.Socket>();
  private constructor(
    private readonly server: net.Server,
    readonly address: string,
  ) {}

  static async start(target: string): Promise<PausableProxy> {
    const [host, port] = target.split(':') as [string, string];
    let proxy: PausableProxy | undefined;
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(port), host);
      proxy!.sockets.add(client).add(upstream);
      client.on('data', (chunk) => {
        if (!proxy!.paused) upstream.write(chunk);
      });
      upstream.on('data', (chunk) => client.write(chunk));
      const close = () => {
        client.destroy();
        upstream.destroy();
        proxy!.sockets.delete(client);
        proxy!.sockets.delete(upstream);
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port: proxyPort } = server.address() as net.AddressInfo;
    proxy = new PausableProxy(server, `127.0.0.1:${proxyPort}`);
    return proxy;
  }

  /** From now on, drop everything clients send. */
  pause(): void {
    this.paused = true;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
