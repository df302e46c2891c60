import type { ResourceKey } from '../resources/resource-key';
import { checkCalledWithArguments, checkComponentClass, checkKeyAndName, decoratedName } from './decorator-checks';
import { ownMetadata, type NameSpec, type ProvidesDeclaration } from './component-metadata';
import type { AnyComponentClass, ComponentClassDecorator } from './decorator-types';

/** Options of {@link provides}. */
export interface ProvidesOptions<C = never> {
  /** Defaults to the component's default resource name (`'default'`, or `name` of an alias `type/name`). */
  name?: NameSpec<C>;
  description?: string;
  /**
   * Where it is published, so the graph knows before anything runs who can start when. Defaults to
   * `'prepare'` when the component overrides `prepare()`, else `'start'`.
   */
  phase?: 'prepare' | 'start';
}

/**
 * Declares that the component publishes a resource with this key (repeatable). The start fails if
 * it is not published by the end of `start()`; consumers that `@requires` it start after it is.
 * It decorates component classes only. A name function gets the component's config: annotate its
 * parameter or pass the config type (`@provides<DbConfig>(Db, { name: (c) => c.resourceName })`);
 * either way the class's own config must be that type.
 *
 * @example
 * @provides(Db, { name: (config: DbConfig) => config.resourceName })
 * class DbComponent extends Component { ... }
 */
export function provides<C = never>(key: ResourceKey<unknown>, given?: ProvidesOptions<C>): ComponentClassDecorator<C> {
  checkCalledWithArguments('@provides', key, given);
  const options = given ?? {};
  return (target: AnyComponentClass): void => {
    const checked = checkKeyAndName('@provides', key, options.name as NameSpec | undefined, decoratedName(target));
    checkComponentClass('@provides', target);
    const declaration: ProvidesDeclaration = {
      key: checked,
      name: options.name as NameSpec | undefined,
      description: options.description,
      phase: options.phase,
    };
    // Class decorators apply bottom-up; unshift keeps the declarations in source order.
    ownMetadata(target).provides.unshift(declaration);
  };
}
