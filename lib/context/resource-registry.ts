import { DEFAULT_NAME } from '../resources/resource-name';
import type { ResourceKey } from '../resources/resource-key';
import type { Announcement } from './announcement';
import { lookupGeneration } from './lookup-generation';

/** What a context holds under one key and name: a value or a `FactoryRecord`. */
export interface RegistryEntry {
  readonly value: unknown;
  /** As given to addResource / addResourceFactory; messages fall back to `describeValue`. */
  readonly description: string | undefined;
}

type Key = ResourceKey<unknown>;

/**
 * The values, factories and announcements one context holds itself, by (key, name). Lookups
 * through a chain ask each context's registry in turn; nothing here is copied into another
 * context, so what a lookup answers is always what the chain holds now. Internal.
 */
export class ResourceRegistry {
  #defaults: Map<Key, RegistryEntry> | undefined;
  #named: Map<Key, Map<string, RegistryEntry>> | undefined;
  #announced: Map<Key, Map<string, Announcement>> | undefined;

  get(key: Key, name: string): RegistryEntry | undefined {
    return name === DEFAULT_NAME ? this.#defaults?.get(key) : this.#named?.get(key)?.get(name);
  }

  set(key: Key, name: string, entry: RegistryEntry): void {
    lookupGeneration.value++;
    if (name === DEFAULT_NAME) {
      (this.#defaults ??= new Map()).set(key, entry);
      return;
    }
    const named = (this.#named ??= new Map());
    let byName = named.get(key);
    if (byName === undefined) named.set(key, (byName = new Map()));
    byName.set(name, entry);
  }

  /** The names held under `key`, `'default'` first. */
  names(key: Key): string[] {
    const names = this.#defaults?.has(key) ? [DEFAULT_NAME] : [];
    for (const name of this.#named?.get(key)?.keys() ?? []) names.push(name);
    return names;
  }

  /** Every entry, as [key, name, entry]. */
  *entries(): IterableIterator<[Key, string, RegistryEntry]> {
    for (const [key, entry] of this.#defaults ?? []) yield [key, DEFAULT_NAME, entry];
    for (const [key, byName] of this.#named ?? []) for (const [name, entry] of byName) yield [key, name, entry];
  }

  announcement(key: Key, name: string): Announcement | undefined {
    return this.#announced?.get(key)?.get(name);
  }

  setAnnouncement(key: Key, name: string, announcement: Announcement): void {
    const announced = (this.#announced ??= new Map());
    let byName = announced.get(key);
    if (byName === undefined) announced.set(key, (byName = new Map()));
    byName.set(name, announcement);
  }

  /** Every announcement not yet settled. */
  *pendingAnnouncements(): IterableIterator<Announcement> {
    for (const byName of this.#announced?.values() ?? []) for (const a of byName.values()) if (!a.settled) yield a;
  }
}
