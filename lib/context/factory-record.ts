import type { ResourceKey } from '../resources/resource-key';

/** A factory added with `addResourceFactory`: what each context that asks builds its value from. Internal. */
export class FactoryRecord {
  constructor(
    readonly factory: () => unknown,
    readonly keys: readonly ResourceKey<unknown>[],
    readonly name: string,
    readonly description: string | undefined,
    readonly teardown: ((value: never, error: unknown) => unknown) | undefined,
  ) {}
}

/** Whether `fn` is declared `async` (its result is a promise without calling it). */
export const isAsyncFunction = (fn: () => unknown): boolean => fn.constructor?.name === 'AsyncFunction';

/** Whether `value` is a promise or thenable. */
export const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';

/** How a value is named in conflict messages: its description, else its class. */
export function describeValue(value: unknown, description: string | undefined): string {
  if (description) return description;
  if (value instanceof FactoryRecord) return `a resource factory (${value.factory.name || 'anonymous'})`;
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return ctor ? `a ${ctor} instance` : `a ${typeof value}`;
}

