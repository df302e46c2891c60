import { InvalidResourceError, ResourceConflictError, ResourceNotFoundError } from '../errors';
import { describeKey, isResourceKey, keyExpression, type ResourceKey } from '../resources/resource-key';
import { DEFAULT_NAME } from '../resources/resource-name';
import { closestMatch } from '../util/closest-match';
import { describeValue } from './factory-record';
import type { RegistryEntry } from './resource-registry';

/** The keys `addResource`/`addResourceFactory` publish under, checked. Internal. */
export function keysFor(value: unknown, types: readonly unknown[] | undefined, where: string): ResourceKey<unknown>[] {
  if (types === undefined || types.length === 0) {
    const ctor = (value as { constructor?: unknown }).constructor;
    if (typeof value !== 'object' || typeof ctor !== 'function' || ctor === Object) {
      throw new InvalidResourceError(
        `${where}: cannot tell which key to publish ${describeValue(value, undefined)} under; pass ` +
          `{ types: [SomeClass] } or a token, e.g. { types: [token<Config>('Config')] }`,
      );
    }
    return [ctor as ResourceKey<unknown>];
  }
  for (const key of types) checkKey(key, where);
  return types.length === 1 ? (types as ResourceKey<unknown>[]) : [...new Set(types as ResourceKey<unknown>[])];
}

/** Throws when `key` is not a class or token. Internal. */
export function checkKey(key: unknown, where: string): void {
  if (isResourceKey(key)) return;
  throw new InvalidResourceError(`${where}: ${String(key)} is not a resource key; use a class or a token created with token<T>('Id')`);
}

/** The conflict of a second resource under the same key and name in one context. Internal. */
export function conflict(key: ResourceKey<unknown>, name: string, existing: RegistryEntry, value: unknown, description: string | undefined): ResourceConflictError {
  return new ResourceConflictError(
    `this context already has ${describeKey(key)} '${name}' (${describeValue(existing.value, existing.description)}); ` +
      `${describeValue(value, description)} was not added. Publish it under another name ({ name: 'other' }) or in a child context`,
  );
}

/** The miss of a lookup, with the names that do exist and a did-you-mean. Internal. */
export function notFound(key: ResourceKey<unknown>, name: string, names: ReadonlySet<string>): ResourceNotFoundError {
  const keyText = describeKey(key);
  const hint =
    names.size > 0
      ? `names that exist for ${keyText}: ${[...names].sort().map((n) => `'${n}'`).join(', ')}; did you mean ` +
        `'${closestMatch(name, [...names]) ?? [...names][0]}'?`
      : `nothing is published under ${keyText} in this context or its parents; add it with ` +
        `ctx.addResource(value, { types: [${keyExpression(key)}] }), or declare a component that @provides(${keyExpression(key)})`;
  return new ResourceNotFoundError(`no resource ${keyText} named '${name}': ${hint}`, keyText, name);
}

/** The message of `getResourceNowait` on an async factory or an announced resource. Internal. */
export function notYet(key: ResourceKey<unknown>, name: string, provider: string | undefined): string {
  const call = `await ctx.getResource(${keyExpression(key)}${name === DEFAULT_NAME ? '' : `, '${name}'`})`;
  return provider === undefined
    ? `getResourceNowait: ${describeKey(key)} '${name}' comes from an async factory; use ${call} instead`
    : `getResourceNowait: ${describeKey(key)} '${name}' is not published yet (${provider} will provide it); use ${call} to wait for it`;
}
