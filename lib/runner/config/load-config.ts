import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, type ConfigIssue } from '../../errors';
import { deepMerge } from '../../util/deep-merge';
import {
  childPath,
  describeKind,
  didYouMean,
  isPlainRecord,
  joinPath,
  SourceMap,
  splitPath,
  valueAt,
  type PlainRecord,
  type ValueSource,
} from './config-sources';
import { resolveRunnerSettings, type RunnerOverride, type RunnerSettings } from './runner-settings';
import { SERVICE_KEYS, selectService } from './select-service';
import { applySetOverride, parseSetFlags, type LabelledSet, type SetOverride } from './set-override';
import { parseYaml } from './parse-yaml';
import { fileErrorText, TagFiles } from './tag-files';
import { MAX_DEPTH, MAX_NODES } from './yaml-context';

/** The keys allowed at the top level of a config file. */
export const TOP_LEVEL_KEYS = ['component', 'runner', 'services'] as const;

/** What {@link loadConfig} reads. */
export interface LoadConfigOptions {
  /** YAML files, merged in order (later files win). Relative to `cwd`. */
  files: readonly string[];
  /**
   * `--set key.path=value` flags (without the `--set`), applied in order after the files; an entry
   * may carry its own label for messages (the runner flags of the CLI, e.g. `--start-timeout 5000`).
   */
  sets?: readonly (string | LabelledSet)[];
  /** The service to run (`-s NAME`); else `ASPHALT_SERVICE`, the only service, or `default`. */
  service?: string;
  /** Environment for `!Env`, `ASPHALT_SERVICE` and the `ASPHALT_*` runner settings. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory that `files` and the `!TextFile` paths of `--set` values are relative to. Default `process.cwd()`. */
  cwd?: string;
}

/** A loaded, merged and checked configuration. */
export interface LoadedConfig {
  /** The root component's configuration: its `type`, its options and its `components`. */
  readonly component: Record<string, unknown>;
  /** The runner settings (defaults < file < `ASPHALT_*` environment < `--set runner.X`). */
  readonly runner: RunnerSettings;
  /** The selected service, `undefined` when the configuration has no `services:`. */
  readonly service: string | undefined;
  /** Directory of the first file (the working directory without files). */
  readonly basedir: string;
  /** Absolute paths of the files read, in merge order. */
  readonly files: readonly string[];
  /**
   * Where the value at `path` came from: `config.yaml:12:3`, `--set component.port=x`,
   * `env ASPHALT_LOG_LEVEL`, `!Env PORT (config.yaml:4:9)`, `!TextFile ./x (config.yaml:5:7)`;
   * `undefined` for a path with no value or a runner default. Paths are dotted from the top
   * (`component.components.db.port`, `runner.logLevel`); `\.` escapes a dot inside a key.
   * A plain function: it can be passed on as is (e.g. to `validateConfig`).
   */
  readonly sourceOf: (path: string) => string | undefined;
  /**
   * The directory a relative `module:Export` type at `path` is resolved from: the directory of the
   * file that set it (the working directory for `--set`). `path` is the `type` value's path or its
   * component's (`component.components.db`). Falls back to {@link LoadedConfig.basedir}.
   */
  readonly typeBasedir: (path: string) => string;
}

/**
 * Loads the configuration of an application: reads the YAML `files`, merges them, applies the
 * `--set` overrides, selects the service, and resolves the runner settings. Every problem found is
 * collected and thrown together.
 *
 * ## File format
 * ```yaml
 * component:            # the root component: its type, its options and its children
 *   type: ./app.js:App  # 'module:Export' (relative to the file that names it), or a registered short name
 *   greeting: hi
 *   components:
 *     db: { type: ./db.js:Db, port: 5432 }
 * runner:               # runner settings, see RunnerSettings (logLevel, logFormat, startTimeout,
 *   logLevel: info      #   stopTimeout, shutdownDeadline, blockedLoopThreshold)
 * services:             # optional; the selected service's keys are merged over the top level
 *   server: { component: { components: { listener: { port: 7000 } } } }
 *   client: { component: { type: ./client.js:Client }, runner: { logLevel: warn } }
 * ```
 * Only `component`, `runner` and `services` are allowed at the top level, and keys starting with
 * `x-`, which are ignored (a place for anchors: `x-db: &db { host: db.local }`); a service may
 * have `component` and `runner`.
 *
 * ## YAML
 * The `yaml` package with the YAML 1.2 core schema. Nothing in a file can load a module or run
 * code; the only tags are
 * - `!Env NAME`: the environment variable's value (a string); an error if it is not set.
 * - `!Env [NAME, default]`: the same, or `default` (any YAML value) when it is not set.
 * - `!TextFile path`: the file's contents as a UTF-8 string.
 * - `!BinaryFile path`: the file's contents as a `Buffer`.
 *
 * YAML merge keys work as in YAML 1.1 (PyYAML and ruamel, which Asphalt's configs were written
 * for): `<<: *base` adds the keys of the anchored mapping, `<<: [*a, *b]` those of several (the
 * earlier wins), and the mapping's own keys win over merged ones wherever they are written. The
 * merge is shallow: an own `pool:` replaces a merged `pool:` whole. A merged value's source is
 * where it was written, then the merge: `config.yaml:3:11, merged by <<: *db at config.yaml:9:7`.
 * A quoted `"<<"` is an ordinary key.
 *
 * Tag paths are relative to the file that names them. Any other tag is an error. Keys must be
 * non-empty scalars; duplicate keys, `__proto__`, nesting deeper than 200 levels (a `--set` path
 * counts its segments) and more than 100,000 values (aliases expanded) are errors. Tags read each
 * file once, and may load at most 32 MiB in total (`MAX_TAG_FILE_BYTES`). Loading is linear in the
 * size of the input.
 *
 * ## Order of precedence
 * 1. The files, deep-merged in order: mappings merge key by key, anything else (lists included)
 *    is replaced by the later file.
 * 2. `--set` flags whose path starts with `services.` (they change a service's section).
 * 3. The selected service's section, deep-merged over the top level (the service's keys win).
 *    The service is `options.service`, else `ASPHALT_SERVICE`, else the only one, else `default`.
 * 4. The other `--set` flags, in order; each replaces the value at its path.
 *    `--set a.b\.c=value`: the path is split on unescaped dots (`\.` is a dot inside a key, `\\` a
 *    backslash), missing mappings are created, a list is indexed by number. The value is YAML
 *    (`5` a number, `"5"` a string, `[a, b]` a list, tags allowed, relative to `cwd`); an empty
 *    value (`a.b=`) is the empty string, use `a.b=null` or `a.b=~` for null. A flag without
 *    `=` is an error.
 * 5. Runner settings: defaults < the `runner:` section (files and service) < `ASPHALT_*`
 *    environment variables (see `RUNNER_ENV`) < `--set runner.X=...`.
 *
 * Each value remembers the last thing that set it ({@link LoadedConfig.sourceOf}).
 *
 * @throws {ConfigError} (`ASPHALT_CONFIG`) listing every problem with its path and source:
 *   unreadable files ("no such file"), YAML syntax errors (file:line:col, the line and a caret),
 *   unknown tags, unset `!Env` variables, unknown keys (with "did you mean"), malformed `--set`
 *   flags, unknown or unselectable services, invalid runner settings (with the expected type).
 * @example
 * const config = loadConfig({ files: ['config.yaml'], sets: ['component.greeting=hello'], service: 'server' });
 * config.component.type; // './app.js:App'
 * config.sourceOf('component.greeting'); // '--set component.greeting=hello'
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const { config, issues } = loadConfigCollecting(options);
  if (issues.length > 0 || config === undefined) throw new ConfigError(issues);
  return config;
}

/**
 * {@link loadConfig} without the throw: the problems found, and the configuration as far as it
 * could be read (`undefined` when a file could not be read or parsed, or the configuration has
 * no usable component). A value whose tag failed (an unset `!Env`, a missing `!TextFile`) is
 * `null` in it, so the rest can still be checked and every problem reported together.
 */
export function loadConfigCollecting(options: LoadConfigOptions): { config: LoadedConfig | undefined; issues: ConfigIssue[] } {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const issues: ConfigIssue[] = [];
  // Every tag of every file and flag shares one budget, and reads each file once.
  const tagFiles = new TagFiles();

  // 1. Files.
  let tree: PlainRecord = {};
  let sources = new SourceMap();
  let complete = true;
  const files: string[] = [];
  for (const file of options.files) {
    const absolute = resolve(cwd, file);
    files.push(absolute);
    const parsed = readConfigFile(file, absolute, env, issues, tagFiles);
    if (parsed === undefined) {
      complete = false;
      continue;
    }
    sources.mergeFrom(tree, parsed.value, parsed.sources);
    tree = deepMerge(tree, parsed.value);
  }

  // 2. `--set services.…`.
  const overrides = parseSetFlags(options.sets ?? [], cwd, env, issues, tagFiles);
  const [early, late] = partition(overrides, (override) => override.keys[0] === 'services');
  for (const override of early) applySetOverride(tree, sources, override, issues);

  for (const key of Object.keys(tree)) {
    if ((TOP_LEVEL_KEYS as readonly string[]).includes(key) || isExtensionKey(key)) continue;
    issues.push({
      path: childPath('', key),
      message: `unknown top-level key${didYouMean(key, TOP_LEVEL_KEYS)}; the top level may have ${TOP_LEVEL_KEYS.join(', ')} (and x-* keys for anchors)`,
      source: sources.get(childPath('', key))?.label,
    });
  }

  // 3. The service.
  const issuesBeforeServices = issues.length;
  const selection = selectService(tree.services, sources, options.service, env, issues);
  if (!complete) issues.splice(issuesBeforeServices); // guesses from an incomplete configuration
  const serviceFailed = issues.length > issuesBeforeServices;
  let root: PlainRecord = {};
  const rootSources = new SourceMap();
  for (const key of SERVICE_KEYS) {
    if (!Object.hasOwn(tree, key)) continue;
    root[key] = tree[key];
    rootSources.copyFrom(sources, key, key);
  }
  if (selection.name !== undefined && selection.section !== undefined) {
    const section: PlainRecord = {};
    for (const key of SERVICE_KEYS) if (Object.hasOwn(selection.section, key)) section[key] = selection.section[key];
    rootSources.mergeFrom(root, section, sources, '', childPath('services', selection.name));
    root = deepMerge(root, section);
  }
  sources = rootSources;

  // 4. The other `--set` flags.
  const runnerOverrides: RunnerOverride[] = [];
  for (const override of late) {
    const [head, name, ...rest] = override.keys;
    if (head === 'component') {
      applySetOverride(root, sources, override, issues);
    } else if (head === 'runner') {
      runnerOverrides.push(...runnerOverridesOf(override, name, rest, issues));
    } else {
      issues.push({
        path: override.keys.length > 0 ? childPath('', head!) : '',
        message: `unknown top-level key${didYouMean(head ?? '', TOP_LEVEL_KEYS)}; the top level may have ${TOP_LEVEL_KEYS.join(', ')}`,
        source: override.label,
      });
    }
  }

  const component = root.component;
  if (component === undefined) {
    // Without every file, or without the service, the component may well be where we cannot see.
    if (complete && !serviceFailed) {
      const where = selection.name === undefined ? '' : ` (at the top level or in services.${selection.name})`;
      issues.push({
        path: 'component',
        message: `missing: the configuration needs a component: mapping with the root component's type${where}, e.g. component: { type: ./app.js:App }`,
      });
    }
  } else if (!isPlainRecord(component) && !issues.some(leavesComponentNull)) {
    // (A component left null by a problem already reported, inside it or a size limit, is that problem.)
    issues.push({
      path: 'component',
      message: `must be a mapping with the root component's type and options, got ${describeKind(component)}`,
      source: sources.get('component')?.label,
    });
  }

  // 5. Runner settings.
  const fileSources = new SourceMap();
  fileSources.copyFrom(sources, 'runner', '');
  const runner = resolveRunnerSettings({ file: root.runner, fileSources, env, overrides: runnerOverrides, cwd }, issues);

  if (!complete || serviceFailed || !isPlainRecord(component)) return { config: undefined, issues };

  sources.clearUnder('runner');
  for (const [name, source] of runner.sources) sources.set(childPath('runner', name), source);
  const finalComponent = component as PlainRecord;
  const view = { component: finalComponent, runner: runner.settings };
  const basedir = files.length > 0 ? dirname(files[0]!) : cwd;
  const sourceAt = (path: string): ValueSource | undefined => {
    const keys = splitPath(path);
    return valueAt(view, keys).found ? sources.get(joinPath(keys)) : undefined;
  };
  const config: LoadedConfig = {
    component: finalComponent,
    runner: runner.settings,
    service: selection.name,
    basedir,
    files,
    sourceOf: (path) => sourceAt(path)?.label,
    typeBasedir: (path) => {
      const own = sourceAt(path);
      const value = valueAt(view, splitPath(path)).value;
      const source = isPlainRecord(value) ? sourceAt(path === '' ? 'type' : `${path}.type`) : own;
      return source === undefined || source.dir === '' ? basedir : source.dir;
    },
  };
  return { config, issues };
}

/** Reads and parses one file; `undefined` (with issues) when it cannot be read or parsed. */
function readConfigFile(
  label: string,
  absolute: string,
  env: Readonly<Record<string, string | undefined>>,
  issues: ConfigIssue[],
  files: TagFiles,
): { value: PlainRecord; sources: SourceMap } | undefined {
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    issues.push({ path: '', message: `cannot read config file ${label}: ${fileErrorText(error)} (${absolute})`, source: label });
    return undefined;
  }
  const parsed = parseYaml(text, '', { label, dir: dirname(absolute), positions: true, env, issues, files });
  if (parsed.value === undefined) return undefined;
  if (parsed.value === null) return { value: {}, sources: parsed.sources };
  if (!isPlainRecord(parsed.value)) {
    issues.push({
      path: '',
      message: `the top level of a config file must be a mapping (${TOP_LEVEL_KEYS.join(', ')}), got ${describeKind(parsed.value)}`,
      source: parsed.sources.get('')?.label ?? label,
    });
    return undefined;
  }
  return { value: parsed.value, sources: parsed.sources };
}

/** The runner settings a `--set runner…` flag sets. */
function runnerOverridesOf(
  override: SetOverride,
  name: string | undefined,
  rest: readonly string[],
  issues: ConfigIssue[],
): RunnerOverride[] {
  const fallback: ValueSource = { label: override.label, dir: '' };
  if (name === undefined) {
    if (!isPlainRecord(override.value)) {
      issues.push({ path: 'runner', message: `must be a mapping of runner settings, got ${describeKind(override.value)}`, value: override.value, source: override.label });
      return [];
    }
    return Object.entries(override.value).map(([key, value]) => ({
      name: key,
      value,
      source: override.sources.get(childPath('runner', key)) ?? fallback,
    }));
  }
  let value = override.value;
  for (const key of [...rest].reverse()) value = { [key]: value };
  return [{ name, value, source: override.sources.get(joinPath(['runner', name])) ?? fallback }];
}

function leavesComponentNull(issue: ConfigIssue): boolean {
  return (
    issue.path === 'component' ||
    issue.path.startsWith('component.') ||
    issue.message.startsWith(`more than ${MAX_NODES} values`) ||
    issue.message.startsWith(`nested more than ${MAX_DEPTH} levels`)
  );
}

/** A top-level `x-…` key: ignored, a place for YAML anchors that several services merge (`x-db: &db { ... }`). */
function isExtensionKey(key: string): boolean {
  return key.startsWith('x-') && key.length > 2;
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
