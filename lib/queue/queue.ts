import { randomUUID } from 'node:crypto';
import type { JobsOptions, Queue as BullQueue } from 'bullmq';
import { afterCommit, Context, Signal, type Logger } from '../index';
import type { JobDefinition } from './job-definition';
import type { JobOptionsConfig, QueueConfig } from './queue-config';
import { QueueUnavailableError } from './queue-errors';

/** Options of one {@link Queue.add}: over the queue's `defaults` and `jobs.<name>` from config. */
export interface AddJobOptions {
  /** The job id (default: a random UUID). A job with the id of one already in the queue is not added again. */
  jobId?: string;
  attempts?: number;
  backoff?: { type: 'fixed' | 'exponential'; delay: number };
  /** 1 (highest) to 2,097,152. */
  priority?: number;
  /** Milliseconds before the job may run. */
  delay?: number;
  /** Send now, even inside an open transaction (default: after its commit, when the queue's `afterCommit` is on). */
  immediate?: boolean;
  /** The context whose transaction it waits for (default: `Context.current()`). */
  context?: Context;
}

/** A job the queue sent to Redis, or failed to send after a commit (`error`). */
export interface QueueAddEvent {
  readonly queue: string;
  readonly job: string;
  readonly id: string;
  /** Whether it waited for a transaction to commit. */
  readonly deferred: boolean;
  /** For a deferred send that failed (an immediate one rejects `add()` instead). */
  readonly error?: Error;
}

/**
 * The producer side of a BullMQ queue, published by the `queue` component (under the alias's
 * name: `queue/emails` publishes `Queue 'emails'`). `add()` checks the payload against the job's
 * definition, and inside a context with an open transaction sends the job only once it commits.
 *
 * @example
 * @requires(Queue, { name: 'reports' }) reports!: Queue;
 * const id = await this.reports.add(RenderReport, { month: '2026-11' }, { priority: 1 });
 */
export class Queue {
  /** Every job sent (and every deferred send that failed, with `error`). */
  readonly added = new Signal<QueueAddEvent>({ name: 'Queue.added' });
  readonly #bull: BullQueue;
  readonly #config: QueueConfig;
  readonly #logger: Logger | undefined;
  #closed = false;

  /** @internal made by the `queue` component. */
  constructor(bull: BullQueue, config: QueueConfig, logger: Logger | undefined) {
    this.#bull = bull;
    this.#config = config;
    this.#logger = logger;
  }

  /** The BullMQ queue name. */
  get name(): string {
    return this.#config.queue;
  }

  /** The BullMQ `Queue`, for what this class does not cover (counts, pausing, cleaning, schedulers). */
  get bull(): BullQueue {
    return this.#bull;
  }

  /**
   * Adds a job and resolves with its id. Inside a context with an open transaction (the SQL
   * battery's session), the job is sent once the transaction commits and never if it rolls
   * back; the id is known at once. Rejects with `QueueUnavailableError` when Redis cannot take
   * the job now (nothing was added: retry later) or the queue has stopped.
   */
  async add<P, R>(job: JobDefinition<P, R>, payload: NoInfer<P>, options: AddJobOptions = {}): Promise<string> {
    this.#assertOpen(job.name);
    const id = options.jobId ?? randomUUID();
    const jobOptions = this.#jobOptions(job.name, id, options);
    const ctx = options.context ?? Context.tryCurrent();
    if (this.#config.afterCommit && options.immediate !== true && ctx !== undefined) {
      let deferred = false;
      deferred = afterCommit(ctx, () => {
        if (!deferred) return;
        this.#send(job.name, payload, jobOptions, true).catch((error: unknown) => {
          const failure = error instanceof Error ? error : new Error(String(error));
          this.#logger?.error({ queue: this.name, job: job.name, id, err: failure }, `queue '${this.name}': job ${job.name} #${id} was not sent after the commit: ${failure.message}`);
          this.added.dispatch({ queue: this.name, job: job.name, id, deferred: true, error: failure });
        });
      });
      if (deferred) return id;
    }
    await this.#send(job.name, payload, jobOptions, false);
    return id;
  }

  /** How many jobs are in each state (`waiting`, `active`, `delayed`, `completed`, `failed`, ...). */
  async counts(): Promise<Record<string, number>> {
    return this.#bull.getJobCounts();
  }

  /** @internal the component stopped: further `add()` calls are refused. */
  close(): void {
    this.#closed = true;
  }

  async #send(name: string, payload: unknown, options: JobsOptions, deferred: boolean): Promise<void> {
    this.#assertOpen(name);
    try {
      await this.#bull.add(name, payload, options);
    } catch (error) {
      throw new QueueUnavailableError(
        `queue '${this.name}': job ${name} #${options.jobId} was not added: ${error instanceof Error ? error.message : String(error)}; ` +
          'Redis is unreachable or refused it: retry later (nothing was added)',
        { cause: error },
      );
    }
    this.added.dispatch({ queue: this.name, job: name, id: options.jobId!, deferred });
  }

  #jobOptions(name: string, jobId: string, options: AddJobOptions): JobsOptions {
    const merged: JobOptionsConfig = { ...this.#config.defaults, ...this.#config.jobs[name] };
    const result: JobsOptions = { jobId };
    const attempts = options.attempts ?? merged.attempts;
    if (attempts !== undefined) result.attempts = attempts;
    const backoff = options.backoff ?? merged.backoff;
    if (backoff !== undefined) result.backoff = { type: backoff.type, delay: backoff.delay };
    const priority = options.priority ?? merged.priority;
    if (priority !== undefined) result.priority = priority;
    const delay = options.delay ?? merged.delay;
    if (delay !== undefined) result.delay = delay;
    if (merged.removeOnComplete !== undefined) result.removeOnComplete = merged.removeOnComplete;
    if (merged.removeOnFail !== undefined) result.removeOnFail = merged.removeOnFail;
    return result;
  }

  #assertOpen(job: string): void {
    if (!this.#closed) return;
    throw new QueueUnavailableError(
      `queue '${this.name}': cannot add job ${job}: the queue component has stopped; add jobs while the application runs ` +
        '(a component that adds jobs should @requires(Queue) so that it stops first)',
    );
  }
}
