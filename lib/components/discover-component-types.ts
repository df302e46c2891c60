import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaultComponentTypes, type ComponentTypeRegistry } from './component-registry';

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  asphalt?: { components?: Record<string, unknown> };
}

/**
 * Registers the component types that the project nearest to `dir` and its installed dependencies
 * declare in their package.json: `"asphalt": { "components": { "http": "./dist/http.js:Http" } }`.
 * Only the packages the project depends on are read, not all of node_modules. Registers them in
 * `registry` (by default the process-wide one). Returns the names.
 */
export function discoverComponentTypes(dir: string, registry: ComponentTypeRegistry = defaultComponentTypes): string[] {
  const project = findPackageJson(resolve(dir));
  if (project === undefined) return [];
  const found: string[] = [];
  const register = (pkgDir: string, pkg: PackageJson): void => {
    for (const [name, target] of Object.entries(pkg.asphalt?.components ?? {})) {
      if (typeof target !== 'string' || !target.includes(':')) continue;
      const colon = target.lastIndexOf(':');
      const module = target.slice(0, colon);
      const absolute = module.startsWith('.') ? join(pkgDir, module) : module;
      registry.register(name, `${absolute}:${target.slice(colon + 1)}`, pkg.name ?? pkgDir);
      found.push(name);
    }
  };
  const root = dirname(project.path);
  const deps = { ...project.json.optionalDependencies, ...project.json.devDependencies, ...project.json.dependencies };
  for (const dep of Object.keys(deps)) {
    const pkgDir = findInstalled(root, dep);
    if (pkgDir === undefined) continue;
    const pkg = readJson(join(pkgDir, 'package.json'));
    if (pkg?.asphalt) register(pkgDir, pkg);
  }
  register(root, project.json); // the project's own names win
  return found;
}

function findPackageJson(start: string): { path: string; json: PackageJson } | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    const json = existsSync(path) ? readJson(path) : undefined;
    if (json) return { path, json };
    if (dirname(dir) === dir) return undefined;
  }
}

function findInstalled(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

function readJson(path: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}
