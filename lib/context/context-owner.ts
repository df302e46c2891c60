import type { AddResourceFactoryOptions, AddResourceOptions } from './resource-options';
import type { TeardownCallback } from './teardown-stack';

/**
 * What a context's owner decides instead of the context: a component's context publishes into the
 * component's scope under the component's default name, keeps the teardown callbacks of its
 * `start()` apart from those of `prepare()`, and shows its waits in the startup tree. The lifecycle
 * wraps each component's context in one (`ComponentContext`). Internal.
 */
export interface ContextOwner {
  addResource<T>(value: T, options: AddResourceOptions<T>): void;
  addResourceFactory<T>(factory: () => T | Promise<T>, options: AddResourceFactoryOptions<T>): void;
  /** True when the owner keeps `callback` itself (the start phase's teardown). */
  takeTeardown(callback: TeardownCallback): boolean;
  /** Shows `label` as what the component waits for while `work` runs. */
  track<T>(label: string, work: Promise<T>): Promise<T>;
}
