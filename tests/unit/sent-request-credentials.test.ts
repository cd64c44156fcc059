/**
 * An attempt's URL as event detail shows it: any credential in it is `***` for every role, a NATS
 * token (the user of a user-only NATS URL) as well as a password, also for attempts recorded
 * before the destination's secret was split out of its URL.
 */
import { describe, expect, it } from 'vitest';
import { sentRequestView } from '@/lib/events/sent-request';

const urlFor = (url: string) => sentRequestView({ url, headers: {} }, 'ADMIN')?.url;

describe('credentials in an attempt URL', () => {
  it('masks a password and a NATS token, and leaves a user name and masked URLs alone', () => {
    expect(urlFor('amqp://hookyard:s3cret@127.0.0.1:5672/vhost')).toBe('amqp://hookyard:***@127.0.0.1:5672/vhost');
    expect(urlFor('nats://t0ken@127.0.0.1:4222')).toBe('nats://***@127.0.0.1:4222');
    expect(urlFor('nats://hookyard:s3cret@127.0.0.1:4222')).toBe('nats://hookyard:***@127.0.0.1:4222');
    expect(urlFor('nats://***@127.0.0.1:4222')).toBe('nats://***@127.0.0.1:4222');
    expect(urlFor('amqp://hookyard@127.0.0.1:5672/')).toBe('amqp://hookyard@127.0.0.1:5672/');
    expect(urlFor('https://agent.internal/hook')).toBe('https://agent.internal/hook');
  });
});
