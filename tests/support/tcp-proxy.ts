/**
 * A TCP proxy in front of a real broker, for fault tests that must not stop the machine's
 * brokers: `stop()` closes the port and cuts every connection (the broker "went away"),
 * `start()` listens on the same port again (it "came back"), and `holdReplies` keeps forwarding
 * what the client sends while holding back what the broker answers (a publish that reached the
 * broker whose confirm never came back).
 */
import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** While true, the broker's bytes are held (dropped when the connection ends); the client's still go through. */
  holdReplies: boolean;
  /** Bytes the clients sent since the proxy started (all connections). */
  readonly clientBytes: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let clientBytes = 0;
  const proxy = {
    holdReplies: false,
    get port() {
      return port;
    },
    get clientBytes() {
      return clientBytes;
    },
    async start() {
      server = createServer((client) => {
        const upstream = connect(target);
        sockets.add(client).add(upstream);
        client.on('data', (chunk) => {
          clientBytes += chunk.length;
          upstream.write(chunk);
        });
        upstream.on('data', (chunk) => {
          if (!proxy.holdReplies) client.write(chunk);
        });
        const end = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('close', end).on('error', end);
        upstream.on('close', end).on('error', end);
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    },
  };
  await proxy.start();
  return proxy;
}
