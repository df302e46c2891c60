import type { ResourceKey } from './resource-key';

/** Dispatched on `ctx.resourceAdded` when a resource or a resource factory is added. */
export interface ResourceEvent {
  /** Every key the resource was published under. */
  readonly keys: readonly ResourceKey<unknown>[];
  readonly name: string;
  readonly description?: string;
  /** True when a factory was added (its value is built later, on first lookup). */
  readonly isFactory: boolean;
}
