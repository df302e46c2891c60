/** What is exported by the loaded modules: value -> the names it is exported under. */
interface ExportIndex {
  readonly modules: number;
  readonly names: Map<unknown, { name: string; inPackage: boolean }[]>;
}

let index: ExportIndex | undefined;

/**
 * The name `value` is exported under by a loaded CommonJS module, the name a user imports it by:
 * pg's `Pool` is `class BoundPool`, exported as `Pool`. The runtime name wins when some module
 * exports the value under it; else a name from the application's own modules, else from a
 * package's. `undefined` when no loaded module exports it (a local class, an ES module).
 * For messages only: the first call after modules were loaded reads every module's exports.
 */
export function exportedName(value: object): string | undefined {
  const candidates = exportIndex().names.get(value);
  if (candidates === undefined) return undefined;
  const runtime = typeof value === 'function' ? value.name : undefined;
  if (runtime && candidates.some((c) => c.name === runtime)) return runtime;
  return (candidates.find((c) => !c.inPackage) ?? candidates[0])!.name;
}

function exportIndex(): ExportIndex {
  const cache = loadedModules();
  const ids = cache === undefined ? [] : Object.keys(cache);
  if (index !== undefined && index.modules === ids.length) return index;
  const names = new Map<unknown, { name: string; inPackage: boolean }[]>();
  for (const id of ids) {
    const exports = (cache![id] as { exports?: unknown } | undefined)?.exports;
    if ((typeof exports !== 'object' && typeof exports !== 'function') || exports === null) continue;
    const inPackage = /[\\/]node_modules[\\/]/.test(id);
    let keys: string[];
    try {
      keys = Object.keys(exports);
    } catch {
      continue;
    }
    for (const name of keys) {
      if (name === 'default' || name === '__esModule' || !/^[A-Za-z_$][\w$]*$/.test(name)) continue;
      const exported = read(exports, name, !inPackage);
      if ((typeof exported !== 'object' && typeof exported !== 'function') || exported === null) continue;
      const list = names.get(exported);
      if (list === undefined) names.set(exported, [{ name, inPackage }]);
      else if (!list.some((c) => c.name === name)) list.push({ name, inPackage });
    }
  }
  return (index = { modules: ids.length, names });
}

/** An export's value: data properties always, getters (compiled re-exports) only where asked. */
function read(exports: object, name: string, getters: boolean): unknown {
  try {
    const descriptor = Object.getOwnPropertyDescriptor(exports, name);
    if (descriptor === undefined) return undefined;
    if ('value' in descriptor) return descriptor.value;
    return getters && descriptor.get ? descriptor.get.call(exports) : undefined;
  } catch {
    return undefined; // a getter of a module still loading (its binding not yet initialised)
  }
}

function loadedModules(): Record<string, unknown> | undefined {
  try {
    return typeof require === 'function' ? (require.cache as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
