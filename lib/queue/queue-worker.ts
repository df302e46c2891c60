import { Signal } from '../index';

/** What happened to a job in a worker (BullMQ's worker events, plus `returned` at stop). */
export interface JobEvent {
  readonly type: 'active' | 'completed' | 'failed' | 'stalled' | 'progress' | 'returned';
  readonly queue: string;
  readonly id: string;
  /** The job name (unknown for `stalled`, which BullMQ reports by id only). */
  readonly name?: string;
  /** 1 on the first attempt. */
  readonly attempt?: number;
  /** For `completed`. */
  readonly result?: unknown;
  /** For `failed`. */
  readonly error?: Error;
  /** For `failed`: whether BullMQ will try it again. */
  readonly willRetry?: boolean;
  /** For `progress`. */
  readonly progress?: unknown;
}

/** A worker-level problem: a Redis error, a failed lock renewal, a connection lost. */
export interface WorkerErrorEvent {
  readonly queue: string;
  readonly error: Error;
}

/**
 * The state of a `queue-worker` component, published under the alias's name: job events as a
 * {@link Signal}, worker errors, and whether it is taking jobs.
 *
 * @example
 * const worker = await ctx.getResource(QueueWorker, 'reports');
 * worker.events.connect((e) => { if (e.type === 'failed') alert(e.error); });
 */
export class QueueWorker {
  /** Job events: active, completed, failed, stalled, progress, returned (given back to the queue at stop). */
  readonly events = new Signal<JobEvent>({ name: 'QueueWorker.events' });
  /** Worker errors (always logged too). */
  readonly errors = new Signal<WorkerErrorEvent>({ name: 'QueueWorker.errors' });
  #running = false;
  #active = 0;

  /** @internal made by the `queue-worker` component. */
  constructor(readonly queue: string) {}

  /** Whether it is taking jobs (from the moment the whole application has started until stop). */
  get running(): boolean {
    return this.#running;
  }

  /** Jobs running now. */
  get active(): number {
    return this.#active;
  }

  /** @internal */
  setRunning(running: boolean): void {
    this.#running = running;
  }

  /** @internal */
  setActive(active: number): void {
    this.#active = active;
  }
}
