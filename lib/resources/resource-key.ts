import { Token } from './token';

/** Any class, abstract ones included, used as a key. */
export type AbstractClass<T> = abstract new (...args: never[]) => T;

/**
 * What a resource is published and looked up under: a class (the resource's own type, a base
 * class or an abstract class) or a {@link Token}. Lookup is by exact key, never by subclass.
 */
export type ResourceKey<T> = Token<T> | AbstractClass<T>;

/** The type a key stands for: `KeyType<typeof Db>` is `Pool`. */
export type KeyType<K> = K extends ResourceKey<infer T> ? T : never;

/** Whether `value` can serve as a resource key. */
export function isResourceKey(value: unknown): value is ResourceKey<unknown> {
  return value instanceof Token || typeof value === 'function';
}

/** How a key is named in messages: the class name, or `token(id)`. */
export function describeKey(key: ResourceKey<unknown>): string {
  if (key instanceof Token) return key.toString();
  return key.name || '<anonymous class>';
}
