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
  async run(error: unknown, runIn: (fn: () => unknown) => unknown): Promise<unknown[]> {
    const failures: unknown[] = [];
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
