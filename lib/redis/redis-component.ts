import { Component, Logger, provides, requires, type Context } from '../index';
import { HealthRegistry } from '../health/index';
import { closeRedisClient, openRedisClient } from './open-redis-client';
import { describeRedisTarget, RedisClient } from './redis-client';
import { RedisConfig } from './redis-config';
import { RedisConnection } from './redis-connection';

/**
 * Publishes a node-redis client (YAML `type: redis`) under {@link RedisClient}, and its
 * {@link RedisConnection} (state, events, settings) under the same name. Add it as `redis/cache`
 * to publish clients named `cache`; several may coexist.
 *
 * At start it connects and sends `PING` within `connectTimeout` (so "started" means Redis
 * answers). Errors are always listened to: each is logged, dispatched on
 * `RedisConnection.events` and shown by the health check; the client reconnects with
 * exponential backoff. While it is disconnected, commands fail at once (`offlineQueue: false`).
 * At stop it sends `QUIT` after the pending replies, and destroys the socket after `closeTimeout`.
 *
 * @example
 * components:
 *   redis: { type: redis, host: 127.0.0.1, port: 6379, password: !Env REDIS_PASSWORD }
 */
@provides(RedisClient)
@provides(RedisConnection)
export class RedisComponent extends Component {
  @requires(Logger, { optional: true }) logger?: Logger;
  @requires(HealthRegistry, { optional: true }) health?: HealthRegistry;

  constructor(readonly config: RedisConfig) {
    super();
  }

  override async start(ctx: Context): Promise<void> {
    const config = this.config;
    const target = describeRedisTarget(config);
    let connection: RedisConnection | undefined = undefined;
    let started = false;
    const abort = new AbortController();
    // A start abandoned by its timeout is torn down while still connecting: stop retrying.
    ctx.addTeardownCallback(() => abort.abort());
    const client = await openRedisClient(config, {
      usedBy: 'redis component',
      signal: abort.signal,
      onError: (error) => {
        connection?.report('error', error);
        if (started) this.logger?.warn({ redis: connection?.name, target, err: error }, `redis '${connection?.name}' at ${target}: ${error.message}`);
      },
    });
    connection = new RedisConnection(client, config);
    const state = connection;
    client.on('connect', () => state.report('connect'));
    client.on('ready', () => {
      state.report('ready');
      this.logger?.info({ redis: state.name, target }, `redis '${state.name}' at ${target} is ready again`);
    });
    client.on('reconnecting', () => state.report('reconnecting'));
    client.on('end', () => state.report('end'));
    started = true;

    ctx.addResource(connection, { types: [RedisConnection], description: `redis connection to ${target}` });
    for (const [name, value] of ctx.getResources(RedisConnection)) if (value === connection) connection.name = name;
    ctx.addResource(client, {
      types: [RedisClient],
      name: connection.name,
      description: `redis client of ${target}`,
      teardown: () => closeRedisClient(client, config.closeTimeout),
    });
    const remove = this.health?.add(
      `redis:${connection.name}`,
      async () => {
        if (!client.isReady) throw new Error(`not connected to ${target}${state.lastError ? `: ${state.lastError.message}` : ''}`);
        await client.ping();
        return { target };
      },
      { timeout: config.healthTimeout },
    );
    if (remove) ctx.addTeardownCallback(remove);
  }
}
