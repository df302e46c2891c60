import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { ApplicationState, Component, Context, InvalidArgumentError, Logger, provides, requires } from '../index';
import { defineTask } from '../workers/index';
import { HealthRegistry } from '../health/index';
import { Queue, UsesQueueComponent } from '../queue/index';
import { closeRedisClient, openRedisClient, RedisConnection } from '../redis/index';
import { SqlDatabase } from '../sql/index';
import { MemoryRunStore, RedisRunStore, SqlRunStore, type RunStore } from './run-store';
import { CurrentRun, isScheduledJobHandler, type ScheduledJobHandler, type ScheduledRun } from './scheduled-job';
import { Scheduler } from './scheduler';
import { SchedulerConfig } from './scheduler-config';
import { triggerFromConfig } from './trigger-from-config';

let instances = 0;

/** `asphalt schedules` asks a component through this global symbol (the runner imports no battery). */
const LIST_SCHEDULES = Symbol.for('asphalt-ts.schedules');

/**
 * Publishes a {@link Scheduler} (YAML `type: scheduler`) that runs the schedules of its config
 * (and those added in code) once the whole application has started. With `store: redis`, each
 * run is claimed once across every instance (`SET NX PX` on the Redis of the `redis` component;
 * with `store: sql`, a row inserted into a table of a `sql` component's PostgreSQL database),
 * so N processes running the same schedules run each fire time once. Each run gets its own child
 * context; at stop, runs in progress get `drainTimeout` to finish, then their signal aborts.
 *
 * @example
 * components:
 *   scheduler:
 *     type: scheduler
 *     store: redis
 *     jobs: [./jobs.js:digest]
 *     schedules:
 *       - { id: nightly-digest, job: digest, args: { to: ops }, trigger: { cron: '0 3 * * *', timezone: Europe/Paris } }
 */
@provides(Scheduler)
export class SchedulerComponent extends Component {
  @requires(RedisConnection, { name: (config: SchedulerConfig) => config.redis, optional: true }) redis?: RedisConnection;
  @requires(SqlDatabase, { name: (config: SchedulerConfig) => config.sql, optional: true }) sqlDatabase?: SqlDatabase;
  @requires(ApplicationState, { optional: true }) application?: ApplicationState;
  @requires(Logger, { optional: true }) logger?: Logger;
  @requires(HealthRegistry, { optional: true }) health?: HealthRegistry;
  readonly scheduler = new Scheduler();

  constructor(readonly config: SchedulerConfig) {
    super();
    const queues = new Set(config.schedules.map((s) => s.queue).filter((q): q is string => q !== undefined));
    for (const name of queues) this.addComponent(`uses-${name}`, UsesQueueComponent, { name });
    config.schedules.forEach((schedule, i) =>
      this.scheduler.add({
        id: schedule.id,
        job: schedule.job,
        args: schedule.args,
        trigger: triggerFromConfig(schedule.trigger, `scheduler config schedules.${i}.trigger`),
        misfireGraceTime: schedule.misfireGraceTime ?? config.misfireGraceTime,
        coalesce: schedule.coalesce ?? config.coalesce,
        maxInstances: schedule.maxInstances ?? config.maxInstances,
        queue: schedule.queue,
      }),
    );
  }

  /** For `asphalt schedules`: the schedules with their next `count` fire times. */
  [LIST_SCHEDULES](count: number): ReturnType<Scheduler['list']> {
    return this.scheduler.list(count);
  }

  override async start(ctx: Context): Promise<void> {
    const config = this.config;
    const scheduler = this.scheduler;
    for (const handler of loadHandlers(config.jobs, config.baseDir ?? process.cwd())) scheduler.handle(handler);
    const store = await this.#openStore(ctx);
    const runs = new Context(ctx);
    const bound = new WeakMap<Context, ScheduledRun>();
    runs.addResourceFactory(
      () => {
        for (let at: Context | undefined = Context.current(); at !== undefined; at = at.parent) {
          const run = bound.get(at);
          if (run !== undefined) return run;
        }
        throw new InvalidArgumentError('CurrentRun: this context is not inside a scheduled run');
      },
      { types: [CurrentRun], description: 'the scheduled run of this context' },
    );
    scheduler.attach({
      store,
      runs,
      defaults: { misfireGraceTime: config.misfireGraceTime, coalesce: config.coalesce, maxInstances: config.maxInstances },
      logger: this.logger,
      queue: (name) => ctx.getResource(Queue, name),
      bind: (runCtx, run) => bound.set(runCtx, run),
    });
    ctx.addResource(scheduler, {
      types: [Scheduler],
      description: `scheduler (${config.store} store)`,
      teardown: async () => {
        await scheduler.stop(config.drainTimeout);
        await runs.close();
        await store.close();
      },
    });
    const remove = this.health?.add(`scheduler`, () => ({
      store: config.store,
      schedules: scheduler.list(1).map((s) => ({ id: s.id, next: s.next[0]?.toISOString(), lastSuccess: s.lastSuccess?.toISOString() })),
    }));
    if (remove) ctx.addTeardownCallback(remove);
    if (!config.enabled) return;
    if (this.application === undefined) scheduler.start();
    else void this.application.whenStarted().then(() => scheduler.start());
  }

  async #openStore(ctx: Context): Promise<RunStore> {
    const config = this.config;
    if (config.store === 'memory') return new MemoryRunStore();
    if (config.store === 'sql') {
      const db = this.sqlDatabase;
      if (db === undefined || db.dialect !== 'postgres') {
        throw new InvalidArgumentError(
          `scheduler with store: sql: ${db === undefined ? `no sql component publishes SqlDatabase '${config.sql}'` : `SqlDatabase '${config.sql}' is ${db.dialect}`}; ` +
            `add a sql component with a postgres:// url (or set 'sql' to its name), or use store: redis`,
        );
      }
      const store = new SqlRunStore(db, config.sqlTable, `${hostname()}:${process.pid}:${++instances}`);
      await store.prepare();
      return store;
    }
    const settings = config.connection ?? this.redis?.settings;
    if (settings === undefined) {
      throw new InvalidArgumentError(
        `scheduler with store: redis: no Redis settings: no redis component publishes RedisConnection '${config.redis}' and the config gives no 'connection'`,
      );
    }
    const abort = new AbortController();
    ctx.addTeardownCallback(() => abort.abort());
    let started = false;
    const client = await openRedisClient(settings, {
      usedBy: 'scheduler (redis store)',
      signal: abort.signal,
      onError: (error) => started && this.logger?.warn({ err: error }, `scheduler (redis store): ${error.message}`),
    });
    started = true;
    return new RedisRunStore(client, config.keyPrefix, `${hostname()}:${process.pid}:${++instances}`, () => closeRedisClient(client, 1_000));
  }
}

function loadHandlers(specifiers: readonly string[], baseDir: string): ScheduledJobHandler[] {
  return specifiers.map((specifier) => {
    const { file, exportName } = defineTask(specifier);
    const path = isAbsolute(file) ? file : resolve(baseDir, file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- handlers are named in config
    const value = (require(path) as Record<string, unknown>)[exportName];
    if (!isScheduledJobHandler(value)) {
      throw new InvalidArgumentError(`scheduler: "${specifier}" is not a scheduled job handler (made with scheduledJob())`);
    }
    return value;
  });
}
