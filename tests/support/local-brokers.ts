/**
 * The machine's brokers (../shared/ENVIRONMENT.md): RabbitMQ on 5672, Redis on 6379, NATS
 * JetStream on 4222, on 127.0.0.1. Broker tests must run under CI=true; elsewhere a broker that is
 * not listening on its default port makes its tests skip, with a warning that says so. The bench's
 * destination-types section leaves such a broker out.
 */
import { connect } from 'node:net';

export const BROKER_PORTS = { amqp: 5672, redis: 6379, nats: 4222 } as const;
export type BrokerName = keyof typeof BROKER_PORTS;

export function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000, () => (socket.destroy(), resolve(false)));
    socket.once('connect', () => (socket.end(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Which brokers answer on their default local ports. */
export async function localBrokers(): Promise<Record<BrokerName, boolean>> {
  const [amqp, redis, nats] = await Promise.all([listening(BROKER_PORTS.amqp), listening(BROKER_PORTS.redis), listening(BROKER_PORTS.nats)]);
  return { amqp, redis, nats };
}

/** For a test file: `skip(name)` is true when that broker is down and this is not CI (then a warning names it). */
export async function brokerSkips(testFile: string): Promise<(name: BrokerName) => boolean> {
  const ci = process.env.CI === 'true';
  const up = await localBrokers();
  for (const [name, ok] of Object.entries(up)) {
    if (!ok && !ci) console.warn(`${testFile}: ${name} is not listening on its default port on 127.0.0.1; its tests are skipped`);
  }
  return (name) => !up[name] && !ci;
}
