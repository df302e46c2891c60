import { isPromiseLike } from './factory-record';

/** Called at teardown with the error that ended the context, or `undefined`. */
export type TeardownCallback = (error: unknown) => unknown;

/** Why a teardown stopped waiting: see {@link TeardownStack.abandon}. */
export interface AbandonedTeardown {
  /** The callback that was still running when the wait was abandoned. */
  readonly running: string | undefined;
  /** How many later callbacks were then called without waiting for them to finish. */
  readonly startedWithoutWaiting: number;
}

const ABANDONED = Symbol('abandoned');

/** The failures of one {@link TeardownStack.run}, in order; `labels[i]` names the callback of `[i]`. */
export interface TeardownFailures extends Array<unknown> {
  /** The failing callback's function name, or `undefined` for an anonymous one. */
  readonly labels: (string | undefined)[];
}

/**
 * One line per failure for a `TeardownError` message, naming the callback when it has a name:
 * `  1. closePool: Error: connection reset`.
 */
export function describeTeardownFailures(failures: TeardownFailures): string[] {
  return failures.map((failure, i) => {
    const label = failures.labels[i];
    const what = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
    return `  ${i + 1}. ${label === undefined ? '' : `${label}: `}${what}`;
  });
}

/**
 * Teardown callbacks, run last-in-first-out, one at a time, each with the ending error; every one
 * runs even when some throw. If the wait is abandoned (a stop timeout), the callback in progress is
 * left running and the remaining ones are still called, so that what frees a resource still runs.
 * Internal.
 */
export class TeardownStack {
  readonly #callbacks: TeardownCallback[] = [];
  #abandoned = false;
  #abandon: ((value: typeof ABANDONED) => void) | undefined;
  #abandonedPromise: Promise<typeof ABANDONED> | undefined;
  #running: TeardownCallback | undefined;
  #startedWithoutWaiting = 0;

  get size(): number {
    return this.#callbacks.length;
  }

  push(callback: TeardownCallback): void {
    this.#callbacks.push(callback);
  }

  /** Runs the callbacks (and any added meanwhile); resolves with the failures. */
  async run(error: unknown, runIn: (fn: () => unknown) => unknown): Promise<TeardownFailures> {
    const failures: TeardownFailures = Object.assign([], { labels: [] });
    for (let callback = this.#callbacks.pop(); callback; callback = this.#callbacks.pop()) {
      try {
        const result = runIn(() => callback(error));
        if (!isPromiseLike(result)) continue;
        if (this.#abandoned) {
          this.#startedWithoutWaiting++;
          Promise.resolve(result).catch(() => undefined);
          continue;
        }
        this.#running = callback;
        const outcome = await Promise.race([result, this.#waitAbandoned()]);
        this.#running = undefined;
        if (outcome === ABANDONED) Promise.resolve(result).catch(() => undefined);
      } catch (failure) {
        this.#running = undefined;
        failures.push(failure);
        failures.labels.push(callback.name || undefined);
      }
    }
    return failures;
  }

  /** Stops waiting for the callback in progress; the rest are called without waiting. */
  abandon(): AbandonedTeardown {
    const running = this.#running;
    this.#abandoned = true;
    this.#abandon?.(ABANDONED);
    return {
      running: running === undefined ? undefined : running.name || 'an anonymous teardown callback',
      startedWithoutWaiting: this.#startedWithoutWaiting + this.#callbacks.length,
    };
  }

  #waitAbandoned(): Promise<typeof ABANDONED> {
    return (this.#abandonedPromise ??= new Promise((resolve) => (this.#abandon = resolve)));
  }
}
