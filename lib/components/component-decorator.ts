import { DecoratorError } from '../errors';
import { stopAfterProblem } from './stop-after-names';
import { checkComponentClass } from './decorator-checks';
import { markClassDecorated, ownMetadata, type ComponentOptions } from './component-metadata';
import type { AnyComponentClass, ComponentClassDecorator } from './decorator-types';

/**
 * Sets a component's options: `startTimeout`, `stopTimeout` (ms), `isolated`, `config` (the
 * config class, when the constructor's parameter type cannot be read) and `stopAfter` (components,
 * named relative to its parent, that it stops only after: it also starts before them). It also
 * makes TypeScript emit the constructor's parameter types, from which the config class is read.
 *
 * @example
 * @component({ startTimeout: 5_000, isolated: true })
 * class ApiComponent extends Component { constructor(readonly config: ApiConfig) { super(); } }
 *
 * @component({ stopAfter: ['http'] }) // gets the events of requests that complete during the drain
 * class Notifier extends Component {}
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
  if (options.stopAfter !== undefined) {
    const problem = stopAfterProblem(options.stopAfter);
    if (problem !== undefined) throw new DecoratorError(`@component({ stopAfter }): ${problem}`);
  }
  return (target: AnyComponentClass): void => {
    checkComponentClass('@component', target);
    Object.assign(ownMetadata(target).options, options);
    markClassDecorated(target);
  };
}
