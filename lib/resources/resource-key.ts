import { exportedName } from './exported-name';
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

/**
 * How a key is named in messages: `token(id)` for a token, the name a class is exported and
 * imported under (pg's `Pool`, whose class is named `BoundPool`), else the class's own name.
 */
export function describeKey(key: ResourceKey<unknown>): string {
  if (key instanceof Token) return key.toString();
  return exportedName(key) ?? (key.name || '<anonymous class>');
}

/**
 * The key as code, for fixes printed in messages (`@provides(Cache)`, `{ types: [Cache] }`): the
 * name the key is exported under (a token's variable), else a token's id or a class's name when
 * it is an identifier, else an identifier made from it. The printed fix is valid code; whether
 * that name is in scope where it is pasted is the reader's to check.
 */
export function keyExpression(key: ResourceKey<unknown>): string {
  const exported = exportedName(key);
  if (exported !== undefined) return exported;
  const text = key instanceof Token ? key.id : key.name;
  if (/^[A-Za-z_$][\w$]*$/.test(text)) return text;
  const made = text.replace(/[^\w$]+(.)?/g, (_match, next?: string) => (next ?? '').toUpperCase());
  return /^[A-Za-z_$]/.test(made) ? made : `_${made}`;
}
