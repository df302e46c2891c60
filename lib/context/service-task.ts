import { InvalidArgumentError, InvalidResourceError, ServiceTaskError } from '../errors';
import type { Context } from './context';
import type { TaskHandle } from './task-handle';
import { TaskAbortReason, TaskRun } from './task-run';

export type { TaskHandle } from './task-handle';

/** Options of `ctx.startServiceTask`. */
export interface ServiceTaskOptions {
  /**
   * What stops the task at teardown: `'abort'` (default) aborts its signal; a function runs
   * instead (e.g. `() => server.close()`), and the signal is aborted only if that function throws.
   * Anything else is refused when the task starts.
   */
  teardown?: 'abort' | (() => unknown);
}

/**
 * Starts `fn(signal)` inside `ctx` and ties it to the context's lifetime. See
 * `Context.startServiceTask`, which is how users call it.
 */
export function startServiceTask(
  ctx: Context,
  name: string,
  fn: (signal: AbortSignal) => unknown,
  options: ServiceTaskOptions = {},
): TaskHandle {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidResourceError(`startServiceTask: the task needs a non-empty name, got ${JSON.stringify(name)}`);
  }
  if (typeof fn !== 'function') {
    throw new InvalidResourceError(`startServiceTask('${name}'): expected a function (signal) => ..., got ${typeof fn}`);
  }
  const teardown: unknown = options.teardown === undefined ? 'abort' : options.teardown;
  if (teardown !== 'abort' && typeof teardown !== 'function') {
    throw new InvalidArgumentError(
      `startServiceTask('${name}'): the teardown option must be 'abort' or a function that makes the task end ` +
        `(e.g. { teardown: () => server.close() }), got ${typeof teardown === 'string' ? JSON.stringify(teardown) : teardown === null ? 'null' : typeof teardown}`,
    );
  }
  const what = `service task '${name}'`;
  const run = new TaskRun<undefined>(ctx, { name, what, fields: { task: name } }, fn);
  const stopServiceTask = async (): Promise<void> => {
    if (!run.running) return;
    run.beginStop();
    const reason = new TaskAbortReason(`${what} was stopped because its context is closing`);
    if (teardown === 'abort') run.abort(reason);
    else {
      try {
        await (teardown as () => unknown)();
      } catch (error) {
        run.abort(reason);
        await run.ended().catch(() => undefined);
        const action = (teardown as () => unknown).name;
        const named = action !== '' && action !== 'teardown' ? ` ${action}()` : '';
        throw new ServiceTaskError(
          `the teardown action${named} of ${what} failed: ${error instanceof Error ? error.message : String(error)}; ` +
            'its signal was aborted instead',
          name,
          { cause: error },
        );
      }
    }
    await run.ended();
  };
  Object.defineProperty(stopServiceTask, 'name', { value: what });
  ctx.addTeardownCallback(stopServiceTask);
  return run;
}
