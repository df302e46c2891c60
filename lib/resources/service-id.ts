import type { ResourceKey } from './resource-key';
import { describeKey } from './resource-key';

/** Where a key keeps its per-name service identifiers: a hidden, non-enumerable property. */
const ids = Symbol('asphalt.serviceIds');
const frozen = new WeakMap<object, Map<string, symbol>>();

/**
 * The inversify service identifier of one (key, name) pair. Each pair gets its own symbol:
 * inversify falls back to a parent container only when the child has no binding at all for an
 * identifier, so sharing one identifier across names would let a child's `Db 'replica'` hide the
 * parent's `Db 'default'`. The symbols live on the key itself (a property lookup is much cheaper
 * than a WeakMap on this hot path).
 */
export function serviceId(key: ResourceKey<unknown>, name: string): symbol {
  const holder = key as unknown as { [ids]?: Map<string, symbol> };
  let byName = idsOf(holder);
  if (byName === undefined) {
    byName = new Map();
    if (Object.isExtensible(holder)) Object.defineProperty(holder, ids, { value: byName, enumerable: false });
    else frozen.set(key, byName); // a frozen class or token
  }
  let id = byName.get(name);
  if (id === undefined) {
    id = Symbol(`${describeKey(key)} '${name}'`);
    byName.set(name, id);
  }
  return id;
}

function idsOf(holder: { [ids]?: Map<string, symbol> }): Map<string, symbol> | undefined {
  return Object.prototype.hasOwnProperty.call(holder, ids) ? holder[ids] : frozen.get(holder);
}

/** Every name a service id was made for under `key`, with its id (in the order they were made). */
export function serviceIdsOf(key: ResourceKey<unknown>): ReadonlyMap<string, symbol> {
  return idsOf(key as unknown as { [ids]?: Map<string, symbol> }) ?? new Map();
}
