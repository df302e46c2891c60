import type { ConfigIssue } from '../../errors';
import { childPath, describeKind, didYouMean, isPlainRecord, type SourceMap, type ValueSource } from './config-sources';

/** Log levels, most verbose first (pino's names). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `json` (one object a line), `pretty` (for people) or `auto` (pretty when the output is a terminal). */
export const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * How the runner behaves: the `runner:` section of the config (see {@link RUNNER_SETTINGS}). The
 * millisecond settings are whole numbers (a string of digits, as `!Env` and environment variables
 * give, is accepted); the timeouts are at least 1 and at most 2147483647 (Node's timer limit).
 */
export interface RunnerSettings {
  /** Lowest level logged. Default `info`. Env `ASPHALT_LOG_LEVEL`. */
  readonly logLevel: LogLevel;
  /** Default `auto`. Env `ASPHALT_LOG_FORMAT`. */
  readonly logFormat: LogFormat;
  /** Default time a component may take to start, in ms (default 10000). Env `ASPHALT_START_TIMEOUT`. */
  readonly startTimeout: number;
  /** Default time a component may take to stop, in ms (default 10000). Env `ASPHALT_STOP_TIMEOUT`. */
  readonly stopTimeout: number;
  /** After a stop signal, exit by force after this many ms (default 15000). Env `ASPHALT_SHUTDOWN_DEADLINE`. */
  readonly shutdownDeadline: number;
  /** Warn when the event loop is blocked longer than this, in ms; 0 turns it off (default 100). Env `ASPHALT_BLOCKED_LOOP_THRESHOLD`. */
  readonly blockedLoopThreshold: number;
}

export type RunnerSettingName = keyof RunnerSettings;

/** Node's timers overflow above this (the delay becomes 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/** One runner setting: everything the config loader, the environment and the CLI need to know. */
export interface RunnerSettingSpec<N extends RunnerSettingName = RunnerSettingName> {
  readonly name: N;
  readonly default: RunnerSettings[N];
  /** The environment variable (`ASPHALT_LOG_LEVEL`). */
  readonly env: string;
  /** The `asphalt run` flag (`--log-level`), without the dashes. */
  readonly flag: string;
  /** What the flag's value is called in the help (`L`, `MS`). */
  readonly metavar: string;
  /** One line for `asphalt run --help`. */
  readonly doc: string;
  /** What is wrong with a (coerced) value, or `undefined`. */
  check(value: unknown): string | undefined;
  /** A value as given (a string from `!Env` or the environment) as the setting takes it. */
  coerce(value: unknown): unknown;
}

/**
 * Every runner setting, in help order: the one definition from which the defaults, the environment
 * variables, the `asphalt run` flags, their help lines and the validation are taken. (This
 * replaced a convict schema: convict's formats only wrapped the checks below, and its `env` and
 * precedence handling lost where a value came from, which every message here names.)
 */
export const RUNNER_SETTINGS: readonly RunnerSettingSpec[] = [
  setting('logLevel', 'info', 'L', `${LOG_LEVELS.join(', ')}`, choice(LOG_LEVELS)),
  setting('logFormat', 'auto', 'F', 'json, pretty or auto (pretty on a terminal)', choice(LOG_FORMATS)),
  setting('startTimeout', 10_000, 'MS', 'default start timeout of each component', milliseconds(1)),
  setting('stopTimeout', 10_000, 'MS', 'default stop timeout of each component', milliseconds(1)),
  setting('shutdownDeadline', 15_000, 'MS', 'force the exit this long after a stop signal', milliseconds(1)),
  setting('blockedLoopThreshold', 100, 'MS', 'report event-loop blocks longer than this; 0 is off', milliseconds(0, '0 turns the check off')),
];

type Check = Pick<RunnerSettingSpec, 'check' | 'coerce'>;

function setting<N extends RunnerSettingName>(name: N, value: RunnerSettings[N], metavar: string, doc: string, rules: Check): RunnerSettingSpec<N> {
  const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return { name, default: value, env: `ASPHALT_${kebab.replace(/-/g, '_').toUpperCase()}`, flag: kebab, metavar, doc, ...rules };
}

function choice(choices: readonly string[]): Check {
  return {
    check(value) {
      if (typeof value === 'string' && choices.includes(value)) return undefined;
      const hint = typeof value === 'string' ? didYouMean(value, choices) : '';
      return `must be one of ${choices.join(', ')}${hint}`;
    },
    coerce: (value) => value,
  };
}

/**
 * Whole milliseconds from `min` to Node's timer limit. Environment variables (and `!Env` values) are
 * strings: a string of digits becomes a number; anything else is left for the check to reject.
 */
function milliseconds(min: number, note?: string): Check {
  return {
    check(value) {
      if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_TIMER_MS) return undefined;
      const kind = typeof value === 'number' ? String(value) : describeKind(value);
      return `must be a whole number of milliseconds from ${min} to ${MAX_TIMER_MS}${note ? ` (${note})` : ''}, got ${kind}`;
    },
    coerce: (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
  };
}

const specs = new Map(RUNNER_SETTINGS.map((spec) => [spec.name, spec]));
const specOf = (name: RunnerSettingName): RunnerSettingSpec => specs.get(name)!;

/** The environment variable of each runner setting. */
export const RUNNER_ENV = Object.freeze(Object.fromEntries(RUNNER_SETTINGS.map((s) => [s.name, s.env]))) as Readonly<
  Record<RunnerSettingName, string>
>;

/** The settings when nothing sets them. */
export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = Object.freeze(
  Object.fromEntries(RUNNER_SETTINGS.map((s) => [s.name, s.default])) as unknown as RunnerSettings,
);

export const RUNNER_SETTING_NAMES = RUNNER_SETTINGS.map((s) => s.name);

/** What is wrong with `value` for `name`, or `undefined` if it is fine. */
export function checkRunnerSetting(name: RunnerSettingName, value: unknown): string | undefined {
  return specOf(name).check(value);
}

/** `value` as the setting takes it (digit strings for millisecond settings). */
export function coerceRunnerSetting(name: RunnerSettingName, value: unknown): unknown {
  return specOf(name).coerce(value);
}

/** One `--set runner.X=...` value. */
export interface RunnerOverride {
  readonly name: string;
  readonly value: unknown;
  readonly source: ValueSource;
}

/** The inputs of {@link resolveRunnerSettings}, lowest precedence first. */
export interface RunnerInputs {
  /** The `runner:` section from the files (services merged). */
  readonly file: unknown;
  /** Sources of the file section, keyed by setting name (`logLevel`). */
  readonly fileSources: SourceMap;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--set runner.X=...` values in command-line order. */
  readonly overrides: readonly RunnerOverride[];
  /** Source for values taken from the environment (their directory). */
  readonly cwd: string;
}

/**
 * The runner settings: defaults < file < `ASPHALT_*` environment variables < `--set`. Unknown
 * names and invalid values are appended to `issues` (paths `runner.X`, with their source).
 *
 * @returns the settings and, for each setting that did not keep its default, its source.
 */
export function resolveRunnerSettings(
  inputs: RunnerInputs,
  issues: ConfigIssue[],
): { settings: RunnerSettings; sources: Map<RunnerSettingName, ValueSource> } {
  const sources = new Map<RunnerSettingName, ValueSource>();
  const fromFile: Partial<Record<RunnerSettingName, unknown>> = {};
  const { file } = inputs;
  if (file !== undefined && file !== null && !isPlainRecord(file)) {
    issues.push({
      path: 'runner',
      message: `must be a mapping of runner settings (${RUNNER_SETTING_NAMES.join(', ')}), got ${describeKind(file)}`,
      value: file,
      source: inputs.fileSources.get('')?.label,
    });
  } else if (isPlainRecord(file)) {
    for (const [name, value] of Object.entries(file)) {
      const source = inputs.fileSources.get(childPath('', name)) ?? inputs.fileSources.get('');
      if (acceptable(name, value, source, issues)) {
        fromFile[name] = coerceRunnerSetting(name, value);
        if (source !== undefined) sources.set(name, source);
      }
    }
  }

  const settings: Record<string, unknown> = { ...DEFAULT_RUNNER_SETTINGS, ...fromFile };
  for (const spec of RUNNER_SETTINGS) {
    const raw = inputs.env[spec.env];
    if (raw === undefined) continue;
    const source: ValueSource = { label: `env ${spec.env}`, dir: inputs.cwd };
    sources.set(spec.name, source);
    const value = spec.coerce(raw);
    const problem = spec.check(value);
    if (problem === undefined) settings[spec.name] = value;
    else issues.push({ path: childPath('runner', spec.name), message: problem, value: raw, source: source.label });
  }
  for (const { name, value, source } of inputs.overrides) {
    if (!acceptable(name, value, source, issues)) continue;
    settings[name] = coerceRunnerSetting(name, value);
    sources.set(name, source);
  }
  return { settings: settings as unknown as RunnerSettings, sources };
}

/** Whether `name` is a runner setting and `value` (coerced) suits it; reports the problem if not. */
function acceptable(name: string, value: unknown, source: ValueSource | undefined, issues: ConfigIssue[]): name is RunnerSettingName {
  if (!(RUNNER_SETTING_NAMES as string[]).includes(name)) {
    issues.push({
      path: childPath('runner', name),
      message: `unknown runner setting${didYouMean(name, RUNNER_SETTING_NAMES)}; the settings are ${RUNNER_SETTING_NAMES.join(', ')}`,
      source: source?.label,
    });
    return false;
  }
  const problem = checkRunnerSetting(name as RunnerSettingName, coerceRunnerSetting(name as RunnerSettingName, value));
  if (problem === undefined) return true;
  issues.push({ path: childPath('runner', name), message: problem, value, source: source?.label });
  return false;
}
