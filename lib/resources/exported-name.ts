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
 * The answer for a value is kept; the first question after modules were loaded reads every
 * module's exports.
 */
export function exportedName(value: object): string | undefined {
  // Each value is looked up once (messages name keys on hot paths, e.g. ctx.getResource's wait
  // label): a key exists only once the module that defines it has run, so its exports are there.
  const known = answers.get(value);
  if (known !== undefined) return known ?? undefined;
  const candidates = exportIndex().names.get(value);
  let name: string | null = null;
  if (candidates !== undefined) {
    const runtime = typeof value === 'function' ? value.name : undefined;
    name = runtime && candidates.some((c) => c.name === runtime) ? runtime : (candidates.find((c) => !c.inPackage) ?? candidates[0])!.name;
  }
  answers.set(value, name);
  return name ?? undefined;
}

const answers = new WeakMap<object, string | null>();

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
