import type { ResourceKey } from './resource-key';
import { Token } from './token';

/** A key's service ids: the one for `'default'` (nearly every key has only that one), then the others. */
interface Ids {
  default: symbol | undefined;
  named: Map<string, symbol> | undefined;
}

/** Where a key keeps its service identifiers: a hidden, non-enumerable property. */
const slot = Symbol('asphalt.serviceIds');
const frozen = new WeakMap<object, Ids>();

/**
 * The inversify service identifier of one (key, name) pair. Each pair gets its own symbol:
 * inversify falls back to a parent container only when the child has no binding at all for an
 * identifier, so sharing one identifier across names would let a child's `Db 'replica'` hide the
 * parent's `Db 'default'`. The symbols live on the key itself (a property lookup is much cheaper
 * than a WeakMap on this hot path).
 */
export function serviceId(key: ResourceKey<unknown>, name: string): symbol {
  const holder = key as unknown as { [slot]?: Ids };
  let ids = idsOf(holder);
  if (ids === undefined) {
    ids = { default: undefined, named: undefined };
    if (Object.isExtensible(holder)) Object.defineProperty(holder, slot, { value: ids, enumerable: false });
    else frozen.set(key, ids); // a frozen class or token
  }
  if (name === 'default') return (ids.default ??= Symbol(`${label(key)} 'default'`));
  let id = ids.named?.get(name);
  if (id === undefined) {
    id = Symbol(`${label(key)} '${name}'`);
    (ids.named ??= new Map()).set(name, id);
  }
  return id;
}

/** The symbols' description: cheap (no look-up of the exported name), for debugging only. */
function label(key: ResourceKey<unknown>): string {
  return key instanceof Token ? key.toString() : key.name;
}

function idsOf(holder: { [slot]?: Ids }): Ids | undefined {
  return Object.prototype.hasOwnProperty.call(holder, slot) ? holder[slot] : frozen.get(holder);
}

/** Every name a service id was made for under `key`, with its id (`'default'` first). */
export function serviceIdsOf(key: ResourceKey<unknown>): ReadonlyMap<string, symbol> {
  const ids = idsOf(key as unknown as { [slot]?: Ids });
  const all = new Map<string, symbol>();
  if (ids?.default !== undefined) all.set('default', ids.default);
  for (const [name, id] of ids?.named ?? []) all.set(name, id);
  return all;
}
