import { DecoratorError } from '../errors';
import type { ResourceKey } from '../resources/resource-key';
import { Component } from './component';
import { checkCalledWithArguments, checkComponentClass, checkKeyAndName, decoratedName } from './decorator-checks';
import { ownMetadata, type NameSpec, type RequiresDeclaration } from './component-metadata';
import type { RequiresDecorator } from './decorator-types';

/** Options of {@link requires}. */
export interface RequiresOptions<C = never> {
  name?: NameSpec<C>;
  /** Start even when nobody provides it (the property is then left `undefined`). */
  optional?: boolean;
}

/**
 * Declares that the component needs a resource before it can prepare. On the class it orders the
 * start; on a property it also injects the value before `prepare()` runs. The property's type must
 * accept the key's type (`T | undefined` with `optional: true`): `@requires(Db) db!: string` does
 * not compile. A name function gets the component's config: annotate its parameter, or pass the
 * config type as the second type argument.
 *
 * @example
 * @requires(SmtpTransport)
 * class MailerComponent extends Component {
 *   @requires(Logger) logger!: Logger;
 *   @requires(Cache, { optional: true }) cache?: Cache;
 * }
 */
export function requires<T, C = never>(key: ResourceKey<T>, options: RequiresOptions<C> & { optional: true }): RequiresDecorator<T | undefined, C>;
export function requires<T, C = never>(key: ResourceKey<T>, options?: RequiresOptions<C> & { optional?: false }): RequiresDecorator<T, C>;
export function requires<T, C = never>(key: ResourceKey<T>, options?: RequiresOptions<C>): RequiresDecorator<T | undefined, C>;
export function requires<T, C = never>(key: ResourceKey<T>, given?: RequiresOptions<C>): RequiresDecorator<T | undefined, C> {
  checkCalledWithArguments('@requires', key, given);
  const options = given ?? {};
  // The key is checked where the decorator is applied, so a bad one is reported with the class
  // (and property) it is on.
  return ((target: object, property?: string | symbol): void => {
    const checked = checkKeyAndName('@requires', key, options.name as NameSpec | undefined, decoratedName(target, property));
    if (property === undefined) {
      checkComponentClass('@requires', target);
      ownMetadata(target).requires.unshift(declaration(checked, options, undefined));
      return;
    }
    if (typeof target === 'function') {
      throw new DecoratorError(`@requires on static property ${String(property)}: use an instance property`);
    }
    if (!(target instanceof Component)) {
      checkComponentClass('@requires', target.constructor);
    }
    if (typeof property === 'symbol') {
      throw new DecoratorError(`@requires on symbol property ${String(property)}: use a named property`);
    }
    ownMetadata(target.constructor).requires.push(declaration(checked, options, property));
  }) as RequiresDecorator<T | undefined, C>;
}

function declaration<C>(key: ResourceKey<unknown>, options: RequiresOptions<C>, property: string | undefined): RequiresDeclaration {
  return { key, name: options.name as NameSpec | undefined, optional: options.optional ?? false, property };
}
