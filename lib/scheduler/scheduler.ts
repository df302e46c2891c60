import { InvalidArgumentError, labelContext, Signal, type Context, type Logger } from '../index';
import type { JobDefinition, Queue } from '../queue/index';
import type { RunStore } from './run-store';
import type { ScheduledJobHandler, ScheduledRun } from './scheduled-job';
import { nextFireTimes, type Trigger } from './trigger';

/** A schedule: a job (name or definition) plus its arguments plus a trigger. */
export interface ScheduleDefinition<Args = Record<string, unknown>> {
  /** Stable id: the same schedule in every instance has the same id. */
  readonly id: string;
  readonly job: JobDefinition<Args, unknown> | string;
  readonly args?: Args;
  readonly trigger: Trigger;
  readonly misfireGraceTime?: number;
  readonly coalesce?: boolean;
  readonly maxInstances?: number;
  /** Send each run as a job to this `Queue` (resource name) instead of running it in this process. */
  readonly queue?: string;
}

/** What happened to one run: submitted (claimed here and started), succeeded, failed, missed. */
export interface RunEvent {
  readonly type: 'submitted' | 'succeeded' | 'failed' | 'missed';
  readonly schedule: string;
  readonly job: string;
  readonly fireTime: Date;
  /** Milliseconds between the fire time and the start (for `submitted`). */
  readonly lateBy?: number;
  /** For `missed`: later than `misfireGraceTime`, over `maxInstances`, folded into a later run (`coalesced`), or the store could not be reached. */
  readonly reason?: 'late' | 'max-instances' | 'coalesced' | 'store-unavailable';
  /** For `failed` and `store-unavailable`. */
  readonly error?: Error;
  /** For a run sent to a queue: the job id (`<schedule>-<fire time ms>`, the same in every instance). */
  readonly jobId?: string;
}

/** A schedule as listed: its trigger and next fire times. */
export interface ScheduleInfo {
  readonly id: string;
  readonly job: string;
  readonly trigger: string;
  readonly next: readonly Date[];
  readonly running: number;
  readonly lastSuccess?: Date;
}

interface Entry {
  readonly definition: ScheduleDefinition<unknown>;
  readonly job: string;
  readonly grace: number;
  readonly coalesce: boolean;
  readonly maxInstances: number;
  next: Date | undefined;
  running: number;
  lastSuccess?: Date;
}

/** What the `scheduler` component gives the {@link Scheduler}. @internal */
export interface SchedulerRuntime {
  readonly store: RunStore;
  readonly runs: Context;
  readonly defaults: { misfireGraceTime: number; coalesce: boolean; maxInstances: number };
  readonly logger: Logger | undefined;
  readonly queue: (name: string) => Promise<Queue>;
  readonly bind: (ctx: Context, run: ScheduledRun) => void;
}

/**
 * Runs schedules (published by the `scheduler` component): each fire time of each schedule is
 * claimed in the store (so that it runs once across every instance sharing a Redis store), then
 * run in its own child context, or sent to a queue. Run events arrive on `events`.
 *
 * @example
 * const scheduler = await ctx.getResource(Scheduler);
 * scheduler.handle(scheduledJob(Cleanup, async () => purge()));
 * scheduler.add({ id: 'cleanup', job: Cleanup, trigger: cron('*\/5 * * * *') });
 */
export class Scheduler {
  /** Run events: submitted, succeeded, failed, missed. */
  readonly events = new Signal<RunEvent>({ name: 'Scheduler.events' });
  readonly #entries = new Map<string, Entry>();
  readonly #handlers = new Map<string, ScheduledJobHandler>();
  readonly #running = new Set<{ abort: AbortController; done: Promise<void> }>();
  #runtime: SchedulerRuntime | undefined;
  #timer: NodeJS.Timeout | undefined;
  #started = false;
  #stopped = false;

  /** Adds a job handler (a job name may have one). */
  handle(handler: ScheduledJobHandler): void {
    if (this.#handlers.has(handler.job)) throw new InvalidArgumentError(`Scheduler.handle: job '${handler.job}' already has a handler`);
    this.#handlers.set(handler.job, handler as ScheduledJobHandler);
  }

  /** Adds a schedule (ids are unique; `replace: true` replaces one with the same id). */
  add<A>(definition: ScheduleDefinition<A>, options: { replace?: boolean } = {}): void {
    if (!/^[\w.-]+$/.test(definition.id)) throw new InvalidArgumentError(`Scheduler.add: a schedule id is letters, digits and _ . -, got ${JSON.stringify(definition.id)}`);
    if (this.#entries.has(definition.id) && !options.replace) {
      throw new InvalidArgumentError(`Scheduler.add: a schedule '${definition.id}' exists already; give another id or pass { replace: true }`);
    }
    const defaults = this.#runtime?.defaults ?? { misfireGraceTime: 1_000, coalesce: true, maxInstances: 1 };
    const entry: Entry = {
      definition: definition as ScheduleDefinition<unknown>,
      job: typeof definition.job === 'string' ? definition.job : definition.job.name,
      grace: definition.misfireGraceTime ?? defaults.misfireGraceTime,
      coalesce: definition.coalesce ?? defaults.coalesce,
      maxInstances: definition.maxInstances ?? defaults.maxInstances,
      next: this.#started ? definition.trigger.next(new Date()) : undefined,
      running: 0,
    };
    this.#entries.set(definition.id, entry);
    if (this.#started) this.#arm();
  }

  /** Removes a schedule; runs in progress finish. */
  remove(id: string): boolean {
    const removed = this.#entries.delete(id);
    if (removed && this.#started) this.#arm();
    return removed;
  }

  /** Every schedule with its next `count` fire times. */
  list(count = 3, from = new Date()): ScheduleInfo[] {
    return [...this.#entries.values()].map((entry) => ({
      id: entry.definition.id,
      job: entry.job,
      trigger: entry.definition.trigger.describe(),
      next: nextFireTimes(entry.definition.trigger, count, from),
      running: entry.running,
      ...(entry.lastSuccess ? { lastSuccess: entry.lastSuccess } : {}),
    }));
  }

  /** @internal the component connects the scheduler to its store and contexts. */
  attach(runtime: SchedulerRuntime): void {
    this.#runtime = runtime;
  }

  /** @internal starts firing (fire times from now on). */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    const now = new Date();
    for (const entry of this.#entries.values()) entry.next = entry.definition.trigger.next(new Date(now.getTime() - 1));
    this.#arm();
  }

  /** @internal stops firing, waits for the runs up to `drainTimeout`, then aborts them. */
  async stop(drainTimeout: number): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    const all = Promise.all([...this.#running].map((run) => run.done));
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([all.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), drainTimeout)))]);
    clearTimeout(timer);
    if (!drained) {
      for (const run of this.#running) run.abort.abort(new Error('the scheduler is stopping'));
      await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
      clearTimeout(timer);
    }
  }

  #arm(): void {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    let earliest = Infinity;
    for (const entry of this.#entries.values()) if (entry.next !== undefined && entry.next.getTime() < earliest) earliest = entry.next.getTime();
    if (earliest === Infinity) return;
    // setTimeout holds at most 2^31-1 ms; a later fire time is re-armed on the way.
    const delay = Math.min(Math.max(0, earliest - Date.now()), 2 ** 31 - 1);
    this.#timer = setTimeout(() => this.#tick(), delay);
  }

  #tick(): void {
    const now = Date.now();
    for (const entry of this.#entries.values()) {
      if (entry.next === undefined || entry.next.getTime() > now) continue;
      const due: Date[] = [];
      let next: Date | undefined = entry.next;
      while (next !== undefined && next.getTime() <= now && due.length < 1_000) {
        due.push(next);
        next = entry.definition.trigger.next(next);
      }
      while (next !== undefined && next.getTime() <= now) next = entry.definition.trigger.next(next);
      entry.next = next;
      const runs = entry.coalesce && due.length > 1 ? due.slice(-1) : due;
      if (runs.length < due.length) for (const fireTime of due.slice(0, -1)) this.#event(entry, { type: 'missed', fireTime, reason: 'coalesced' });
      for (const fireTime of runs) {
        if (now - fireTime.getTime() > entry.grace) this.#event(entry, { type: 'missed', fireTime, reason: 'late' });
        else if (entry.running >= entry.maxInstances) this.#event(entry, { type: 'missed', fireTime, reason: 'max-instances' });
        else this.#submit(entry, fireTime);
      }
    }
    this.#arm();
  }

  #submit(entry: Entry, fireTime: Date): void {
    const runtime = this.#runtime!;
    entry.running++;
    const abort = new AbortController();
    const run = { abort, done: Promise.resolve() };
    this.#running.add(run);
    run.done = (async () => {
      try {
        let claimed: boolean;
        try {
          claimed = await runtime.store.claim(entry.definition.id, fireTime, entry.grace + 60_000);
        } catch (error) {
          this.#event(entry, { type: 'missed', fireTime, reason: 'store-unavailable', error: asError(error) });
          return;
        }
        if (!claimed) return;
        this.#event(entry, { type: 'submitted', fireTime, lateBy: Date.now() - fireTime.getTime() });
        await this.#execute(entry, fireTime, abort.signal);
      } finally {
        entry.running--;
        this.#running.delete(run);
      }
    })();
  }

  async #execute(entry: Entry, fireTime: Date, signal: AbortSignal): Promise<void> {
    const runtime = this.#runtime!;
    const { definition } = entry;
    const args = definition.args ?? {};
    const ctx = runtime.runs.child();
    labelContext(ctx, `schedule ${definition.id} run ${fireTime.toISOString()}`);
    const run: ScheduledRun = { schedule: definition.id, job: entry.job, args, fireTime, signal, context: ctx };
    runtime.bind(ctx, run);
    let failure: unknown;
    let failed = false;
    let jobId: string | undefined;
    try {
      if (definition.queue !== undefined) {
        const queue = await runtime.queue(definition.queue);
        jobId = `${definition.id}-${fireTime.getTime()}`;
        await queue.add({ name: entry.job }, args, { jobId, immediate: true });
      } else {
        const handler = this.#handlers.get(entry.job);
        if (handler === undefined) {
          throw new InvalidArgumentError(
            `schedule '${definition.id}': no handler for job '${entry.job}'; list it in the scheduler's jobs, call scheduler.handle(scheduledJob(...)), ` +
              `or give the schedule a queue (handlers: ${[...this.#handlers.keys()].join(', ') || 'none'})`,
          );
        }
        await ctx.run(() => handler.run(args, run));
      }
    } catch (error) {
      failure = error;
      failed = true;
    }
    try {
      await ctx.close(failed ? failure : undefined);
    } catch (error) {
      if (!failed) {
        failure = error;
        failed = true;
      }
    }
    if (failed) {
      const error = asError(failure);
      runtime.logger?.warn({ schedule: definition.id, job: entry.job, err: error }, `schedule '${definition.id}' (${entry.job}) run of ${fireTime.toISOString()} failed: ${error.message}`);
      this.#event(entry, { type: 'failed', fireTime, error, ...(jobId ? { jobId } : {}) });
    } else {
      entry.lastSuccess = new Date();
      this.#event(entry, { type: 'succeeded', fireTime, ...(jobId ? { jobId } : {}) });
    }
  }

  #event(entry: Entry, event: Omit<RunEvent, 'schedule' | 'job'>): void {
    this.events.dispatch({ schedule: entry.definition.id, job: entry.job, ...event });
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
