import { Component, constructComponent, type ComponentType } from '../components/component';
import { componentMetadata, type NameSpec } from '../components/component-metadata';
import { configClassOf } from '../components/config-class-of';
import { childDeclarations } from '../components/internal';
import { stopAfterProblem } from '../components/stop-after-names';
import { unknownConfigTypeMessage } from '../components/unknown-config-type';
import { resolveComponentType } from '../components/resolve-component-type';
import { validateConfig } from '../config/validate-config';
import { deepMerge } from '../util/deep-merge';
import {
  AsphaltError,
  ComponentConstructionError,
  ComponentTypeError,
  ConfigError,
} from '../errors';
import { describeKey, type ResourceKey } from '../resources/resource-key';
import { DEFAULT_NAME } from '../resources/resource-name';
import type { Provision, Requirement } from './graph-types';

type ComponentClass = abstract new (...args: never[]) => Component;
type PlainConfig = Record<string, unknown>;

/** The options of a component given none (shared: never written to). */
const noConfig: PlainConfig = Object.freeze({});

/** The `stopAfter` of a component that sets none (shared: never written to). */
const noStopAfter: { names: readonly string[]; origin: string } = Object.freeze({ names: Object.freeze([]), origin: '' });

/** Keys of a component's config that belong to asphalt-ts, not to the component's config class. */
const FRAMEWORK_KEYS = new Set(['type', 'components', 'startTimeout', 'stopTimeout', 'isolated', 'stopAfter']);

/** One instantiated component, with everything resolved from its declarations and config. */
export interface ComponentRecord {
  readonly path: string;
  readonly alias: string;
  readonly parent: ComponentRecord | undefined;
  readonly children: ComponentRecord[];
  readonly typeName: string;
  readonly instance: Component;
  readonly config: object | undefined;
  /** The name `@provides` and `addResource` use when none is given (from an alias `type/name`). */
  readonly defaultName: string;
  readonly provides: Provision[];
  readonly requires: Requirement[];
  readonly startTimeout: number;
  readonly stopTimeout: number;
  readonly isolated: boolean;
  /** Whether the class overrides `prepare()` (so it can publish before its children start). */
  readonly hasPrepare: boolean;
  /** The components it stops only after, as named (relative to its parent); resolved by resolveGraph. */
  readonly stopAfter: readonly string[];
  /** Where `stopAfter` was set, for messages: `@component of Notifier` or its config path and source. */
  readonly stopAfterOrigin: string;
}

/** Options of {@link buildTree}. */
export interface BuildTreeOptions {
  /** Alias of the root component; its path. Default `root`. */
  rootAlias?: string;
  /** Default start timeout (ms) for components that set none. */
  startTimeout?: number;
  stopTimeout?: number;
  /** Directory that relative `module:Export` types are resolved from. */
  basedir?: string;
  /** The directory a relative `type` at this config path is resolved from (the file that set it). */
  typeBasedir?: (typePath: string) => string | undefined;
  /** Config path of the root component's options, e.g. `component` in a config file. Default ''. */
  configPath?: string;
  /** Where a config value came from, by config path (`components.db.port`), for messages. */
  sources?: (path: string) => string | undefined;
}

/**
 * Instantiates the whole component tree from the root type and config, collecting every problem
 * (bad types, bad config, failing constructors) instead of stopping at the first.
 */
export function buildTree(
  rootType: ComponentType,
  config: unknown,
  options: BuildTreeOptions,
  problems: AsphaltError[],
): ComponentRecord | undefined {
  const rootAlias = options.rootAlias ?? 'root';
  return instantiate(rootType, asPlain(config, options.configPath ?? '', problems, rootAlias), {
    path: rootAlias,
    alias: rootAlias,
    configPath: options.configPath ?? '',
    parent: undefined,
    defaultName: DEFAULT_NAME,
    options,
    problems,
  });
}

interface Place {
  path: string;
  alias: string;
  configPath: string;
  parent: ComponentRecord | undefined;
  defaultName: string;
  options: BuildTreeOptions;
  problems: AsphaltError[];
}

function asPlain(value: unknown, configPath: string, problems: AsphaltError[], path: string): PlainConfig {
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as PlainConfig;
  report(problems, path,
    new ConfigError([{ path: configPath || '(root)', message: `expected a mapping of options, got ${JSON.stringify(value)}` }]),
  );
  return {};
}

const problemPaths = new WeakMap<AsphaltError, string>();

/** Records `error` as a problem of the component at `path`. */
function report(problems: AsphaltError[], path: string, error: AsphaltError): void {
  problemPaths.set(error, path);
  problems.push(error);
}

/** The component a problem found while building the tree belongs to (its path), if known. */
export function componentOfProblem(error: AsphaltError): string | undefined {
  return problemPaths.get(error);
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

function instantiate(type: ComponentType, plain: PlainConfig, place: Place): ComponentRecord | undefined {
  const { path, configPath, options, problems } = place;
  let cls: ComponentClass;
  try {
    const basedir = (typeof type === 'string' && options.typeBasedir?.(join(configPath, 'type'))) || options.basedir;
    cls = resolveComponentType(type, `component ${path}`, basedir);
  } catch (error) {
    report(problems, path, error as AsphaltError);
    return undefined;
  }
  const meta = componentMetadata(cls);
  let own: PlainConfig = noConfig;
  for (const key in plain) {
    if (!Object.prototype.hasOwnProperty.call(plain, key) || FRAMEWORK_KEYS.has(key)) continue;
    if (own === noConfig) own = {};
    own[key] = plain[key];
  }

  const config = buildConfig(cls, own, place);
  if (config === null) return undefined;

  let instance: Component;
  try {
    instance = constructComponent(cls, config, path);
  } catch (error) {
    report(problems, path,
      error instanceof AsphaltError
        ? error
        : new ComponentConstructionError(
            `component ${path} (${cls.name}): the constructor threw: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          ),
    );
    return undefined;
  }

  const startTimeout = numberOption(plain, 'startTimeout', meta.options.startTimeout ?? options.startTimeout ?? 10_000, place);
  const stopTimeout = numberOption(plain, 'stopTimeout', meta.options.stopTimeout ?? options.stopTimeout ?? 10_000, place);
  const isolatedValue = plain.isolated ?? meta.options.isolated ?? false;
  if (typeof isolatedValue !== 'boolean') {
    report(problems, path, new ConfigError([{ path: join(configPath, 'isolated'), message: 'expected true or false' }]));
  }
  const stopAfter = stopAfterOption(plain, meta.options.stopAfter, cls, place);
  const provides: Provision[] = [];
  const overridesPrepare = instance.prepare !== Component.prototype.prepare;
  for (const p of meta.provides) {
    const name = resourceName(p.name, '@provides', p.key, config, cls, place);
    if (name !== undefined) provides.push({ key: p.key, name, description: p.description, phase: p.phase ?? (overridesPrepare ? 'prepare' : 'start') });
  }
  const requires: Requirement[] = [];
  // A class-level @requires repeated by a property @requires of the same resource is one requirement.
  const injected = meta.requires.some((r) => r.property !== undefined)
    ? new Set(meta.requires.filter((r) => r.property !== undefined).map((r) => `${describeKey(r.key)}\0${String(r.name)}`))
    : undefined;
  for (const r of meta.requires) {
    if (r.property === undefined && injected?.has(`${describeKey(r.key)}\0${String(r.name)}`)) continue;
    const name = r.name === undefined ? DEFAULT_NAME : resourceName(r.name, '@requires', r.key, config, cls, place);
    if (name !== undefined) requires.push({ key: r.key, name, optional: r.optional, property: r.property });
  }

  const record: ComponentRecord = {
    path,
    alias: place.alias,
    parent: place.parent,
    children: [],
    typeName: typeof type === 'string' ? `${cls.name} (${type})` : cls.name,
    instance,
    config,
    defaultName: place.defaultName,
    provides,
    requires,
    startTimeout,
    stopTimeout,
    isolated: isolatedValue === true,
    hasPrepare: overridesPrepare,
    stopAfter: stopAfter.names,
    stopAfterOrigin: stopAfter.origin,
  };

  for (const child of plain.components === undefined && instance[childDeclarations]().length === 0 ? [] : childrenOf(instance, plain, place)) {
    const [typePart, namePart] = child.alias.split('/') as [string, string | undefined];
    const childPath = `${path}.${child.alias}`;
    const built = instantiate(child.type ?? typePart, child.config, {
      path: childPath,
      alias: child.alias,
      configPath: join(configPath, `components.${child.alias}`),
      parent: record,
      defaultName: namePart ?? DEFAULT_NAME,
      options,
      problems,
    });
    if (built) record.children.push(built);
  }
  return record;
}

/** The resource name a declaration gives: the component's default, a fixed one, or from its config. */
function resourceName(
  spec: NameSpec | undefined,
  decorator: '@provides' | '@requires',
  key: ResourceKey<unknown>,
  config: object | undefined,
  cls: ComponentClass,
  place: Place,
): string | undefined {
  if (spec === undefined) return place.defaultName;
  if (typeof spec === 'string') return spec;
  try {
    const name = (spec as (config: unknown) => unknown)(config);
    if (typeof name === 'string' && /^\w+$/.test(name)) return name;
    throw new Error(`it returned ${JSON.stringify(name)}, not a name matching /^\\w+$/`);
  } catch (error) {
    report(place.problems, place.path,
      new ComponentTypeError(
        `component ${place.path} (${cls.name}): the name function of ${decorator}(${describeKey(key)}) failed: ` +
          `${error instanceof Error ? error.message : String(error)}`,
      ),
    );
    return undefined;
  }
}

/** The config instance, `undefined` for a component without a config class, `null` on failure. */
function buildConfig(cls: ComponentClass, own: PlainConfig, place: Place): object | undefined | null {
  const configClass = configClassOf(cls);
  if (configClass === 'untyped') {
    report(place.problems, place.path,
      new ComponentTypeError(
        `component ${place.path} (${cls.name}): its config parameter has no class (a plain object or interface type); ` +
          `declare a config class with class-validator decorators, e.g. 'class ${cls.name}Config { @IsString() host = "localhost" }', ` +
          `and use it as the constructor's parameter type or in @component({ config: ${cls.name}Config })`,
      ),
    );
    return null;
  }
  if (configClass === 'unknown') {
    report(place.problems, place.path,
      new ComponentTypeError(unknownConfigTypeMessage(cls, place.path)),
    );
    return null;
  }
  if (configClass === undefined) {
    const keys = Object.keys(own);
    if (keys.length === 0) return undefined;
    report(place.problems, place.path,
      new ConfigError(
        keys.map((key) => ({
          path: join(place.configPath, key),
          message: `unknown option: ${cls.name} takes no config (give it a config class to accept options)`,
          source: place.options.sources?.(join(place.configPath, key)),
        })),
      ),
    );
    return null;
  }
  try {
    return validateConfig(configClass, own, place.configPath, place.options.sources);
  } catch (error) {
    report(place.problems, place.path, error as AsphaltError);
    return null;
  }
}

function numberOption(plain: PlainConfig, key: string, fallback: number, place: Place): number {
  const value = plain[key];
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value > 0 && Number.isFinite(value)) return value;
  report(place.problems, place.path,
    new ConfigError([
      {
        path: join(place.configPath, key),
        message: `expected a positive number of milliseconds, got ${JSON.stringify(value)}`,
        source: place.options.sources?.(join(place.configPath, key)),
      },
    ]),
  );
  return fallback;
}

/** `stopAfter` from config (which replaces the decorator's list) or from `@component`. */
function stopAfterOption(plain: PlainConfig, declared: readonly string[] | undefined, cls: ComponentClass, place: Place): { names: readonly string[]; origin: string } {
  const value = plain.stopAfter;
  if (value === undefined) {
    return declared === undefined || declared.length === 0 ? noStopAfter : { names: declared, origin: `@component({ stopAfter }) of ${cls.name}` };
  }
  const path = join(place.configPath, 'stopAfter');
  const source = place.options.sources?.(path);
  const problem = stopAfterProblem(value);
  if (problem !== undefined) {
    report(place.problems, place.path, new ConfigError([{ path, message: problem, source }]));
    return { names: [], origin: path };
  }
  return { names: value as string[], origin: source === undefined ? path : `${path} at ${source}` };
}

interface ChildSpec {
  alias: string;
  type: ComponentType | undefined;
  config: PlainConfig;
}

/** Children from code, merged with `components:` from config (config wins, deep). */
function childrenOf(instance: Component, plain: PlainConfig, place: Place): ChildSpec[] {
  const fromConfig = asPlain(plain.components, join(place.configPath, 'components'), place.problems, place.path);
  const specs = new Map<string, ChildSpec>();
  for (const child of instance[childDeclarations]()) {
    specs.set(child.alias, { alias: child.alias, type: child.type, config: { ...child.config } });
  }
  for (const [alias, raw] of Object.entries(fromConfig)) {
    const childConfig = asPlain(raw, join(place.configPath, `components.${alias}`), place.problems, `${place.path}.${alias}`);
    if (!/^[A-Za-z_][\w-]*(\/\w+)?$/.test(alias)) {
      report(place.problems, place.path,
        new ConfigError([
          {
            path: join(place.configPath, `components.${alias}`),
            message: 'invalid alias: use letters, digits, _ or -, optionally followed by /name',
          },
        ]),
      );
      continue;
    }
    const existing = specs.get(alias);
    const type = (childConfig.type as ComponentType | undefined) ?? existing?.type;
    specs.set(alias, { alias, type, config: deepMerge(existing?.config ?? {}, childConfig) });
  }
  return [...specs.values()];
}


