import type { ResourceKey } from './resource-key';
import { describeKey } from './resource-key';

const ids = new WeakMap<object, Map<string, symbol>>();

/**
 * The inversify service identifier of one (key, name) pair. Each pair gets its own symbol:
 * inversify falls back to a parent container only when the child has no binding at all for an
 * identifier, so sharing one identifier across names would let a child's `Db 'replica'` hide the
 * parent's `Db 'default'`.
 */
export function serviceId(key: ResourceKey<unknown>, name: string): symbol {
  let byName = ids.get(key);
  if (byName === undefined) {
    byName = new Map();
    ids.set(key, byName);
  }
  let id = byName.get(name);
  if (id === undefined) {
    id = Symbol(`${describeKey(key)} '${name}'`);
    byName.set(name, id);
  }
  return id;
}
