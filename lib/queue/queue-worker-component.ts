import type { Job, Worker as BullWorker } from 'bullmq';
import {
  ApplicationState,
  Component,
  Context,
  labelContext,
  Logger,
  provides,
  requirePeer,
  requires,
} from '../index';
import { HealthRegistry } from '../health/index';
import { closeRedisClient, describeRedisTarget, openRedisClient, RedisConnection, RedisConnectionConfig } from '../redis/index';
import { connectionSettings } from './connection-settings';
import { finishingWorkerClass } from './finishing-worker';
import { CurrentJob, type JobProcessor, type JobRun } from './job-processor';
import { loadProcessors } from './load-processors';
import { QueueWorkerConfig } from './queue-config';
import { JobProcessorError } from './queue-errors';
import { QueueWorker } from './queue-worker';
import { usesQueueType } from './uses-queue';

/** The reason a job's signal aborts with when the worker returns it to the queue at stop. */
class ReturnedAtStop extends Error {
  override readonly name = 'AbortError';
}

interface ActiveJob {
  readonly abort: AbortController;
}

/**
 * Runs jobs of a BullMQ queue (YAML `type: queue-worker`): each job in its own child context
 * (resources built by factories for it are torn down when it ends, with its error if it failed,
 * so a SQL session commits or rolls back with the job), with the job's `AbortSignal`. It takes
 * jobs only once the whole application has started, and at stop it stops taking jobs, lets the
 * active ones finish within `drainTimeout`, then aborts them and returns them to the queue, all
 * before the queues (`uses`) and the Redis component it depends on stop.
 *
 * Processors come from `processors` in config (`"./jobs.js:renderReport"`) or from code
 * (`this.addProcessor(...)` in a subclass's constructor).
 *
 * @example
 * components:
 *   worker/reports: { type: queue-worker, queue: reports, concurrency: 4, processors: [./jobs.js:renderReport] }
 */
@provides(QueueWorker)
export class QueueWorkerComponent extends Component {
  @requires(RedisConnection, { name: (config: QueueWorkerConfig) => config.redis, optional: true }) redis?: RedisConnection;
  @requires(ApplicationState, { optional: true }) application?: ApplicationState;
  @requires(Logger, { optional: true }) logger?: Logger;
  @requires(HealthRegistry, { optional: true }) health?: HealthRegistry;
  readonly #processors = new Map<string, JobProcessor>();

  constructor(readonly config: QueueWorkerConfig) {
    super();
    for (const name of config.uses) this.addComponent(`uses-${name}`, usesQueueType, { name });
  }

  /** Adds a processor (call it in a subclass's constructor). */
  addProcessor<P, R>(processor: JobProcessor<P, R>): void {
    const name = processor.job.name;
    if (this.#processors.has(name)) {
      throw new JobProcessorError(`queue-worker '${this.config.queue}': two processors for job '${name}'; give each job one processor`);
    }
    this.#processors.set(name, processor as unknown as JobProcessor);
  }

  override async start(ctx: Context): Promise<void> {
    const config = this.config;
    const what = `queue-worker '${config.queue}'`;
    const state = new QueueWorker(config.queue);
    ctx.addResource(state, { types: [QueueWorker], description: `worker of BullMQ queue '${config.queue}'` });
    if (!config.enabled) return;
    for (const processor of loadProcessors(config.processors, config.baseDir ?? process.cwd(), what)) this.addProcessor(processor);
    if (this.#processors.size === 0) {
      throw new JobProcessorError(`${what} has no processors: list them in its config (processors: ["./jobs.js:myJob"]) or call addProcessor() in a subclass`);
    }

    // BullMQ's worker loop expects commands to wait for a reconnection (it retries at once on
    // errors it does not know as connection errors, such as node-redis's ClientOfflineError).
    const settings = Object.assign(new RedisConnectionConfig(), connectionSettings(config, this.redis, what), { offlineQueue: true });
    const target = describeRedisTarget(settings);
    const abort = new AbortController();
    ctx.addTeardownCallback(() => abort.abort());
    const reportError = (error: Error): void => {
      state.errors.dispatch({ queue: config.queue, error });
      this.logger?.warn({ queue: config.queue, target, err: error }, `${what} at ${target}: ${error.message}`);
    };
    let connected = false;
    const client = await openRedisClient(settings, { usedBy: what, signal: abort.signal, onError: (error) => connected && reportError(error) });
    connected = true;

    const bullmq = requirePeer<typeof import('bullmq')>('bullmq', 'asphalt-ts/queue', '6');
    const jobs = new Context(ctx);
    const runs = new WeakMap<Context, JobRun>();
    jobs.addResourceFactory(
      () => {
        for (let at: Context | undefined = Context.current(); at !== undefined; at = at.parent) {
          const run = runs.get(at);
          if (run !== undefined) return run;
        }
        throw new JobProcessorError('CurrentJob: this context is not inside a job of the worker');
      },
      { types: [CurrentJob], description: 'the job running in this context' },
    );
    const active = new Set<ActiveJob>();
    const processors = this.#processors;

    const processJob = async (job: Job, token: string | undefined, bullSignal?: AbortSignal): Promise<unknown> => {
      const processor = processors.get(job.name);
      if (processor === undefined) {
        throw new JobProcessorError(`${what}: no processor for job '${job.name}' (#${job.id}); it has processors for: ${[...processors.keys()].join(', ')}`);
      }
      const entry: ActiveJob = { abort: new AbortController() };
      const onBullAbort = (): void => entry.abort.abort(bullSignal?.reason);
      bullSignal?.addEventListener('abort', onBullAbort, { once: true });
      const runCtx = jobs.child();
      labelContext(runCtx, `job ${job.name} #${job.id} (queue ${config.queue})`);
      const run: JobRun = {
        id: job.id!,
        name: job.name,
        queue: config.queue,
        payload: job.data,
        attempt: job.attemptsMade + 1,
        signal: entry.abort.signal,
        context: runCtx,
        progress: (value) => job.updateProgress(value),
        log: async (line) => void (await job.log(line)),
      };
      runs.set(runCtx, run);
      active.add(entry);
      state.setActive(active.size);
      let result: unknown;
      let failure: unknown;
      let failed = false;
      try {
        result = await raceAbort(runCtx.run(() => processor.run(job.data, run)), entry.abort.signal);
      } catch (error) {
        failure = error;
        failed = true;
      } finally {
        active.delete(entry);
        state.setActive(active.size);
        bullSignal?.removeEventListener('abort', onBullAbort);
      }
      try {
        await runCtx.close(failed ? failure : undefined);
      } catch (error) {
        if (!failed) {
          failure = error;
          failed = true;
        }
      }
      if (!failed) return result;
      if (entry.abort.signal.reason instanceof ReturnedAtStop && token !== undefined) {
        await job.moveToWait(token);
        state.events.dispatch({ type: 'returned', queue: config.queue, id: job.id!, name: job.name, attempt: run.attempt });
        throw new bullmq.WaitingError();
      }
      throw failure;
    };

    let stopping = false;
    const FinishingWorker = finishingWorkerClass(bullmq.Worker, {
      isReady: () => client.isReady,
      stopping: () => stopping,
      onRetry: (job, error) =>
        this.logger?.warn(
          { queue: config.queue, job: job.name, id: job.id, err: error },
          `${what}: the outcome of job ${job.name} #${job.id} was not recorded (${error.message}); recording it again once Redis is back`,
        ),
    });
    const worker: BullWorker = new FinishingWorker(config.queue, processJob, {
      connection: client,
      prefix: config.prefix,
      concurrency: config.concurrency,
      limiter: config.limiter ? { max: config.limiter.max, duration: config.limiter.duration } : undefined,
      lockDuration: config.lockDuration,
      stalledInterval: config.stalledInterval,
      maxStalledCount: config.maxStalledCount,
      runRetryDelay: config.connectionRetryDelay,
      autorun: false,
    });
    const queue = config.queue;
    worker.on('error', (error: Error) => reportError(error));
    worker.on('active', (job: Job) => state.events.dispatch({ type: 'active', queue, id: job.id!, name: job.name, attempt: job.attemptsMade + 1 }));
    worker.on('completed', (job: Job, result: unknown) =>
      state.events.dispatch({ type: 'completed', queue, id: job.id!, name: job.name, attempt: job.attemptsMade, result }),
    );
    worker.on('failed', (job: Job | undefined, error: Error) => {
      if (job === undefined) return reportError(error);
      const willRetry = job.attemptsMade < (job.opts.attempts ?? 1);
      this.logger?.warn({ queue, job: job.name, id: job.id, err: error, willRetry }, `${what}: job ${job.name} #${job.id} failed: ${error.message}`);
      state.events.dispatch({ type: 'failed', queue, id: job.id!, name: job.name, attempt: job.attemptsMade, error, willRetry });
    });
    worker.on('stalled', (id: string) => state.events.dispatch({ type: 'stalled', queue, id }));
    worker.on('progress', (job: Job, progress: unknown) => state.events.dispatch({ type: 'progress', queue, id: job.id!, name: job.name, progress }));
    await worker.waitUntilReady();

    ctx.addTeardownCallback(async () => {
      stopping = true;
      state.setRunning(false);
      const closing = worker.close().catch((error: unknown) => reportError(error instanceof Error ? error : new Error(String(error))));
      if (!(await settlesWithin(closing, config.drainTimeout))) {
        const count = active.size;
        for (const entry of active) entry.abort.abort(new ReturnedAtStop(`${what} is stopping: the job was returned to the queue`));
        this.logger?.warn({ queue, jobs: count }, `${what}: ${count} job(s) still running after drainTimeout (${config.drainTimeout} ms): aborted and returned to the queue`);
        // A processor that ignores its signal, or Redis down: stop waiting. Its jobs stay active
        // in Redis until their lock expires, then another worker takes them (stalled).
        if (!(await settlesWithin(closing, 1_000))) await settlesWithin(worker.close(true).catch(() => undefined), 1_000);
      }
      await jobs.close();
      await closeRedisClient(client, 1_000);
    });
    const remove = this.health?.add(`queue-worker:${config.queue}`, () => {
      if (!client.isReady) throw new Error(`not connected to ${target}`);
      return { queue, running: state.running, active: state.active };
    });
    if (remove) ctx.addTeardownCallback(remove);

    const run = (): void => {
      if (stopping) return;
      state.setRunning(true);
      worker.run().catch((error: unknown) => reportError(error instanceof Error ? error : new Error(String(error))));
    };
    if (this.application === undefined) run();
    else void this.application.whenStarted().then(run);
  }
}

/** Resolves like `work`, or rejects with the signal's reason once it aborts. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Whether `promise` settles within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
