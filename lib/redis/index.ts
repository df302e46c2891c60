// asphalt-ts/redis: a node-redis client as a resource (YAML `type: redis`).
export { RedisComponent } from './redis-component';
export { RedisConfig, RedisConnectionConfig, RedisReconnectConfig, RedisTlsConfig } from './redis-config';
export { RedisClient, createRedisClient, describeRedisTarget, redisClientOptions } from './redis-client';
export { RedisConnection } from './redis-connection';
export type { RedisConnectionEvent } from './redis-connection';
export { RedisConnectionError } from './redis-errors';
export { openRedisClient, closeRedisClient } from './open-redis-client';
export type { OpenRedisClientOptions } from './open-redis-client';
