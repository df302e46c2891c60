import { DecoratorError } from '../errors';
import { checkComponentClass } from './decorator-checks';
import { markClassDecorated, ownMetadata, type ComponentOptions } from './component-metadata';
import type { AnyComponentClass, ComponentClassDecorator } from './decorator-types';

/**
 * Sets a component's options: `startTimeout`, `stopTimeout` (ms), `isolated`, and `config` (the
 * config class, when the constructor's parameter type cannot be read). It also makes TypeScript
 * emit the constructor's parameter types, from which the config class is read.
 *
 * @example
 * @component({ startTimeout: 5_000, isolated: true })
 * class ApiComponent extends Component { constructor(readonly config: ApiConfig) { super(); } }
 */
export function component(options: ComponentOptions = {}): ComponentClassDecorator {
  for (const field of ['startTimeout', 'stopTimeout'] as const) {
    const value = options[field];
    if (value !== undefined && (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))) {
      throw new DecoratorError(`@component({ ${field} }): expected a positive number of milliseconds, got ${JSON.stringify(value)}`);
    }
  }
  if (options.config !== undefined && typeof options.config !== 'function') {
    throw new DecoratorError('@component({ config }): expected the config class itself, e.g. { config: DbConfig }');
  }
  return (target: AnyComponentClass): void => {
    checkComponentClass('@component', target);
    Object.assign(ownMetadata(target).options, options);
    markClassDecorated(target);
  };
}
