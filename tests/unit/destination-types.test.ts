/**
 * How the dashboard words destination types: the type a URL's scheme names (the form detects it
 * as it is typed, with the same table the API validates with), the `***` mask that means "keep
 * the stored password", and the options as the destination page and the list show them.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DESTINATION_TYPE_INFO, hasMaskedPassword, optionRows, optionsSummary, typeOfUrl } from '@/components/destinations/destination-types';
import { DESTINATION_TYPES } from '@/lib/destinations/destination-options';

describe('destination types in the dashboard', () => {
  it('detects the type from the scheme, HTTP for anything else', () => {
    expect(typeOfUrl('amqps://u:p@rabbit:5671/vhost')).toBe('amqp');
    expect(typeOfUrl('REDISS://cache:6380')).toBe('redis');
    expect(typeOfUrl('nats://n:4222')).toBe('nats');
    expect(typeOfUrl('https://agent.internal/hook')).toBe('http');
    expect(typeOfUrl('agent.internal/hook')).toBe('http');
  });

  it('offers exactly the options the API accepts for each type, required where the API requires them', () => {
    for (const [type, { options }] of Object.entries(DESTINATION_TYPES)) {
      const fields = DESTINATION_TYPE_INFO[type as keyof typeof DESTINATION_TYPES].options;
      expect(fields.map((field) => field.key).sort()).toEqual(Object.keys(options.shape).sort());
      const shape = options.shape as Record<string, z.ZodType>;
      for (const field of fields) expect(shape[field.key]!.safeParse(undefined).success).toBe(!field.required);
    }
  });

  it('every example URL is of its own type', () => {
    for (const [type, info] of Object.entries(DESTINATION_TYPE_INFO)) expect(typeOfUrl(info.exampleUrl)).toBe(type);
  });

  it('recognises the *** mask only where the password is', () => {
    expect(hasMaskedPassword('amqp://guest:***@127.0.0.1:5672')).toBe(true);
    expect(hasMaskedPassword('amqp://guest:guest@127.0.0.1:5672')).toBe(false);
    expect(hasMaskedPassword('redis://127.0.0.1:6379')).toBe(false);
    expect(hasMaskedPassword('not a url ***')).toBe(false);
    // A NATS token masked in the user's place (the page then offers Reveal); a user named *** elsewhere is no mask.
    expect(hasMaskedPassword('nats://***@127.0.0.1:4222')).toBe(true);
    expect(hasMaskedPassword('nats://hookyard:***@127.0.0.1:4222')).toBe(true);
    expect(hasMaskedPassword('amqp://***@127.0.0.1:5672')).toBe(false);
  });

  it('spells out defaults and summarises the options in one line', () => {
    expect(optionRows('amqp', { exchange: '', routingKey: 'orders.{eventType}' })).toEqual([
      { label: 'Exchange', value: '(default exchange)' },
      { label: 'Routing key', value: 'orders.{eventType}' },
    ]);
    expect(optionRows('redis', { stream: 's', maxLen: 100000 })).toEqual([
      { label: 'Stream', value: 's' },
      { label: 'Max length', value: '100,000' },
    ]);
    expect(optionRows('redis', { stream: 's' })[1]).toEqual({ label: 'Max length', value: 'None' });
    expect(optionsSummary('amqp', { exchange: 'events', routingKey: 'k' })).toBe('exchange "events", routing key "k"');
    expect(optionsSummary('amqp', { exchange: '', routingKey: 'k' })).toBe('routing key "k"');
    expect(optionsSummary('nats', { subject: 'a.{source}' })).toBe('subject "a.{source}"');
    expect(optionsSummary('http', {})).toBeNull();
  });
});
