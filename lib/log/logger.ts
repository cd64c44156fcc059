/**
 * Structured logs (pino). Anything that might hold a secret is redacted by path, and secret
 * values are never passed to the logger in the first place (see tests/unit/no-secret-in-logs).
 */
import pino from 'pino';

import { inheritedEnv, type LogLevel, readProcessSettings } from '@/lib/config/settings';

// A malformed LOG_LEVEL must not make every import of the logger throw: it is reported, with the
// setting's name, by the process's start-up check (checkAllSettings), and logging goes on at info.
const settings = (() => {
  try {
    return readProcessSettings();
  } catch {
    return { ...readProcessSettings({ ...inheritedEnv(), LOG_LEVEL: 'info' }), logLevel: 'info' as LogLevel };
  }
})();
const destination = settings.logFile ? pino.destination({ dest: settings.logFile, sync: true }) : undefined;

export const logger = pino(
  {
    level: settings.logLevel,
    base: { service: settings.role },
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
  },
  destination,
);
