import { InvalidResourceError, describeKey, isResourceKey, type ResourceKey } from '../index';
import { wireKey } from './worker-resource';

const exposed = new Map<string, ResourceKey<unknown>>();

/**
 * Lets code in worker threads call the resources published under these keys, with
 * `resource(key, name?)`. A token crosses by its id and a class by its name, so each must be
 * unique among the keys shared; sharing the same key again is harmless.
 *
 * @example
 * export const Mailer = token<Mailer>('Mailer');
 * exposeToWorkers(Mailer);
 */
export function exposeToWorkers(...keys: readonly ResourceKey<unknown>[]): void {
  for (const key of keys) {
    if (!isResourceKey(key)) {
      throw new InvalidResourceError(`exposeToWorkers: ${String(key)} is not a resource key; use a class or a token`);
    }
    const wire = wireKey(key);
    const existing = exposed.get(wire);
    if (existing !== undefined && existing !== key) {
      throw new InvalidResourceError(
        `exposeToWorkers: ${describeKey(key)} and another key both cross threads as '${wire}'; ` +
          `workers could not tell them apart. Rename one (token ids and class names must be unique among shared keys)`,
      );
    }
    exposed.set(wire, key);
  }
}

/** Internal: the shared key a worker named, or `undefined`. */
export function exposedKey(wire: string): ResourceKey<unknown> | undefined {
  return exposed.get(wire);
}

/** Internal: every shared key, as workers name them (for error messages). */
export function exposedKeyNames(): string[] {
  return [...exposed.keys()];
}
