import { InvalidResourceError, ServiceTaskError } from '../errors';
import type { Context } from './context';
import { reportTaskFailure } from './context-chain';

/** Options of `ctx.startServiceTask`. */
export interface ServiceTaskOptions {
  /**
   * What stops the task at teardown: `'abort'` (default) aborts its signal; a function runs
   * instead (e.g. `() => server.close()`), and the signal is aborted only if that function throws.
   */
  teardown?: 'abort' | (() => unknown);
}

/** A running service task. */
export interface TaskHandle {
  readonly name: string;
  /** Settles when the task has ended; never rejects (failures are reported, not thrown here). */
  readonly done: Promise<void>;
  /** Whether the task is still running. */
  readonly running: boolean;
}

/** Whether `error` is how an aborted task ends: the abort reason itself or any AbortError. */
function isAbortEnding(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted && (error === signal.reason || (error instanceof Error && error.name === 'AbortError'));
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
  const controller = new AbortController();
  let running = true;
  let stopping = false;
  let teardownFailure: unknown;
  const done = (async () => {
    try {
      await ctx.run(() => fn(controller.signal));
    } catch (error) {
      if (isAbortEnding(error, controller.signal)) return;
      const failure = new ServiceTaskError(
        `service task '${name}' failed: ${error instanceof Error ? error.message : String(error)}`,
        name,
        { cause: error },
      );
      if (stopping) teardownFailure = failure;
      else reportTaskFailure(ctx, { taskName: name, error: failure });
    } finally {
      running = false;
    }
  })();

  ctx.addTeardownCallback(async () => {
    if (!running) return;
    stopping = true;
    const teardown = options.teardown ?? 'abort';
    if (teardown === 'abort') controller.abort(new ServiceTaskAborted(name));
    else {
      try {
        await teardown();
      } catch (error) {
        controller.abort(new ServiceTaskAborted(name));
        throw new ServiceTaskError(`the teardown action of service task '${name}' failed`, name, { cause: error });
      }
    }
    await done;
    if (teardownFailure !== undefined) throw teardownFailure;
  });

  return {
    name,
    done,
    get running() {
      return running;
    },
  };
}

/** The abort reason a service task's signal carries at teardown. */
class ServiceTaskAborted extends Error {
  override name = 'AbortError';
  constructor(task: string) {
    super(`service task '${task}' was stopped because its context is closing`);
  }
}
