import { parseArgs } from 'node:util';
import { RUNNER_SETTINGS, type RunnerSettingName } from '../config/runner-settings';
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

/** One flag of the `asphalt` binary: what `parseArgs` needs, and its help line. */
export interface CliOption {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  /** What the value is called in the help (`S`, `MS`). */
  readonly metavar?: string;
  readonly doc: string;
  /** The commands that take it (`--help` and `--version` are taken everywhere). */
  readonly commands: readonly CommandName[];
}

/** The flag of each runner setting (`asphalt run` takes them all), from the runner settings' table. */
export const RUNNER_FLAGS: Readonly<Record<string, RunnerSettingName>> = Object.fromEntries(RUNNER_SETTINGS.map((s) => [s.flag, s.name]));

/** Every flag, in help order: the one definition that the parser and the help text both read. */
export const CLI_OPTIONS: Readonly<Record<string, CliOption>> = {
  set: {
    type: 'string',
    multiple: true,
    metavar: 'a.b.c=VALUE',
    doc: 'override a config value (VALUE is YAML; write \\. for a dot in a key)',
    commands: ['run', 'check', 'graph', 'migrate'],
  },
  service: {
    type: 'string',
    short: 's',
    metavar: 'S',
    doc: "pick a service of the config's 'services:' (else ASPHALT_SERVICE, the only one, or 'default')",
    commands: ['run', 'check', 'graph', 'migrate'],
  },
  format: { type: 'string', short: 'f', metavar: 'F', doc: 'mermaid (default), dot, json or svg', commands: ['graph'] },
  output: { type: 'string', short: 'o', metavar: 'FILE', doc: 'write to FILE instead of the standard output', commands: ['graph'] },
  ...Object.fromEntries(
    RUNNER_SETTINGS.map((s) => [
      s.flag,
      { type: 'string', metavar: s.metavar, doc: `${s.doc} (runner.${s.name}, ${s.env})`, commands: ['run'] } satisfies CliOption,
    ]),
  ),
  help: { type: 'boolean', short: 'h', doc: 'help (also: asphalt help COMMAND, asphalt COMMAND --help)', commands: [] },
  version: { type: 'boolean', short: 'V', doc: 'the asphalt-ts version', commands: [] },
};

const parseOptions = Object.fromEntries(
  Object.entries(CLI_OPTIONS).map(([flag, { type, short, multiple }]) => [flag, { type, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}) }]),
) as Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** The flags `command` takes (every flag when there is no command yet). */
function flagsOf(command: CommandName | undefined): string[] {
  return Object.entries(CLI_OPTIONS)
    .filter(([, o]) => command === undefined || o.commands.length === 0 || o.commands.includes(command))
    .map(([flag]) => flag);
}

/** Parses `argv` (without node and the script) into a command; throws CliUsageError on misuse. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: parseOptions, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(-{1,2}[\w-]+)'/.exec(message)?.[1];
    const command = argv.find((arg) => !arg.startsWith('-'));
    const known = flagsOf(isCommand(command) ? command : undefined).map((o) => `--${o}`);
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
  const allowed = flagsOf(first);
  for (const given of Object.keys(values)) {
    if (!allowed.includes(given)) throw new CliUsageError(`'asphalt ${first}' does not take --${given}; see 'asphalt ${first} --help'`);
  }
  if (rest.length === 0) {
    throw new CliUsageError(
      first === 'describe'
        ? `'asphalt describe' needs a component type, e.g. asphalt describe ./app.js:App`
        : `'asphalt ${first}' needs at least one config file, e.g. asphalt ${first} config.yaml`,
    );
  }
  const sets = (values.set ?? []) as string[];
  for (const set of sets) {
    if (!set.includes('=')) throw new CliUsageError(`--set ${set}: expected path.to.key=value (a YAML value), e.g. --set component.port=8080`);
  }
  return {
    command: first,
    files: rest,
    sets,
    service: values.service as string | undefined,
    format: values.format as string | undefined,
    output: values.output as string | undefined,
    runner: Object.fromEntries(
      Object.entries(RUNNER_FLAGS).flatMap(([flag, setting]) => {
        const value = values[flag];
        return typeof value === 'string' ? [[setting, value]] : [];
      }),
    ),
  };
}

function isCommand(value: string | undefined): value is CommandName {
  return (COMMANDS as readonly string[]).includes(value ?? '');
}
