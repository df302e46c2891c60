/**
 * A running task: a service task (`ctx.startServiceTask`) or a task of a task factory
 * (`createTaskFactory(ctx).start(...)`). `T` is the value the task passed to `status.started()`.
 *
 * @example
 * const handle = ctx.startServiceTask('poller', (signal) => poll(signal));
 * await handle.cancel(); // aborts its signal and waits for it to end; the context stays open
 */
export interface TaskHandle<T = undefined> {
  /** The name the task was started with. */
  readonly name: string;
  /** Settles when the task has ended; never rejects (failures are reported, not thrown here). */
  readonly done: Promise<void>;
  /** Whether the task is still running. */
  readonly running: boolean;
  /** What the task passed to `status.started(value)`; `undefined` until then. */
  readonly startValue: T | undefined;
  /**
   * Aborts this task's `AbortSignal` (with an `AbortError` as reason) and resolves once it has
   * ended, without closing its context. Rejects with a `ServiceTaskError` if the task then fails
   * with another error (which is not reported on `taskFailed`: you receive it). A task that has
   * ended already resolves at once.
   */
  cancel(): Promise<void>;
}

/**
 * Handed to a task as its second argument: `status.started(value)` tells whoever waits in
 * `startAndWait` that the task is ready (a server listening, a subscription made), and with what.
 *
 * @example
 * await tasks.startAndWait<number>('server', async (signal, status) => {
 *   const server = await listen(0);
 *   status.started(server.port);
 *   await closed(server, signal);
 * });
 */
export interface TaskStatus<T = undefined> {
  /**
   * Reports that the task has started, with `value` as its handle's `startValue`.
   * @throws TaskStartError when called a second time.
   */
  started(...value: undefined extends T ? [value?: T] : [value: T]): void;
}

/** A task body: it runs until done, and stops when `signal` aborts. */
export type TaskFunction<T = undefined> = (signal: AbortSignal, status: TaskStatus<T>) => unknown;
