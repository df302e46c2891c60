import { DecoratorError } from '../errors';
import { describeKey, isResourceKey, type ResourceKey } from '../resources/resource-key';
import { Component } from './component';
import type { NameSpec } from './component-metadata';

const namePattern = /^\w+$/;

/** Throws unless `target` is a Component subclass (class decorators). */
export function checkComponentClass(decorator: string, target: unknown): void {
  if (typeof target === 'function' && target.prototype instanceof Component) return;
  const what = typeof target === 'function' ? `class ${target.name}` : String(target);
  throw new DecoratorError(
    `${decorator} can only decorate a component class, but ${what} does not extend Component; ` +
      `write 'class ${typeof target === 'function' ? target.name : 'MyComponent'} extends Component { ... }'`,
  );
}

/**
 * Throws when a decorator factory was used as the decorator itself: `@requires class X`
 * (called with the class) or `@requires db!: Db` on a property (called with the prototype and the
 * property name). Either way the key is missing, which is a different mistake from a key that is
 * `undefined`.
 */
export function checkCalledWithArguments(decorator: '@requires' | '@provides', key: unknown, second: unknown): void {
  const base = decorator.slice(1);
  if ((typeof second === 'string' || typeof second === 'symbol') && typeof key === 'object' && key !== null) {
    const owner = (key as { constructor?: unknown }).constructor;
    const className = typeof owner === 'function' && owner.name ? owner.name : 'the class';
    const property = String(second);
    throw new DecoratorError(
      `${decorator} on ${className}.${property} is written without parentheses, so it has no resource key: ` +
        `${decorator} is called with the key, e.g. '${decorator}(Db) ${property}!: Pool' (or '${decorator}(Db, { optional: true }) ${property}?: Pool')`,
    );
  }
  if (typeof key === 'function' && key.prototype instanceof Component && (second === undefined || second === null)) {
    throw new DecoratorError(
      `${decorator} on class ${key.name || '(anonymous)'} is written without parentheses, so it has no resource key: ` +
        `write '${decorator}(Db)' above 'class ${key.name || 'X'} extends ...', with the key of the resource it ${base === 'requires' ? 'needs' : 'publishes'}. ` +
        `(If you did write ${decorator}(${key.name || 'X'}): a component class is not a resource key; name what it @provides instead.)`,
    );
  }
}

/** `class X` for a class decorator's target, `X.prop` for a property decorator's. */
export function decoratedName(target: unknown, property?: string | symbol): string {
  if (property === undefined) return `class ${typeof target === 'function' && target.name ? target.name : '(anonymous)'}`;
  const owner = typeof target === 'function' ? target : (target as { constructor?: unknown } | null)?.constructor;
  return `${typeof owner === 'function' && owner.name ? owner.name : '(anonymous class)'}.${String(property)}`;
}

/**
 * Throws unless `key` is a class or token and `name` a valid name or name function; `where` is
 * what the decorator is on (`class App`, `App.db`).
 */
export function checkKeyAndName(decorator: string, key: unknown, name: NameSpec<never> | undefined, where: string): ResourceKey<unknown> {
  if (key === undefined) {
    throw new DecoratorError(
      `${decorator}(undefined) on ${where}: the resource key is undefined where the decorator runs. That is usually an import ` +
        `cycle: the module that exports the key imports this one (directly or through others), so the key is not defined yet ` +
        `when this class is declared. Move the key (the token or class) to a module of its own that imports neither`,
    );
  }
  if (!isResourceKey(key)) {
    throw new DecoratorError(
      `${decorator} on ${where} needs a resource key (a class or a token<T>('Id')), got ${describeNonKey(key)}; ` +
        `write for example ${decorator}(token<Pool>('Db')) or ${decorator}(SomeClass)`,
    );
  }
  if (name !== undefined && typeof name !== 'function' && (typeof name !== 'string' || !namePattern.test(name))) {
    throw new DecoratorError(
      `${decorator}(${describeKey(key)}) on ${where}: name ${JSON.stringify(name)} is invalid; a name is letters, digits and ` +
        `underscores (/^\\w+$/), or a function of the config: { name: (config) => config.resourceName }`,
    );
  }
  return key;
}

function describeNonKey(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)} (a string is not a key; make a token: token<T>(${JSON.stringify(value)}))`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
