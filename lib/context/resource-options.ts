import type { ResourceKey } from '../resources/resource-key';

/** Options of `Context.addResource`. */
export interface AddResourceOptions<T> {
  /** Defaults to `'default'`. Must match `/^\w+$/`. */
  name?: string;
  /** Keys to publish under; defaults to the value's own class. */
  types?: readonly ResourceKey<T>[];
  description?: string;
  /** Runs when the context closes, in LIFO order with the other teardown callbacks. */
  teardown?: (value: T, error: unknown) => unknown;
}

/** Options of `Context.addResourceFactory`. */
export interface AddResourceFactoryOptions<T> {
  /** Keys to publish under (required: TypeScript has no run-time return types). */
  types: readonly ResourceKey<T>[];
  name?: string;
  description?: string;
  /** Tears the built value down with the context that built it; else `Symbol.asyncDispose`/`dispose` is used. */
  teardown?: (value: T, error: unknown) => unknown;
}

