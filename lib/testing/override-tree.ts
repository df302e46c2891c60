import type { ComponentType } from '../components/component';
import { childDeclarations } from '../components/internal';
import { resolveComponentType } from '../components/resolve-component-type';
import type { AsphaltError } from '../errors';
import { buildTree, type BuildTreeOptions, type ComponentRecord } from '../graph/build-tree';
import { describeKey, type ResourceKey } from '../resources/resource-key';
import type { ComponentClass } from './override-types';

type PlainConfig = Record<string, unknown>;

/** `Key 'name'`, for messages. */
export function refText(key: ResourceKey<unknown>, name: string): string {
  return `${describeKey(key)} '${name}'`;
}

/** The aliases below the root: `'root.api.db'` gives `['api', 'db']`. */
export function segmentsOf(path: string): string[] {
  return path.split('.').slice(1);
}

export function plain(value: unknown): PlainConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as PlainConfig) : {};
}

/** The config given at `segments` (what `components:` nests), or `{}`. */
export function configAt(config: unknown, segments: readonly string[]): PlainConfig {
  let here = plain(config);
  for (const alias of segments) here = plain(plain(here.components)[alias]);
  return here;
}

/** A copy of `config` with `type` set at `segments`; the caller's objects are left unchanged. */
export function withType(config: unknown, segments: readonly string[], type: ComponentClass): PlainConfig {
  const top: PlainConfig = { ...plain(config) };
  let here = top;
  for (const alias of segments) {
    const children: PlainConfig = { ...plain(here.components) };
    const child: PlainConfig = { ...plain(children[alias]) };
    children[alias] = child;
    here.components = children;
    here = child;
  }
  here.type = type;
  return top;
}

/** Builds the tree without starting it, keeping every component that could be built, by path. */
export function survey(root: ComponentType, config: unknown, options: BuildTreeOptions): Map<string, ComponentRecord> {
  const problems: AsphaltError[] = [];
  const records = new Map<string, ComponentRecord>();
  const tree = buildTree(root, config, options, problems);
  for (const stack = tree ? [tree] : []; stack.length > 0; ) {
    const record = stack.pop()!;
    records.set(record.path, record);
    stack.push(...record.children);
  }
  return records;
}

export interface ChildSpec {
  readonly alias: string;
  readonly type: ComponentType;
}

/** The children of a built component, as `buildTree` sees them: added in code, then from config. */
export function childSpecs(record: ComponentRecord, config: unknown): ChildSpec[] {
  const types = new Map<string, ComponentType | undefined>();
  for (const child of record.instance[childDeclarations]()) types.set(child.alias, child.type);
  const here = configAt(config, segmentsOf(record.path));
  for (const [alias, raw] of Object.entries(plain(here.components))) {
    types.set(alias, (plain(raw).type as ComponentType | undefined) ?? types.get(alias));
  }
  return [...types].map(([alias, type]) => ({ alias, type: type ?? alias.split('/')[0]! }));
}

export function classOf(type: ComponentType, basedir: string | undefined): ComponentClass | undefined {
  try {
    return resolveComponentType(type, 'startTestApp', basedir) as ComponentClass;
  } catch {
    return undefined;
  }
}

export function parentPath(path: string): string {
  return path.slice(0, path.lastIndexOf('.'));
}
