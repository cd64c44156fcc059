/**
 * Structured logs (pino). Anything that might hold a secret is redacted by path, and secret
 * values are never passed to the logger in the first place (see tests/unit/no-secret-in-logs).
 */
import pino from 'pino';

const destination = process.env.HOOKYARD_LOG_FILE ? pino.destination({ dest: process.env.HOOKYARD_LOG_FILE, sync: true }) : undefined;

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: process.env.HOOKYARD_PROCESS ?? 'web' },
  redact: {
    paths: [
      'password',
      '*.password',
      'secret',
      '*.secret',
      'value',
      '*.value',
      'headers.authorization',
      'headers.cookie',
      '*.headers.authorization',
      '*.headers.cookie',
      'apiKey',
      '*.apiKey',
      'signingSecret',
      '*.signingSecret',
    ],
    censor: '[redacted]',
  },
}, destination);
