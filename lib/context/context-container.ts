import type { Container } from 'inversify';
import { inversify } from './load-inversify';
import { ResourceNotFoundError } from '../errors';
import { describeKey, type ResourceKey } from '../resources/resource-key';
import { serviceId } from '../resources/service-id';
import { FactoryRecord } from './factory-record';
import { describeParameter, injectedParameters } from './inject';
import { lookupGeneration } from './lookup-generation';
import type { RegistryEntry } from './resource-registry';

/** What the container needs from its context. */
export interface ContainerHost {
  readonly parentContainer: ContextContainer | undefined;
  /** Every entry of this context and its ancestors, nearest first, as [key, name, entry, own]. */
  visibleEntries(): Iterable<[ResourceKey<unknown>, string, RegistryEntry, boolean]>;
  lookupNowait(key: ResourceKey<unknown>, name: string): unknown;
  isVisible(key: ResourceKey<unknown>, name: string): boolean;
}

/**
 * A context's inversify container, made the first time something asks for it (`ctx.container`,
 * `ctx.resolve`), with the parent context's container as its parent. The context's own values
 * are constant bindings; every factory visible from the context is bound here to a lookup in
 * this context, so a request-scoped factory is built once per request context, as
 * `getResource` would. Internal.
 */
export class ContextContainer {
  readonly container: Container;
  readonly #host: ContainerHost;
  #syncedAt = -1;

  constructor(host: ContainerHost) {
    this.#host = host;
    this.container = new (inversify().Container)({ parent: host.parentContainer?.container, autobind: true, defaultScope: 'Transient' });
    this.sync();
  }

  /** Binds what the chain has published since the last sync. */
  sync(): void {
    if (this.#syncedAt === lookupGeneration.value) return;
    this.#host.parentContainer?.sync();
    this.#syncedAt = lookupGeneration.value;
    for (const [key, name, entry, own] of this.#host.visibleEntries()) {
      const id = serviceId(key, name);
      if (this.container.isCurrentBound(id)) continue;
      if (entry.value instanceof FactoryRecord) {
        this.container.bind(id).toDynamicValue(() => this.#host.lookupNowait(key, name)).inTransientScope();
      } else if (own) {
        this.container.bind(id).toConstantValue(entry.value);
      }
    }
  }

  /** Builds `target` from the resources visible in the context, naming a missing one first. */
  resolve<T>(target: abstract new (...args: never[]) => T): T {
    this.sync();
    for (const [index, parameter] of injectedParameters(target) ?? []) {
      if (this.#host.isVisible(parameter.key, parameter.name)) continue;
      throw new ResourceNotFoundError(
        `ctx.resolve(${target.name}): constructor parameter ${index} needs ${describeParameter(parameter)}, which is not ` +
          `visible in this context or its parents; publish it (ctx.addResource(value, { types: [...] })), or ` +
          `resolve the class in the context that holds it`,
        describeKey(parameter.key),
        parameter.name,
      );
    }
    return this.container.get(target as never) as T;
  }
}
