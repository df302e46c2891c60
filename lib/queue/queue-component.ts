import type { Queue as BullQueue } from 'bullmq';
import { Component, Logger, provides, requirePeer, requires, type Context } from '../index';
import { HealthRegistry } from '../health/index';
import { closeRedisClient, describeRedisTarget, openRedisClient, RedisConnection } from '../redis/index';
import { connectionSettings } from './connection-settings';
import { Queue } from './queue';
import { QueueConfig } from './queue-config';

/**
 * Publishes a {@link Queue} for producers (YAML `type: queue`) on BullMQ, named after the alias
 * (`queue/emails` publishes `Queue 'emails'`). It connects with the settings of the `redis`
 * component named by `redis` (or its own `connection`), proves the connection at start, and
 * closes after every component that requires the queue has stopped.
 *
 * @example
 * components:
 *   redis: { type: redis }
 *   queue/reports: { type: queue, queue: reports, defaults: { attempts: 5, backoff: { type: exponential, delay: 500 } } }
 */
@provides(Queue)
export class QueueComponent extends Component {
  @requires(RedisConnection, { name: (config: QueueConfig) => config.redis, optional: true }) redis?: RedisConnection;
  @requires(Logger, { optional: true }) logger?: Logger;
  @requires(HealthRegistry, { optional: true }) health?: HealthRegistry;

  constructor(readonly config: QueueConfig) {
    super();
  }

  override async start(ctx: Context): Promise<void> {
    const config = this.config;
    const what = `queue '${config.queue}'`;
    const settings = connectionSettings(config, this.redis, what);
    const target = describeRedisTarget(settings);
    const abort = new AbortController();
    ctx.addTeardownCallback(() => abort.abort());
    let started = false;
    const client = await openRedisClient(settings, {
      usedBy: what,
      signal: abort.signal,
      onError: (error) => {
        if (started) this.logger?.warn({ queue: config.queue, target, err: error }, `${what} at ${target}: ${error.message}`);
      },
    });
    started = true;
    const bullmq = requirePeer<typeof import('bullmq')>('bullmq', 'asphalt-ts/queue', '6');
    const bull: BullQueue = new bullmq.Queue(config.queue, { connection: client, prefix: config.prefix });
    bull.on('error', (error: Error) => this.logger?.warn({ queue: config.queue, err: error }, `${what}: ${error.message}`));
    await bull.waitUntilReady();
    const queue = new Queue(bull, config, this.logger);
    ctx.addResource(queue, {
      types: [Queue],
      description: `BullMQ queue '${config.queue}' at ${target}`,
      teardown: async () => {
        queue.close();
        // Redis down: do not wait for it (nothing is in flight that a producer still waits for).
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([bull.close().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
        clearTimeout(timer);
        await closeRedisClient(client, 2_000);
      },
    });
    let name = 'default';
    for (const [published, value] of ctx.getResources(Queue)) if (value === queue) name = published;
    const remove = this.health?.add(`queue:${name}`, async () => {
      if (!client.isReady) throw new Error(`not connected to ${target}`);
      return { queue: config.queue, waiting: await bull.getWaitingCount() };
    });
    if (remove) ctx.addTeardownCallback(remove);
  }
}
