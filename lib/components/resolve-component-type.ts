import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { ComponentTypeError } from '../errors';
import { closestMatch, editDistance } from '../util/closest-match';
import { Component, type ComponentType } from './component';
import { defaultComponentTypes, type ComponentTypeRegistry } from './component-registry';
import './container-component';


type ComponentClass = abstract new (...args: never[]) => Component;

/**
 * Turns a component type from code or config into a class: a class is checked, a
 * `"module:Export"` string is loaded (relative paths from `basedir`), a short name is looked up in
 * `registry` (by default the process-wide one).
 */
export function resolveComponentType(
  type: ComponentType,
  where: string,
  basedir = process.cwd(),
  registry: ComponentTypeRegistry = defaultComponentTypes,
): ComponentClass {
  if (typeof type === 'function') {
    if (type.prototype instanceof Component) return type;
    throw new ComponentTypeError(`${where}: ${type.name || 'the class'} does not extend Component; write 'class ${type.name || 'X'} extends Component'`);
  }
  if (typeof type !== 'string' || type.length === 0) {
    throw new ComponentTypeError(`${where}: a component type must be a class, a 'module:Export' string or a registered name; got ${JSON.stringify(type)}`);
  }
  const colon = type.lastIndexOf(':');
  if (colon <= 0) {
    const registered = registry.get(type);
    if (typeof registered === 'string') return resolveComponentType(registered, `${where} (registered type '${type}')`, basedir, registry);
    if (registered) return registered;
    const known = registry.names();
    const guess = nearName(type, known.map((name) => name.replace(/ \(.*\)$/, '')));
    throw new ComponentTypeError(
      `${where}: unknown component type '${type}'` +
        (guess === undefined ? '; ' : ` (did you mean '${guess}'?); `) +
        (known.length ? `registered types: ${known.join(', ')}; ` : 'no short type names are registered; ') +
        `or name a module export as 'path/to/module:ExportName'`,
    );
  }
  const specifier = type.slice(0, colon);
  const exportName = type.slice(colon + 1);
  const path = specifier.startsWith('.') || isAbsolute(specifier) ? resolve(basedir, specifier) : specifier;
  const load = createRequire(join(basedir, 'asphalt-config.js'));
  let loaded: Record<string, unknown>;
  try {
    loaded = load(path) as Record<string, unknown>;
  } catch (error) {
    // Node's loader table; a require without one (Jest's) compiles .ts itself.
    const loaders = (load as { extensions?: object }).extensions;
    const typescript = loaders === undefined || '.ts' in loaders ? undefined : typeScriptFile(path);
    if (typescript !== undefined) {
      throw new ComponentTypeError(
        `${where}: component type '${type}' is the TypeScript file ${typescript}, and nothing in this process compiles .ts files: ` +
          `the asphalt CLI compiles them with @swc/core, which is not installed; run 'npm i -D @swc/core' ` +
          `(or compile the project to JavaScript and name the .js module)`,
        { cause: error },
      );
    }
    throw new ComponentTypeError(
      `${where}: cannot load module '${specifier}' (resolved to ${path}) for component type '${type}': ` +
        `${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      { cause: error },
    );
  }
  const exported = loaded[exportName];
  if (exported === undefined) {
    const names = Object.keys(loaded).filter((n) => typeof loaded[n] === 'function');
    const guess = nearName(exportName, names);
    throw new ComponentTypeError(
      `${where}: module '${specifier}' has no export '${exportName}'` +
        (guess === undefined ? '' : ` (did you mean '${specifier}:${guess}'?)`) +
        (names.length ? `; it exports: ${names.join(', ')}` : ''),
    );
  }
  if (typeof exported !== 'function') {
    throw new ComponentTypeError(
      `${where}: export '${exportName}' of module '${specifier}' is not a component class (it is a ${typeof exported})`,
    );
  }
  return resolveComponentType(exported as ComponentType, where, basedir, registry);
}

/** The `.ts` file that the module path `path` names, as written or without its extension. */
function typeScriptFile(path: string): string | undefined {
  if (!isAbsolute(path)) return undefined;
  const candidates = /\.[cm]?ts$/.test(path) ? [path] : [`${path}.ts`, join(path, 'index.ts')];
  return candidates.find((candidate) => existsSync(candidate));
}

/** The candidate close enough to `word` to be a typo of it (a third of its length, at least 2 edits), if any. */
function nearName(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 200) return undefined;
  const best = closestMatch(word, candidates);
  if (best === undefined) return undefined;
  return editDistance(word.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}
