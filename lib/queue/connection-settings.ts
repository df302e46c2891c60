import { RedisConnectionConfig, type RedisConnection } from '../redis/index';
import type { QueueConnectionSettings } from './queue-config';
import { QueueConnectionError } from './queue-errors';

/**
 * The Redis settings a queue or worker connects with: its own `connection`, else those of the
 * `redis` component named by `redis` (which it requires, so it stops before that component).
 */
export function connectionSettings(config: QueueConnectionSettings, redis: RedisConnection | undefined, what: string): RedisConnectionConfig {
  if (config.connection !== undefined) return config.connection;
  if (redis !== undefined) return redis.settings;
  throw new QueueConnectionError(
    `${what}: no Redis connection settings: there is no redis component publishing RedisConnection '${config.redis}' ` +
      `and the config gives no 'connection'; add a redis component (type: redis) or set 'connection: { host, port }'`,
  );
}

/** Settings as given, with defaults filled (a plain object from code becomes a config instance). */
export function withDefaults(settings: Partial<RedisConnectionConfig>): RedisConnectionConfig {
  return Object.assign(new RedisConnectionConfig(), settings);
}
