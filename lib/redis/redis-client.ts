import type { RedisClientOptions, RedisClientType } from 'redis';
import { requirePeer, token, type Token } from '../index';
import type { RedisConnectionConfig, RedisTlsConfig } from './redis-config';

/** The node-redis client the `redis` component publishes (RESP3, node-redis 6's default). */
export type RedisClient = RedisClientType;

/**
 * The key under which the `redis` component publishes its node-redis client (named after the
 * component's alias: `redis/cache` publishes `RedisClient 'cache'`).
 *
 * @example
 * @requires(RedisClient) redis!: RedisClient;
 * await this.redis.set('greeting', 'hello');
 */
export const RedisClient: Token<RedisClient> = token<RedisClient>('RedisClient');

/** node-redis's options for `settings` (what `createRedisClient` passes to `createClient`). */
export function redisClientOptions(settings: RedisConnectionConfig): RedisClientOptions {
  const { initialDelay, maxDelay } = settings.reconnect;
  const reconnectStrategy = (retries: number): number => {
    const delay = Math.min(initialDelay * 2 ** Math.min(retries, 20), maxDelay);
    return Math.round(delay + Math.random() * delay * 0.1);
  };
  const tls: Partial<RedisTlsConfig> | undefined = settings.tls ?? (settings.url?.startsWith('rediss:') ? {} : undefined);
  const socket = tls
    ? {
        tls: true as const,
        host: settings.host,
        port: settings.port,
        ca: tls.ca,
        cert: tls.cert,
        key: tls.key,
        servername: tls.servername,
        rejectUnauthorized: tls.rejectUnauthorized ?? true,
        connectTimeout: settings.connectTimeout,
        reconnectStrategy,
      }
    : { host: settings.host, port: settings.port, connectTimeout: settings.connectTimeout, reconnectStrategy };
  const options: RedisClientOptions = {
    socket,
    database: settings.db,
    disableOfflineQueue: !settings.offlineQueue,
  };
  if (settings.url !== undefined) options.url = settings.url;
  if (settings.username !== undefined) options.username = settings.username;
  if (settings.password !== undefined) options.password = settings.password;
  if (settings.clientName !== undefined) options.name = settings.clientName;
  if (settings.commandTimeout > 0) options.commandOptions = { timeout: settings.commandTimeout };
  return options;
}

/**
 * A new, not yet connected node-redis client for `settings` (loads the `redis` peer dependency).
 * The queue and scheduler batteries open their own connections with it; attach an `'error'`
 * listener before `connect()`.
 */
export function createRedisClient(settings: RedisConnectionConfig, usedBy = 'asphalt-ts/redis'): RedisClient {
  const { createClient } = requirePeer<typeof import('redis')>('redis', usedBy, '6');
  return createClient(redisClientOptions(settings)) as unknown as RedisClient;
}

/** `host:port` (or the URL without its password) of `settings`, for messages. */
export function describeRedisTarget(settings: RedisConnectionConfig): string {
  if (settings.url !== undefined) return settings.url.replace(/\/\/[^@/]*@/, '//***@');
  return `${settings.tls ? 'rediss' : 'redis'}://${settings.host}:${settings.port}/${settings.db}`;
}
