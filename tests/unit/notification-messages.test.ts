/**
 * What notifications say and how the email settings are read: pure functions, no network. The
 * senders' real traffic is tested in tests/integration/notification-*.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@/lib/config/env';
import { readNotificationSettings } from '@/lib/config/settings';
import { maskChannelUrl } from '@/lib/notifications/manage-channels';
import { type AlertFacts, DIGEST_LISTED, type NotificationItem, plainText } from '@/lib/notifications/notification-message';
import { emailMessage, sendEmail } from '@/lib/notifications/send-email';
import { slackMessage } from '@/lib/notifications/send-slack';
import { webhookBody } from '@/lib/notifications/send-webhook';

const context = { baseUrl: 'https://hooks.example.com', channelName: '#ops' };

function alert(i: number, overrides: Partial<AlertFacts> = {}): AlertFacts {
  return {
    id: `0190a0a0-0000-7000-8000-${String(i).padStart(12, '0')}`,
    kind: 'destination_circuit_open',
    status: 'open',
    message: `circuit opened after 10 failures (${i})`,
    count: 1,
    target: { type: 'destination', id: `d${i}`, name: `API ${i}` },
    createdAt: new Date('2026-12-02T06:30:00Z'),
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    ...overrides,
  };
}
const item = (i: number, event: 'raised' | 'resolved' = 'raised', facts = alert(i)): NotificationItem => ({ notificationId: `n${i}`, event, alert: facts });

describe('messages', () => {
  it('say what happened, to what, since when, and link to the alert', () => {
    const text = plainText([item(1)], context);
    expect(text).toContain('Raised: Circuit open on destination "API 1"');
    expect(text).toContain('circuit opened after 10 failures (1)');
    expect(text).toContain('Since 2026-12-02 06:30:00 UTC.');
    expect(text).toContain('https://hooks.example.com/alerts/0190a0a0-0000-7000-8000-000000000001');
    const resolved = plainText(
      [
        item(
          2,
          'resolved',
          alert(2, { status: 'resolved', count: 4, resolvedAt: new Date('2026-12-02T07:15:00Z'), resolvedBy: 'system', resolution: 'the circuit closed' }),
        ),
      ],
      context,
    );
    expect(resolved).toContain('Open from 2026-12-02 06:30:00 UTC to 2026-12-02 07:15:00 UTC (45 min, 4 occurrences).');
    expect(resolved).toContain('Resolved by system: the circuit closed.');
  });

  it('fold many notifications into a digest that lists the first ten and counts the rest', () => {
    const items = Array.from({ length: 37 }, (_, i) => item(i, i % 2 ? 'resolved' : 'raised'));
    const text = plainText(items, context);
    expect(text).toContain('Hookyard: 37 alert notifications (19 raised, 18 resolved)');
    expect(text.split('\n').filter((line) => line.startsWith('- '))).toHaveLength(DIGEST_LISTED);
    expect(text).toContain('…and 27 more.');
    const slack = slackMessage(items, context);
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(slack.blocks)).toContain('…and 27 more.');
    const mail = emailMessage(items, context);
    expect(mail.subject).toBe('[Hookyard] Hookyard: 37 alert notifications (19 raised, 18 resolved)');
    expect(mail.html).toContain('…and 27 more.');
  });

  it("give a webhook one notification in SPEC's shape, never a digest", () => {
    const resolvedAt = new Date('2026-12-02T07:15:00Z');
    const facts = alert(5, { status: 'resolved', count: 4, resolvedAt, resolvedBy: 'system', resolution: 'the circuit closed' });
    expect(webhookBody(item(5, 'resolved', facts), context, new Date())).toEqual({
      type: 'alert.resolved',
      id: 'n5',
      alert: {
        id: facts.id,
        kind: 'destination_circuit_open',
        status: 'resolved',
        message: 'circuit opened after 10 failures (5)',
        count: 4,
        target: { type: 'destination', id: 'd5', name: 'API 5' },
        createdAt: '2026-12-02T06:30:00.000Z',
        resolvedAt: '2026-12-02T07:15:00.000Z',
        resolvedBy: 'system',
        resolution: 'the circuit closed',
        url: `https://hooks.example.com/alerts/${facts.id}`,
      },
    });
    expect(webhookBody(item(6), context, new Date())).toMatchObject({ type: 'alert.raised', id: 'n6', alert: { id: alert(6).id, status: 'open' } });
    const now = new Date('2026-12-02T08:00:00Z');
    expect(webhookBody({ notificationId: 't1', event: 'test', alert: null }, context, now)).toEqual({
      type: 'notification.test',
      id: 't1',
      channel: { name: '#ops' },
      message: 'A test message from Hookyard. It is safe to ignore.',
      sentAt: '2026-12-02T08:00:00.000Z',
    });
  });

  it('escape names for Slack mrkdwn and HTML mail, so a name cannot ping a channel or inject markup', () => {
    const nasty = item(3, 'raised', alert(3, { target: { type: 'source', id: 's', name: '<!channel> & <b>x</b>' }, message: '<script>alert(1)</script>' }));
    const message = slackMessage([nasty], context);
    // Slack parses `text` and mrkdwn sections (a plain_text header is never parsed).
    const parsed = JSON.stringify([message.text, message.blocks.filter((block) => block.type !== 'header')]);
    expect(parsed).not.toContain('<!channel>');
    expect(parsed).not.toContain('<script>');
    expect(message.text).toContain('&lt;!channel&gt; &amp; &lt;b&gt;');
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    const mail = emailMessage([nasty], context);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.subject).toBe('[Hookyard] Raised: Circuit open on source "<!channel> & <b>x</b>"');
  });

  it('mask channel URLs to their origin and last four characters', () => {
    expect(maskChannelUrl('https://hooks.slack.com/services/T000/B000/abcdefghijklmnopqrstuvwx')).toBe('https://hooks.slack.com/…uvwx');
    expect(maskChannelUrl('https://ops.example.com/')).toBe('https://ops.example.com');
    expect(maskChannelUrl('https://ops.example.com/hook')).toBe('https://ops.example.com/…');
  });
});

describe('HOOKYARD_SMTP_URL and HOOKYARD_EMAIL_FROM', () => {
  it('without them, an email send fails with a clear error kind instead of trying', async () => {
    const result = await sendEmail(['ops@example.com'], [item(1)], context, { smtpUrl: null, emailFrom: null });
    expect(result).toEqual({
      ok: false,
      status: null,
      errorKind: 'not_configured',
      error: 'HOOKYARD_SMTP_URL and HOOKYARD_EMAIL_FROM must both be set to send email',
    });
  });

  it('are optional together, and read when valid', () => {
    expect(readNotificationSettings({})).toEqual({ smtpUrl: null, emailFrom: null });
    expect(readNotificationSettings({ HOOKYARD_SMTP_URL: 'smtp://u:p@mail.example.com:587', HOOKYARD_EMAIL_FROM: 'Hookyard <hookyard@example.com>' })).toEqual({
      smtpUrl: 'smtp://u:p@mail.example.com:587',
      emailFrom: 'Hookyard <hookyard@example.com>',
    });
  });

  it('stop start-up with one line naming the setting, never repeating the password', () => {
    const cases: [Record<string, string>, string][] = [
      [{ HOOKYARD_SMTP_URL: 'mail.example.com:587', HOOKYARD_EMAIL_FROM: 'a@example.com' }, 'HOOKYARD_SMTP_URL'],
      [{ HOOKYARD_SMTP_URL: 'https://u:s3cret-pass@mail.example.com', HOOKYARD_EMAIL_FROM: 'a@example.com' }, 'HOOKYARD_SMTP_URL'],
      [{ HOOKYARD_SMTP_URL: 'smtp://u:s3cret-pass@mail.example.com:587' }, 'HOOKYARD_EMAIL_FROM'],
      [{ HOOKYARD_SMTP_URL: 'smtp://u:s3cret-pass@mail.example.com:587', HOOKYARD_EMAIL_FROM: 'hookyard' }, 'HOOKYARD_EMAIL_FROM'],
    ];
    for (const [env, setting] of cases) {
      let error: unknown;
      try {
        readNotificationSettings(env);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(env)).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).setting).toBe(setting);
      expect((error as Error).message).not.toContain('s3cret-pass');
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
