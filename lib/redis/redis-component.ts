import { Component, Logger, provides, requires, type Context } from '../index';
import { HealthRegistry } from '../health/index';
import { createRedisClient, describeRedisTarget, RedisClient } from './redis-client';
import { RedisConfig } from './redis-config';
import { RedisConnection } from './redis-connection';
import { RedisConnectionError } from './redis-errors';

/** Errors that no reconnection cures: wrong credentials, a refused TLS certificate. */
const fatalAtStart = /WRONGPASS|NOAUTH|NOPERM|invalid password|ERR AUTH|certificate|self[- ]signed|SSL|TLS/i;

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
    const client = createRedisClient(config);
    const connection = new RedisConnection(client, config);
    let starting = true;
    let failStart: ((error: Error) => void) | undefined;
    client.on('error', (error: Error) => {
      connection.report('error', error);
      if (starting) {
        if (fatalAtStart.test(error.message)) failStart?.(error);
        return;
      }
      this.logger?.warn({ redis: connection.name, target, err: error }, `redis '${connection.name}' at ${target}: ${error.message}`);
    });
    client.on('connect', () => connection.report('connect'));
    client.on('ready', () => {
      connection.report('ready');
      if (!starting) this.logger?.info({ redis: connection.name, target }, `redis '${connection.name}' at ${target} is ready again`);
    });
    client.on('reconnecting', () => connection.report('reconnecting'));
    client.on('end', () => connection.report('end'));

    try {
      await new Promise<void>((resolve, reject) => {
        failStart = reject;
        const timer = setTimeout(
          () => reject(new Error(`no answer to PING within connectTimeout (${config.connectTimeout} ms)${connection.lastError ? `; last error: ${connection.lastError.message}` : ''}`)),
          config.connectTimeout,
        );
        // A start abandoned by its timeout is torn down while still connecting: stop retrying.
        ctx.addTeardownCallback(() => {
          if (starting) client.destroy();
        });
        client
          .connect()
          .then(() => client.ping())
          .then(() => resolve(), reject)
          .finally(() => clearTimeout(timer));
      });
    } catch (error) {
      client.destroy();
      const reason = error instanceof Error ? error.message : String(error);
      throw new RedisConnectionError(
        `redis component: cannot connect to ${target}: ${reason}; check host, port, password and tls in its config, and that the server runs`,
        { cause: error },
      );
    } finally {
      starting = false;
    }

    ctx.addResource(connection, { types: [RedisConnection], description: `redis connection to ${target}` });
    for (const [name, value] of ctx.getResources(RedisConnection)) if (value === connection) connection.name = name;
    ctx.addResource(client, {
      types: [RedisClient],
      name: connection.name,
      description: `redis client of ${target}`,
      teardown: () => closeClient(client, config.closeTimeout),
    });
    const remove = this.health?.add(
      `redis:${connection.name}`,
      async () => {
        if (!client.isReady) throw new Error(`not connected to ${target}${connection.lastError ? `: ${connection.lastError.message}` : ''}`);
        await client.ping();
        return { target };
      },
      { timeout: config.healthTimeout },
    );
    if (remove) ctx.addTeardownCallback(remove);
  }
}

/** `QUIT` once the pending replies are in (when connected); destroys the socket when that takes longer than `ms`. */
async function closeClient(client: RedisClient, ms: number): Promise<void> {
  if (!client.isOpen) return;
  if (!client.isReady) {
    client.destroy();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  try {
    const outcome = await Promise.race([client.quit().catch(() => 'failed' as const), late]);
    if (outcome === 'late' || outcome === 'failed') client.destroy();
  } finally {
    clearTimeout(timer);
  }
}
