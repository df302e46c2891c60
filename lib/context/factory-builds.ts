import { InvalidResourceError } from '../errors';
import { describeKey } from '../resources/resource-key';
import { FactoryRecord, isAsyncFunction, isPromiseLike } from './factory-record';
import type { TeardownCallback } from './teardown-stack';

/**
 * The values one context built from factories (once per context and factory), and the builds in
 * flight. Each built value is torn down with the context: by the factory's `teardown`, else by its
 * `Symbol.asyncDispose` / `Symbol.dispose`. Internal.
 */
export class FactoryBuilds {
  readonly #run: (fn: () => unknown) => unknown;
  readonly #pushTeardown: (callback: TeardownCallback) => void;
  readonly #values = new Map<FactoryRecord, unknown>();
  #building: Map<FactoryRecord, Promise<unknown>> | undefined;

  constructor(run: (fn: () => unknown) => unknown, pushTeardown: (callback: TeardownCallback) => void) {
    this.#run = run;
    this.#pushTeardown = pushTeardown;
  }

  /**
   * The value built from `record` here: built now if needed. A promise while an async build runs;
   * with `nowait`, `undefined` instead (an async factory is then not started).
   */
  get(record: FactoryRecord, nowait = false): unknown {
    const value = this.#values.get(record);
    if (value !== undefined) return value;
    const inFlight = this.#building?.get(record);
    if (inFlight !== undefined) return nowait ? undefined : inFlight;
    if (nowait && isAsyncFunction(record.factory)) return undefined;
    const result = this.#run(record.factory);
    if (!isPromiseLike(result)) return this.#store(record, result);
    const promise = Promise.resolve(result).then(
      (built) => {
        this.#building?.delete(record);
        return this.#store(record, built);
      },
      (failure: unknown) => {
        this.#building?.delete(record);
        throw failure;
      },
    );
    (this.#building ??= new Map()).set(record, promise);
    return nowait ? undefined : promise;
  }

  #store(record: FactoryRecord, value: unknown): unknown {
    if (value === null || value === undefined) {
      throw new InvalidResourceError(
        `the factory for ${record.keys.map(describeKey).join(', ')} '${record.name}' returned ${value}; a factory must return a value`,
      );
    }
    this.#values.set(record, value);
    const teardown = record.teardown as ((value: unknown, error: unknown) => unknown) | undefined;
    if (teardown) this.#pushTeardown((error) => teardown(value, error));
    else if (typeof value === 'object') {
      const disposable = value as Partial<AsyncDisposable & Disposable>;
      const dispose = disposable[Symbol.asyncDispose] ?? disposable[Symbol.dispose];
      if (typeof dispose === 'function') this.#pushTeardown(() => dispose.call(value));
    }
    return value;
  }
}
