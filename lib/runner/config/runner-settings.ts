import convict from 'convict';
import type { ConfigIssue } from '../../errors';
import { childPath, describeKind, didYouMean, isPlainRecord, type SourceMap, type ValueSource } from './config-sources';

/** Log levels, most verbose first (pino's names). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `json` (one object a line), `pretty` (for people) or `auto` (pretty when the output is a terminal). */
export const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * How the runner behaves: the `runner:` section of the config, validated with convict. The
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

/** The environment variable of each runner setting. */
export const RUNNER_ENV: Readonly<Record<RunnerSettingName, string>> = {
  logLevel: 'ASPHALT_LOG_LEVEL',
  logFormat: 'ASPHALT_LOG_FORMAT',
  startTimeout: 'ASPHALT_START_TIMEOUT',
  stopTimeout: 'ASPHALT_STOP_TIMEOUT',
  shutdownDeadline: 'ASPHALT_SHUTDOWN_DEADLINE',
  blockedLoopThreshold: 'ASPHALT_BLOCKED_LOOP_THRESHOLD',
};

/** The settings when nothing sets them. */
export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = Object.freeze({
  logLevel: 'info',
  logFormat: 'auto',
  startTimeout: 10_000,
  stopTimeout: 10_000,
  shutdownDeadline: 15_000,
  blockedLoopThreshold: 100,
});

export const RUNNER_SETTING_NAMES = Object.keys(DEFAULT_RUNNER_SETTINGS) as RunnerSettingName[];

/** Node's timers overflow above this (the delay becomes 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/** What is wrong with `value` for `name`, or `undefined` if it is fine. */
export function checkRunnerSetting(name: RunnerSettingName, value: unknown): string | undefined {
  switch (name) {
    case 'logLevel':
      return checkChoice(value, LOG_LEVELS);
    case 'logFormat':
      return checkChoice(value, LOG_FORMATS);
    case 'blockedLoopThreshold':
      return checkMilliseconds(value, 0, '0 turns the check off');
    default:
      return checkMilliseconds(value, 1);
  }
}

function checkChoice(value: unknown, choices: readonly string[]): string | undefined {
  if (typeof value === 'string' && choices.includes(value)) return undefined;
  const hint = typeof value === 'string' ? didYouMean(value, choices) : '';
  return `must be one of ${choices.join(', ')}${hint}`;
}

function checkMilliseconds(value: unknown, min: number, note?: string): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_TIMER_MS) return undefined;
  const kind = typeof value === 'number' ? String(value) : describeKind(value);
  return `must be a whole number of milliseconds from ${min} to ${MAX_TIMER_MS}${note ? ` (${note})` : ''}, got ${kind}`;
}

/**
 * Environment variables (and `!Env` values) are strings: a string of digits becomes a number for
 * the millisecond settings; anything else is left for validation to reject.
 */
function milliseconds(value: unknown): unknown {
  return typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
}

/** `value` as the setting takes it (digit strings for millisecond settings). */
export function coerceRunnerSetting(name: RunnerSettingName, value: unknown): unknown {
  return name === 'logLevel' || name === 'logFormat' ? value : milliseconds(value);
}

function registerFormats(): void {
  const validate = (name: RunnerSettingName) => (value: unknown) => {
    const problem = checkRunnerSetting(name, value);
    if (problem !== undefined) throw new Error(problem);
  };
  convict.addFormat({ name: 'asphalt-log-level', validate: validate('logLevel') });
  convict.addFormat({ name: 'asphalt-log-format', validate: validate('logFormat') });
  convict.addFormat({ name: 'asphalt-timeout', validate: validate('startTimeout'), coerce: milliseconds });
  convict.addFormat({ name: 'asphalt-threshold', validate: validate('blockedLoopThreshold'), coerce: milliseconds });
}
registerFormats();

/** The convict schema of the runner settings. */
export const runnerSchema: convict.Schema<RunnerSettings> = {
  logLevel: { doc: 'Lowest log level written', format: 'asphalt-log-level', default: 'info', env: RUNNER_ENV.logLevel },
  logFormat: { doc: 'json, pretty, or auto (pretty on a terminal)', format: 'asphalt-log-format', default: 'auto', env: RUNNER_ENV.logFormat },
  startTimeout: { doc: 'Default component start timeout (ms)', format: 'asphalt-timeout', default: 10_000, env: RUNNER_ENV.startTimeout },
  stopTimeout: { doc: 'Default component stop timeout (ms)', format: 'asphalt-timeout', default: 10_000, env: RUNNER_ENV.stopTimeout },
  shutdownDeadline: { doc: 'Forced exit this long after a stop signal (ms)', format: 'asphalt-timeout', default: 15_000, env: RUNNER_ENV.shutdownDeadline },
  blockedLoopThreshold: {
    doc: 'Warn when the event loop is blocked this long (ms); 0 = off',
    format: 'asphalt-threshold',
    default: 100,
    env: RUNNER_ENV.blockedLoopThreshold,
  },
};

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
  const before = issues.length;
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

  const config = convict(runnerSchema, { env: { ...inputs.env }, args: [] });
  config.load(fromFile);
  for (const name of RUNNER_SETTING_NAMES) {
    const variable = RUNNER_ENV[name];
    const raw = inputs.env[variable];
    if (raw === undefined) continue;
    const source: ValueSource = { label: `env ${variable}`, dir: inputs.cwd };
    sources.set(name, source);
    const problem = checkRunnerSetting(name, config.get(name));
    if (problem !== undefined) issues.push({ path: childPath('runner', name), message: problem, value: raw, source: source.label });
  }
  for (const { name, value, source } of inputs.overrides) {
    if (!acceptable(name, value, source, issues)) continue;
    config.set(name as string, coerceRunnerSetting(name, value));
    sources.set(name, source);
  }

  if (issues.length === before) {
    try {
      config.validate({ allowed: 'strict' });
    } catch (error) {
      issues.push({ path: 'runner', message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { settings: config.getProperties(), sources };
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
