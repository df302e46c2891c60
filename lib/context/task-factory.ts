import { ContextStateError, InvalidArgumentError, TeardownError } from '../errors';
import { Context } from './context';
import type { TaskFunction, TaskHandle } from './task-handle';
import { TaskAbortReason, TaskRun } from './task-run';

/** Options of {@link createTaskFactory}. */
export interface TaskFactoryOptions {
  /** Names the factory in messages and log lines; default `'tasks'`. */
  readonly name?: string;
}

/**
 * Starts ad-hoc tasks bound to one context (Asphalt's `TaskFactory`): each runs `fn(signal, status)`
 * in that context until it returns, is cancelled through its handle, or the context closes, which
 * aborts every task still running and waits for them all. Make one with {@link createTaskFactory}.
 *
 * A task that fails while running is reported on the context's `taskFailed` signal (and its
 * ancestors'), like a service task; one that fails while being stopped is thrown to whoever stops
 * it (`handle.cancel()`, or the context's close, as a teardown failure).
 */
export class TaskFactory {
  /** Names the factory in messages and log lines (`task 'x' of task factory 'jobs'`). */
  readonly name: string;
  readonly #ctx: Context;
  readonly #running = new Set<TaskRun<unknown>>();
  #closed = false;

  /** Internal: use {@link createTaskFactory}. */
  constructor(ctx: Context, options: TaskFactoryOptions = {}) {
    const name = options.name ?? 'tasks';
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidArgumentError(`createTaskFactory: the name option must be a non-empty string, got ${JSON.stringify(name)}`);
    }
    this.name = name;
    this.#ctx = ctx;
    const stopTaskFactory = (): Promise<void> => this.#stopAll();
    Object.defineProperty(stopTaskFactory, 'name', { value: `task factory '${name}'` });
    ctx.addTeardownCallback(stopTaskFactory);
  }

  /** The tasks still running, in the order they started (a snapshot). */
  get handles(): readonly TaskHandle<unknown>[] {
    return [...this.#running];
  }

  /**
   * Starts `fn(signal, status)` now and returns its handle (Asphalt's `start_task_soon`).
   * @throws ContextStateError when the context is no longer open.
   */
  start<T = undefined>(name: string, fn: TaskFunction<T>): TaskHandle<T> {
    return this.#launch(name, fn, false);
  }

  /**
   * Starts `fn(signal, status)` and resolves with its handle once the task calls
   * `status.started(value)` (then `handle.startValue` is `value`): for tasks that must be ready
   * before the caller goes on, e.g. a server that has to listen first.
   *
   * Rejects with the task's own error if it throws before calling `started()` (that failure is
   * not reported on `taskFailed`: the caller has it), and with a `TaskStartError` if it ends or is
   * cancelled without calling it.
   *
   * @example
   * const server = await tasks.startAndWait<number>('server', async (signal, status) => {
   *   const port = await listen();
   *   status.started(port);
   *   await untilAborted(signal);
   * });
   * console.log(server.startValue); // the port
   */
  async startAndWait<T = undefined>(name: string, fn: TaskFunction<T>): Promise<TaskHandle<T>> {
    const run = this.#launch(name, fn, true);
    await run.whenStarted;
    return run;
  }

  #launch<T>(name: string, fn: TaskFunction<T>, waitForStart: boolean): TaskRun<T> {
    const call = waitForStart ? 'startAndWait' : 'start';
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidArgumentError(`task factory '${this.name}': ${call}() needs a non-empty task name, got ${JSON.stringify(name)}`);
    }
    if (typeof fn !== 'function') {
      throw new InvalidArgumentError(`task factory '${this.name}': ${call}('${name}') expected a function (signal, status) => ..., got ${typeof fn}`);
    }
    if (this.#closed || this.#ctx.state !== 'open') {
      throw new ContextStateError(
        `task factory '${this.name}' cannot start task '${name}': its context is ${this.#ctx.state}; ` +
          'start tasks while the context is open, or make a factory on a new context',
      );
    }
    const what = `task '${name}' of task factory '${this.name}'`;
    const run = new TaskRun<T>(this.#ctx, { name, what, fields: { task: name, taskFactory: this.name } }, fn, waitForStart);
    if (run.running) {
      this.#running.add(run as TaskRun<unknown>);
      void run.done.then(() => this.#running.delete(run as TaskRun<unknown>));
    }
    return run;
  }

  async #stopAll(): Promise<void> {
    this.#closed = true;
    const runs = [...this.#running];
    for (const run of runs) {
      run.beginStop();
      run.abort(new TaskAbortReason(`task '${run.name}' of task factory '${this.name}' was stopped because its context is closing`));
    }
    const failures = (await Promise.all(runs.map((run) => run.ended().then(() => undefined, (error: unknown) => error)))).filter((f) => f !== undefined);
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) {
      const list = failures.map((f, i) => `  ${i + 1}. ${f instanceof Error ? f.message : String(f)}`).join('\n');
      throw new TeardownError(failures, `${failures.length} tasks of task factory '${this.name}' failed while stopping:\n${list}`);
    }
  }
}

/**
 * A {@link TaskFactory} bound to `ctx`: it starts tasks that live at most as long as the context
 * (its close aborts and awaits them, in last-in-first-out order with the other teardown callbacks,
 * from where the factory was created), and lists and cancels them one by one.
 *
 * @example
 * const tasks = createTaskFactory(ctx, { name: 'jobs' });
 * const handle = tasks.start('reindex', (signal) => reindex(signal));
 * tasks.handles;         // [handle] while it runs
 * await handle.cancel(); // aborts that task only; ctx stays open
 */
export function createTaskFactory(ctx: Context, options?: TaskFactoryOptions): TaskFactory {
  if (!(ctx instanceof Context)) throw new InvalidArgumentError(`createTaskFactory: the first argument must be a Context, got ${typeof ctx}`);
  return new TaskFactory(ctx, options);
}
