import { inversify } from './load-inversify';
import { DecoratorError } from '../errors';
import { describeKey, isResourceKey, type ResourceKey } from '../resources/resource-key';
import { checkResourceName, DEFAULT_NAME } from '../resources/resource-name';
import { serviceId } from '../resources/service-id';

/** What one constructor parameter asks for: a key and a name. */
export interface InjectedParameter {
  readonly key: ResourceKey<unknown>;
  readonly name: string;
}

const parameters = new WeakMap<object, Map<number, InjectedParameter>>();

/**
 * Marks a constructor parameter of an `@injectable()` class as the resource `key` (and `name`),
 * for `ctx.resolve(Class)`. Maps the pair to the inversify service id of the context's binding.
 *
 * @example
 * @injectable()
 * class NoteService {
 *   constructor(@inject(Db) readonly db: Pool, @inject(Db, 'replica') readonly replica: Pool) {}
 * }
 * const notes = ctx.resolve(NoteService);
 */
export function inject<T>(key: ResourceKey<T>, name: string = DEFAULT_NAME): ParameterDecorator & PropertyDecorator {
  if (!isResourceKey(key)) {
    throw new DecoratorError(
      `@inject(${String(key)}): the key is not a class or a token` +
        (key === undefined ? ' (undefined: usually an import cycle; import the key from a module that does not import this one)' : ''),
    );
  }
  checkResourceName(name, '@inject');
  const id = serviceId(key, name);
  return (target: object, property: string | symbol | undefined, index?: number): void => {
    if (typeof index === 'number') {
      let byIndex = parameters.get(target);
      if (byIndex === undefined) parameters.set(target, (byIndex = new Map()));
      byIndex.set(index, { key, name });
    }
    (inversify().inject(id) as (t: object, p: string | symbol | undefined, i?: number) => void)(target, property, index);
  };
}

/** The `@inject` parameters of a class's constructor, by index. Internal. */
export function injectedParameters(target: object): ReadonlyMap<number, InjectedParameter> | undefined {
  return parameters.get(target);
}

/** How a parameter is named in messages: `Db 'replica'`. Internal. */
export const describeParameter = (p: InjectedParameter): string => `${describeKey(p.key)} '${p.name}'`;

/**
 * Marks a class as buildable by `ctx.resolve(Class)` (inversify's `@injectable()`).
 *
 * @example
 * @injectable()
 * class NoteService { constructor(@inject(Db) readonly db: Pool) {} }
 */
export function injectable(...args: Parameters<typeof import('inversify').injectable>): ClassDecorator {
  return inversify().injectable(...args) as ClassDecorator;
}
