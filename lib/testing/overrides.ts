import { Component, type ComponentType } from '../components/component';
import { component } from '../components/component-decorator';
import { componentMetadata } from '../components/component-metadata';
import { configClassOf as findConfigClass } from '../components/config-class-of';
import { configOptionNames, type ConfigClass } from '../config/validate-config';
import { Context } from '../context/context';
import { InvalidArgumentError } from '../errors';
import type { BuildTreeOptions, ComponentRecord } from '../graph/build-tree';
import { childSpecs, classOf, parentPath, refText, segmentsOf, survey, withType } from './override-tree';
import { checkReplacementProvides } from './replacement-check';
import type { ComponentClass, ComponentOverride, Override, ResourceOverride } from './override-types';
import { isResourceKey } from '../resources/resource-key';
import { DEFAULT_NAME } from '../resources/resource-name';

export type { CheckedOverrides, ComponentClass, ComponentOverride, Override, ResourceOverride } from './override-types';

/** What the overrides turn into: the config and the parent context to bootstrap with. */
export interface OverridePlan {
  readonly config: unknown;
  readonly context: Context | undefined;
}


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
