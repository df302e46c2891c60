import { Component, type ComponentType } from '../components/component';
import { component } from '../components/component-decorator';
import { componentMetadata } from '../components/component-metadata';
import { configClassOf as findConfigClass } from '../components/config-class-of';
import { childDeclarations } from '../components/internal';
import { resolveComponentType } from '../components/resolve-component-type';
import { configOptionNames, type ConfigClass } from '../config/validate-config';
import { Context } from '../context/context';
import { InvalidArgumentError, type AsphaltError } from '../errors';
import { buildTree, type BuildTreeOptions, type ComponentRecord } from '../graph/build-tree';
import { describeKey, isResourceKey, keyExpression, type ResourceKey } from '../resources/resource-key';
import { DEFAULT_NAME } from '../resources/resource-name';

/** A component class that `startTestApp` can put into the tree in place of another. */
export type ComponentClass = new (...args: never[]) => Component;

/**
 * Replaces a resource: `value` is what every component that requires `resource` (under `name`)
 * receives. Each component of the tree that would have provided it is replaced by a stub that
 * provides nothing, and the value is published in a context above the application's, so every
 * requirement resolves to it (and `ctx.getResource` finds it, from any scope).
 */
export interface ResourceOverride<T> {
  readonly resource: ResourceKey<T>;
  /** Default `'default'`. */
  readonly name?: string;
  readonly value: T;
}

/**
 * Replaces the whole component at `component` (a path such as `'root.db'`) by `with`, which
 * brings its own children. It receives the options given at that path; if it declares no config
 * class, it accepts the replaced component's option names and ignores their values.
 */
export interface ComponentOverride {
  readonly component: string;
  readonly with: ComponentClass;
}

/** One entry of `startTestApp`'s `overrides`. */
export type Override = ResourceOverride<unknown> | ComponentOverride;

/**
 * Checks each resource override's `value` against its key's type (an override list is a tuple, so
 * each entry keeps its own key type).
 */
export type CheckedOverrides<O extends readonly Override[]> = {
  readonly [I in keyof O]: O[I] extends { readonly resource: ResourceKey<infer T> } ? ResourceOverride<T> : O[I];
};

/** What the overrides turn into: the config and the parent context to bootstrap with. */
export interface OverridePlan {
  readonly config: unknown;
  readonly context: Context | undefined;
}

type PlainConfig = Record<string, unknown>;

interface PlanOptions extends BuildTreeOptions {
  context?: Context;
}

/**
 * Turns `overrides` into a config (each replaced component's `type` set at its path) and a parent
 * context holding the replacement resources. The tree is built once (or twice) beforehand, without
 * starting anything, to find the paths and the providers; problems it meets are left for
 * `bootstrap` to report.
 */
export function planOverrides(
  root: ComponentType,
  config: unknown,
  overrides: readonly Override[],
  options: PlanOptions,
): OverridePlan {
  const rootAlias = options.rootAlias ?? 'root';
  const resources: ResourceOverride<unknown>[] = [];
  const components: ComponentOverride[] = [];
  for (const override of overrides) {
    if (isResourceOverride(override)) resources.push(checkResourceOverride(override, resources));
    else components.push(checkComponentOverride(override, components, rootAlias));
  }
  if (resources.length === 0 && components.length === 0) return { config, context: options.context };

  let current: unknown = config;
  let records: Map<string, ComponentRecord> | undefined;
  if (components.length > 0) {
    for (const o of components) current = withType(current, segmentsOf(o.component), o.with);
    records = survey(root, current, options);
    for (const o of components) checkReplacementProvides(o, records, config, options.basedir);
    let adapted = false;
    for (const o of components) {
      const replacement = adaptReplacement(o, records, config, options.basedir);
      if (replacement === o.with) continue;
      current = withType(current, segmentsOf(o.component), replacement);
      adapted = true;
    }
    if (adapted) records = undefined;
  }
  if (resources.length === 0) return { config: current, context: options.context };

  records ??= survey(root, current, options);
  const overridden = new Set(resources.map((r) => refText(r.resource, r.name ?? DEFAULT_NAME)));
  for (const provider of findProviders(records, current, overridden, rootAlias, options.basedir)) {
    current = withType(current, segmentsOf(provider.path), stubFor(provider.type));
  }
  const context = new Context(options.context);
  for (const r of resources) context.addResource(r.value, { types: [r.resource], name: r.name, description: 'a startTestApp override' });
  return { config: current, context };
}

function isResourceOverride(override: Override): override is ResourceOverride<unknown> {
  return typeof override === 'object' && override !== null && 'resource' in override;
}

function checkResourceOverride(override: ResourceOverride<unknown>, seen: readonly ResourceOverride<unknown>[]): ResourceOverride<unknown> {
  if (!isResourceKey(override.resource)) {
    throw new InvalidArgumentError(`startTestApp: override.resource must be a class or a token, got ${String(override.resource)}`);
  }
  const name = override.name ?? DEFAULT_NAME;
  const text = refText(override.resource, name);
  if (override.value === undefined || override.value === null) {
    throw new InvalidArgumentError(`startTestApp: the override of ${text} has no value (got ${String(override.value)})`);
  }
  if (seen.some((r) => r.resource === override.resource && (r.name ?? DEFAULT_NAME) === name)) {
    throw new InvalidArgumentError(`startTestApp: ${text} is overridden twice`);
  }
  return override;
}

function checkComponentOverride(override: ComponentOverride, seen: readonly ComponentOverride[], rootAlias: string): ComponentOverride {
  const shape = override as Partial<ComponentOverride>;
  if (typeof shape.component !== 'string' || typeof shape.with !== 'function' || !(shape.with.prototype instanceof Component)) {
    throw new InvalidArgumentError(
      `startTestApp: an override is either { resource, value, name? } or { component: 'path', with: ComponentClass }, ` +
        `got ${JSON.stringify(override)}`,
    );
  }
  if (shape.component === rootAlias) {
    throw new InvalidArgumentError(`startTestApp: to replace the root component, pass the replacement as the root instead of overriding '${rootAlias}'`);
  }
  if (!shape.component.startsWith(`${rootAlias}.`) || shape.component.split('.').some((s) => s === '')) {
    throw new InvalidArgumentError(
      `startTestApp: '${shape.component}' is not a component path; a path is the aliases from the root joined by dots, ` +
        `as in '${rootAlias}.db'`,
    );
  }
  if (seen.some((o) => o.component === shape.component)) {
    throw new InvalidArgumentError(`startTestApp: the component at '${shape.component}' is overridden twice`);
  }
  return override;
}

function refText(key: ResourceKey<unknown>, name: string): string {
  return `${describeKey(key)} '${name}'`;
}

/** The aliases below the root: `'root.api.db'` gives `['api', 'db']`. */
function segmentsOf(path: string): string[] {
  return path.split('.').slice(1);
}

function plain(value: unknown): PlainConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as PlainConfig) : {};
}

/** The config given at `segments` (what `components:` nests), or `{}`. */
function configAt(config: unknown, segments: readonly string[]): PlainConfig {
  let here = plain(config);
  for (const alias of segments) here = plain(plain(here.components)[alias]);
  return here;
}

/** A copy of `config` with `type` set at `segments`; the caller's objects are left unchanged. */
function withType(config: unknown, segments: readonly string[], type: ComponentClass): PlainConfig {
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
function survey(root: ComponentType, config: unknown, options: BuildTreeOptions): Map<string, ComponentRecord> {
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

interface ChildSpec {
  readonly alias: string;
  readonly type: ComponentType;
}

/** The children of a built component, as `buildTree` sees them: added in code, then from config. */
function childSpecs(record: ComponentRecord, config: unknown): ChildSpec[] {
  const types = new Map<string, ComponentType | undefined>();
  for (const child of record.instance[childDeclarations]()) types.set(child.alias, child.type);
  const here = configAt(config, segmentsOf(record.path));
  for (const [alias, raw] of Object.entries(plain(here.components))) {
    types.set(alias, (plain(raw).type as ComponentType | undefined) ?? types.get(alias));
  }
  return [...types].map(([alias, type]) => ({ alias, type: type ?? alias.split('/')[0]! }));
}

function classOf(type: ComponentType, basedir: string | undefined): ComponentClass | undefined {
  try {
    return resolveComponentType(type, 'startTestApp', basedir) as ComponentClass;
  } catch {
    return undefined;
  }
}

function parentPath(path: string): string {
  return path.slice(0, path.lastIndexOf('.'));
}

/** The config class `buildTree` validates a component's options with, if it has a usable one. */
function configClassOf(type: ComponentClass): ConfigClass | undefined {
  const found = findConfigClass(type);
  return typeof found === 'function' ? found : undefined;
}

/**
 * A config class that accepts the option names of `configClass` (so a misspelt one is still
 * reported) and checks none of their values: for stubs standing in for a configured component.
 */
function uncheckedCopy(configClass: ConfigClass): ConfigClass {
  const names = configOptionNames(configClass);
  const copy = class {
    constructor() {
      for (const name of names) Reflect.defineProperty(this, name, { value: undefined, enumerable: true, writable: true, configurable: true });
    }
  };
  Object.defineProperty(copy, 'name', { value: `${configClass.name}Unchecked` });
  return copy;
}

/**
 * The class to put at a replaced path: `with` itself, or, when it declares no config class while
 * the component it replaces has one, a subclass accepting that component's option names.
 */
function adaptReplacement(
  override: ComponentOverride,
  records: ReadonlyMap<string, ComponentRecord>,
  userConfig: unknown,
  basedir: string | undefined,
): ComponentClass {
  const parent = records.get(parentPath(override.component));
  if (parent === undefined) return override.with; // bootstrap reports why the parent failed
  const alias = override.component.slice(override.component.lastIndexOf('.') + 1);
  const specs = childSpecs(parent, userConfig);
  const original = specs.find((s) => s.alias === alias);
  if (original === undefined) {
    const known = specs.map((s) => `'${parent.path}.${s.alias}'`).join(', ') || 'none';
    throw new InvalidArgumentError(
      `startTestApp: there is no component at '${override.component}' to replace; the children of ${parent.path} are: ${known}`,
    );
  }
  if (findConfigClass(override.with) !== undefined) return override.with; // its own, or an error bootstrap reports
  const originalType = classOf(original.type, basedir);
  const originalConfig = originalType && configClassOf(originalType);
  if (originalConfig === undefined) return override.with;
  const adapted = class extends (override.with as new (...args: unknown[]) => Component) {};
  Object.defineProperty(adapted, 'name', { value: override.with.name });
  component({ config: uncheckedCopy(originalConfig) })(adapted);
  return adapted;
}

/**
 * Throws when the replacement lacks a resource that the replaced component declared and that
 * another component requires: a fake without the original's `@provides` would otherwise surface
 * as "nothing provides it", far from the override that caused it.
 */
function checkReplacementProvides(
  override: ComponentOverride,
  records: ReadonlyMap<string, ComponentRecord>,
  userConfig: unknown,
  basedir: string | undefined,
): void {
  const parent = records.get(parentPath(override.component));
  if (parent === undefined) return;
  const alias = override.component.slice(override.component.lastIndexOf('.') + 1);
  const original = childSpecs(parent, userConfig).find((s) => s.alias === alias);
  const originalType = original && classOf(original.type, basedir);
  if (originalType === undefined || originalType === override.with) return;
  const defaultName = alias.split('/')[1] ?? DEFAULT_NAME;
  const declared = componentMetadata(originalType).provides.map((p) => ({
    key: p.key,
    name: p.name === undefined ? defaultName : typeof p.name === 'string' ? p.name : undefined,
  }));
  if (declared.length === 0) return;
  const replacement = records.get(override.component);
  const replaced = replacement?.provides ?? componentMetadata(override.with).provides.map((p) => ({ key: p.key, name: typeof p.name === 'string' ? p.name : defaultName }));
  const lost = declared.filter((d) => !replaced.some((r) => r.key === d.key && (d.name === undefined || r.name === d.name)));
  const needed = lost.flatMap((d) => {
    const consumers = [...records.values()].filter(
      (r) => !r.path.startsWith(`${override.component}.`) && r.requires.some((q) => !q.optional && q.key === d.key && (d.name === undefined || q.name === d.name)),
    );
    return consumers.length === 0 ? [] : [{ ...d, consumers: consumers.map((c) => c.path) }];
  });
  if (needed.length === 0) return;
  const text = (d: { key: ResourceKey<unknown>; name: string | undefined }): string => refText(d.key, d.name ?? '(computed from its config)');
  const withName = override.with.name || 'the replacement';
  const decorators = needed.map((d) => `@provides(${keyExpression(d.key)}${d.name === undefined || d.name === defaultName ? '' : `, { name: '${d.name}' }`})`).join(' ');
  throw new InvalidArgumentError(
    `startTestApp: { component: '${override.component}', with: ${withName} } replaced ${override.component} (${originalType.name}), which provided ` +
      `${declared.map(text).join(', ')}; ${withName} does not provide ${needed.map(text).join(', ')}, which ` +
      `${needed.flatMap((d) => d.consumers).filter((c, i, all) => all.indexOf(c) === i).join(', ')} require${needed.length === 1 && needed[0]!.consumers.length === 1 ? 's' : ''}. ` +
      `Declare it on the fake and publish it in start(): ${decorators} class ${withName} extends Component { ... }, ` +
      `or override the resource instead: { resource: ${keyExpression(needed[0]!.key)}, value: fake }`,
  );
}

interface Provider {
  readonly path: string;
  readonly type: ComponentClass;
}

/**
 * Every component that provides an overridden resource: those built, and those whose build failed
 * (by their class's declarations). Throws if a stub would take away more than the overrides give
 * back: another resource, children, or the root.
 */
function findProviders(
  records: ReadonlyMap<string, ComponentRecord>,
  config: unknown,
  overridden: ReadonlySet<string>,
  rootAlias: string,
  basedir: string | undefined,
): Provider[] {
  const found: Provider[] = [];
  const check = (path: string, type: ComponentClass, provides: readonly string[], children: readonly string[]): void => {
    const mine = provides.filter((p) => overridden.has(p));
    if (mine.length === 0) return;
    const others = provides.filter((p) => !overridden.has(p));
    const why =
      path === rootAlias
        ? ['it is the root component']
        : [
            others.length > 0 ? `it also provides ${others.join(', ')}` : '',
            children.length > 0 ? `it has children (${children.join(', ')})` : '',
          ].filter((s) => s !== '');
    if (why.length > 0) {
      throw new InvalidArgumentError(
        `startTestApp: cannot override ${mine.join(', ')}: it is provided by ${path} (${type.name}), which a resource ` +
          `override replaces with a stub that provides nothing, but ${why.join(' and ')}. ` +
          (path === rootAlias
            ? `Start a test root without that provider instead`
            : `Override ${others.length > 0 ? 'those resources too, or ' : ''}replace the component yourself: { component: '${path}', with: FakeComponent }`),
      );
    }
    found.push({ path, type });
  };
  for (const record of records.values()) {
    const specs = childSpecs(record, config);
    check(
      record.path,
      record.instance.constructor as ComponentClass,
      record.provides.map((p) => refText(p.key, p.name)),
      specs.map((s) => s.alias),
    );
    for (const spec of specs) {
      const path = `${record.path}.${spec.alias}`;
      if (records.has(path)) continue;
      // Its build failed (bootstrap will say why); its declarations still tell what it provides.
      const type = classOf(spec.type, basedir);
      if (type === undefined) continue;
      const defaultName = spec.alias.split('/')[1] ?? DEFAULT_NAME;
      const provides = componentMetadata(type).provides.map((p) =>
        refText(p.key, p.name === undefined ? defaultName : typeof p.name === 'string' ? p.name : '(computed from its config)'),
      );
      check(path, type, provides, []);
    }
  }
  return found;
}

/** A component that does nothing, accepting the options of `type` unchecked. */
function stubFor(type: ComponentClass): ComponentClass {
  const stub = class extends Component {};
  Object.defineProperty(stub, 'name', { value: `${type.name}Stub` });
  const configClass = configClassOf(type);
  if (configClass !== undefined) component({ config: uncheckedCopy(configClass) })(stub);
  return stub;
}
