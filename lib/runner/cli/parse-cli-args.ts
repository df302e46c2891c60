import { parseArgs } from 'node:util';
import type { RunnerSettingName } from '../config/runner-settings';
import { closestMatch } from '../../util/closest-match';
import { CliUsageError } from './cli-error';

/** The commands of the `asphalt` binary. */
export const COMMANDS = ['run', 'check', 'graph', 'describe', 'migrate'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** A parsed command line. */
export interface CliArgs {
  readonly command: CommandName | 'help' | 'version';
  /** For `help COMMAND` / `COMMAND --help`. */
  readonly helpFor?: CommandName;
  readonly files: readonly string[];
  readonly sets: readonly string[];
  readonly service?: string;
  readonly format?: string;
  readonly output?: string;
  /** Runner settings given as flags (`--start-timeout 5000`), as written. */
  readonly runner: Readonly<Partial<Record<RunnerSettingName, string>>>;
}

/** The flag of each runner setting (`asphalt run` takes them all). */
export const RUNNER_FLAGS = {
  'log-level': 'logLevel',
  'log-format': 'logFormat',
  'start-timeout': 'startTimeout',
  'stop-timeout': 'stopTimeout',
  'shutdown-deadline': 'shutdownDeadline',
  'blocked-loop-threshold': 'blockedLoopThreshold',
} as const satisfies Record<string, RunnerSettingName>;

const options = {
  set: { type: 'string', multiple: true },
  service: { type: 'string', short: 's' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  'start-timeout': { type: 'string' },
  'stop-timeout': { type: 'string' },
  'shutdown-deadline': { type: 'string' },
  'blocked-loop-threshold': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

const allowed: Record<CommandName, readonly string[]> = {
  run: ['set', 'service', ...Object.keys(RUNNER_FLAGS)],
  check: ['set', 'service'],
  graph: ['set', 'service', 'format', 'output'],
  describe: [],
  migrate: ['set', 'service'],
};

/** Parses `argv` (without node and the script) into a command; throws CliUsageError on misuse. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(-{1,2}[\w-]+)'/.exec(message)?.[1];
    const known = Object.keys(options).map((o) => `--${o}`);
    const hint = flag?.startsWith('--') ? closestMatch(flag, known) : undefined;
    throw new CliUsageError(`${message}${hint ? `; did you mean ${hint}?` : ''}. See 'asphalt --help'`);
  }
  const { values, positionals } = parsed;
  if (values.version) return { command: 'version', files: [], sets: [], runner: {} };
  const [first, ...rest] = positionals;
  if (first === undefined) return { command: 'help', files: [], sets: [], runner: {} };
  if (first === 'help') {
    const topic = rest[0];
    return { command: 'help', helpFor: isCommand(topic) ? topic : undefined, files: [], sets: [], runner: {} };
  }
  if (!isCommand(first)) {
    const guess = closestMatch(first, [...COMMANDS]);
    throw new CliUsageError(`unknown command '${first}'; the commands are ${COMMANDS.join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}`);
  }
  if (values.help) return { command: 'help', helpFor: first, files: [], sets: [], runner: {} };
  for (const given of Object.keys(values)) {
    if (!allowed[first].includes(given)) throw new CliUsageError(`'asphalt ${first}' does not take --${given}; see 'asphalt ${first} --help'`);
  }
  if (rest.length === 0) {
    throw new CliUsageError(
      first === 'describe'
        ? `'asphalt describe' needs a component type, e.g. asphalt describe ./app.js:App`
        : `'asphalt ${first}' needs at least one config file, e.g. asphalt ${first} config.yaml`,
    );
  }
  for (const set of values.set ?? []) {
    if (!set.includes('=')) throw new CliUsageError(`--set ${set}: expected path.to.key=value (a YAML value), e.g. --set component.port=8080`);
  }
  return {
    command: first,
    files: rest,
    sets: values.set ?? [],
    service: values.service,
    format: values.format,
    output: values.output,
    runner: Object.fromEntries(
      Object.entries(RUNNER_FLAGS).flatMap(([flag, setting]) => {
        const value = values[flag as keyof typeof RUNNER_FLAGS];
        return value === undefined ? [] : [[setting, value]];
      }),
    ),
  };
}

function isCommand(value: string | undefined): value is CommandName {
  return (COMMANDS as readonly string[]).includes(value ?? '');
}
