/**
 * A small per-process cache of configuration (sources for ingest, destinations for the worker):
 * entries expire after a few seconds, and a NOTIFY on `hookyard_config` clears every cache in
 * every process at once. Nothing lives only here: the database is the source of truth.
 */
import { logger } from '@/lib/log/logger';
import { CONFIG_CHANNEL } from './channels';
import { sql } from './sql';

interface Entry<V> {
  expiresAt: number;
  value: Promise<V>;
}

const globalCaches = globalThis as unknown as { hookyardConfigCaches?: Set<Map<string, unknown>>; hookyardConfigListen?: Promise<unknown> };

function registry(): Set<Map<string, unknown>> {
  globalCaches.hookyardConfigCaches ??= new Set();
  if (!globalCaches.hookyardConfigListen) {
    const clearAll = () => globalCaches.hookyardConfigCaches?.forEach((cache) => cache.clear());
    globalCaches.hookyardConfigListen = sql()
      .listen(CONFIG_CHANNEL, clearAll, clearAll)
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'cannot LISTEN for configuration changes; relying on the cache TTL');
        globalCaches.hookyardConfigListen = undefined;
      });
  }
  return globalCaches.hookyardConfigCaches;
}

export interface ConfigCache<V> {
  get(key: string, now?: number): Promise<V>;
  clear(): void;
}

export function createConfigCache<V>(load: (key: string) => Promise<V>, ttlMs = 5_000): ConfigCache<V> {
  const entries = new Map<string, Entry<V>>();
  let registered = false;
  return {
    get(key, now = Date.now()) {
      if (!registered) {
        registry().add(entries as Map<string, unknown>);
        registered = true;
      }
      const cached = entries.get(key);
      if (cached && cached.expiresAt > now) return cached.value;
      const value = load(key);
      entries.set(key, { expiresAt: now + ttlMs, value });
      value.catch(() => entries.delete(key));
      return value;
    },
    clear: () => entries.clear(),
  };
}
