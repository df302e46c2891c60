import { AsphaltError } from '../index';

/**
 * The worker pool is closing or closed: a task still queued when its context closed, or one
 * submitted afterwards. Running tasks are not rejected with it unless they outlast `closeTimeout`.
 */
export class WorkerPoolClosedError extends AsphaltError {
  static override readonly code = 'ASPHALT_WORKER_POOL_CLOSED';
}

/** `pool.run()` found the pool's queue full (`maxQueue` tasks already waiting for a thread). */
export class WorkerQueueFullError extends AsphaltError {
  static override readonly code = 'ASPHALT_WORKER_QUEUE_FULL';
}

/**
 * A task's `signal` was aborted: `phase` tells whether it was still queued (it never ran) or
 * running (its thread was terminated). The abort reason is the `cause`.
 */
export class WorkerTaskAbortedError extends AsphaltError {
  static override readonly code = 'ASPHALT_WORKER_TASK_ABORTED';
  constructor(
    message: string,
    readonly phase: 'queued' | 'running',
    options?: ErrorOptions,
  ) {
    super(message, options);
    // Code that handles cancellation generically (service tasks, `events.once`) looks for this name.
    this.name = 'AbortError';
  }
}

/** A task's module could not be loaded in the worker, or the export it names is not a function. */
export class WorkerTaskNotFoundError extends AsphaltError {
  static override readonly code = 'ASPHALT_WORKER_TASK_NOT_FOUND';
}

/**
 * A call from a worker back into the application could not be made: `resource()` outside a pool
 * task, a key not shared with `exposeToWorkers()`, a member that is not a method, a task that has
 * ended, or arguments or a result that cannot be structured-cloned.
 */
export class WorkerCallError extends AsphaltError {
  static override readonly code = 'ASPHALT_WORKER_CALL';
}
