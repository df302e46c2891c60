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

/** Throws unless `key` is a class or token and `name` a valid name or name function. */
export function checkKeyAndName(decorator: string, key: unknown, name: NameSpec<never> | undefined): ResourceKey<unknown> {
  if (!isResourceKey(key)) {
    throw new DecoratorError(
      `${decorator} needs a resource key (a class or a token<T>('Id')), got ${key === undefined ? 'undefined' : JSON.stringify(key)}; ` +
        `if the key is imported from a module that imports this one, the import cycle leaves it undefined here`,
    );
  }
  if (name !== undefined && typeof name !== 'function' && (typeof name !== 'string' || !namePattern.test(name))) {
    throw new DecoratorError(
      `${decorator}(${describeKey(key)}): name ${JSON.stringify(name)} is invalid; a name is letters, digits and ` +
        `underscores (/^\\w+$/), or a function of the config: { name: (config) => config.resourceName }`,
    );
  }
  return key;
}
