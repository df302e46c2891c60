import { ResourceConflictError } from '../errors';
import type { Signal } from '../events/signal';
import { describeKey, type ResourceKey } from '../resources/resource-key';
import { Announcement } from './announcement';
import { FactoryRecord } from './factory-record';
import type { RegistryEntry, ResourceRegistry } from './resource-registry';
import type { TaskFailedEvent } from './task-failed-event';

type Key = ResourceKey<unknown>;

/** A context as the chain functions see it: its parent link (a `Context` is one). */
export interface ChainLink {
  readonly parent: ChainLink | undefined;
}

/** What the chain functions read of a context; `Context` hands it over once (module-private). */
export interface ContextParts {
  registry(ctx: ChainLink): ResourceRegistry;
  taskFailed(ctx: ChainLink): Signal<TaskFailedEvent> | undefined;
}

let parts: ContextParts | undefined;

/** Called once by `Context` (a static block), so that these functions can read its parts. Internal. */
export function provideContextParts(given: ContextParts): void {
  parts = given;
}

const registryOf = (ctx: ChainLink): ResourceRegistry => parts!.registry(ctx);

/**
 * The nearest entry for `key`/`name` in `ctx` or its ancestors: what a lookup from `ctx` sees now.
 * Internal, like everything in this module: reads through the chain of contexts.
 */
export function findEntry(ctx: ChainLink, key: Key, name: string): RegistryEntry | undefined {
  for (let at: ChainLink | undefined = ctx; at; at = at.parent) {
    const entry = registryOf(at).get(key, name);
    if (entry !== undefined) return entry;
  }
  return undefined;
}

/** The nearest announcement of `key`/`name` in the chain. */
export function findAnnouncement(ctx: ChainLink, key: Key, name: string): Announcement | undefined {
  for (let at: ChainLink | undefined = ctx; at; at = at.parent) {
    const pending = registryOf(at).announcement(key, name);
    if (pending !== undefined) return pending;
  }
  return undefined;
}

/** Every name held under `key` in the chain. */
export function namesInChain(ctx: ChainLink, key: Key): Set<string> {
  const names = new Set<string>();
  for (let at: ChainLink | undefined = ctx; at; at = at.parent) for (const n of registryOf(at).names(key)) names.add(n);
  return names;
}

/** Every value (not factory) under `key` visible from `ctx`, by name, the nearest winning. */
export function valuesInChain<T>(ctx: ChainLink, key: Key): Map<string, T> {
  const result = new Map<string, T>();
  for (let at: ChainLink | undefined = ctx; at; at = at.parent) {
    const registry = registryOf(at);
    for (const name of registry.names(key)) {
      const entry = registry.get(key, name)!;
      if (!result.has(name) && !(entry.value instanceof FactoryRecord)) result.set(name, entry.value as T);
    }
  }
  return result;
}

/** Every entry visible from `ctx`, nearest first, as [key, name, entry, whether `ctx` holds it]. */
export function* entriesInChain(ctx: ChainLink): IterableIterator<[Key, string, RegistryEntry, boolean]> {
  for (let at: ChainLink | undefined = ctx; at; at = at.parent) {
    for (const [key, name, entry] of registryOf(at).entries()) yield [key, name, entry, at === ctx];
  }
}

/** Whether a value or factory for `key`/`name` is held in `ctx` or a parent (runs no factory). */
export function isVisible(ctx: ChainLink, key: Key, name: string): boolean {
  return findEntry(ctx, key, name) !== undefined;
}

/** Whether `ctx` itself (not a parent) holds `key`/`name`. */
export function hasOwnResource(ctx: ChainLink, key: Key, name: string): boolean {
  return registryOf(ctx).get(key, name) !== undefined;
}

/** A promise that `key`/`name` will be published in `ctx`, so `getResource` waits for it (the lifecycle's). */
export function announce(ctx: ChainLink, key: Key, name: string, provider: string): Announcement {
  const registry = registryOf(ctx);
  const existing = registry.announcement(key, name);
  if (existing !== undefined && !existing.settled) {
    throw new ResourceConflictError(`${describeKey(key)} '${name}' is announced by both ${existing.provider} and ${provider}; give one of them another resource name`);
  }
  const announcement = new Announcement(provider, key, name);
  registry.setAnnouncement(key, name, announcement);
  if (registry.get(key, name) !== undefined) announcement.fulfil();
  return announcement;
}

/** Delivers a service task failure to `ctx`'s and its ancestors' listeners (a warning if none). */
export function reportTaskFailure(ctx: ChainLink, event: TaskFailedEvent): void {
  let delivered = false;
  for (let at: ChainLink | undefined = ctx; at; at = at.parent) {
    const signal = parts!.taskFailed(at);
    if (signal !== undefined && signal.listenerCount > 0) {
      signal.dispatch(event);
      delivered = true;
    }
  }
  if (!delivered) process.emitWarning(event.error);
}
