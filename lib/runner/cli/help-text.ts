import { CLI_OPTIONS, type CommandName } from './parse-cli-args';

const general = `asphalt: run, check and draw asphalt-ts applications

Usage: asphalt <command> [options]

Commands:
  run FILE...        start the application described by the config file(s) and run it
  check FILE...      load and validate the config, resolve the whole graph; start nothing
  graph FILE...      print the resolved component graph (mermaid, dot, json or svg)
  describe TYPE      show a component type's config options, provides and requires
  migrate FILE...    apply the pending migrations of the config's SQL component(s); start nothing else

Options:
{options}

Config files are YAML, merged in order. See 'asphalt run --help' for the format.`;

const perCommand: Record<CommandName, string> = {
  run: `Usage: asphalt run FILE... [--set path=value]... [-s SERVICE] [runner flags]

Starts the application of the merged config files and runs it: a CLIApplicationComponent until its
run() returns (its result is the exit code), any other until SIGINT or SIGTERM. A second signal,
or the runner.shutdownDeadline passing, forces the exit.

{options}
A flag wins over the environment, which wins over the config files.

Config format:
  component:                 # the root component
    type: ./app.js:App       # module:Export (relative to the file), or a registered name
    components:              # children: alias -> { type, ...options }
      db: { type: ./db.js:Db, port: !Env [DB_PORT, 5432] }
  runner: { logLevel: info, startTimeout: 10000, stopTimeout: 10000, shutdownDeadline: 15000 }
  services: { NAME: { component: {...}, runner: {...} } }

Tags: !Env NAME, !Env [NAME, default], !TextFile path, !BinaryFile path.
Exit codes: 0 clean, 1 config/startup/run failure, run()'s code, 130/143 when forced.`,
  check: `Usage: asphalt check FILE... [--set path=value]... [-s SERVICE]

Loads and validates the config, instantiates the component tree and resolves its whole dependency
graph, then prints every problem (exit 1) or one 'ok' line (exit 0). Nothing is started.

{options}`,
  graph: `Usage: asphalt graph FILE... [--format mermaid|dot|json|svg] [-o FILE] [--set path=value]... [-s SERVICE]

Prints the resolved component graph (default mermaid). svg is rendered by Graphviz compiled to
WebAssembly (@viz-js/viz), loaded only for svg.

{options}`,
  describe: `Usage: asphalt describe TYPE

TYPE is a module:Export (e.g. ./dist/db.js:DbComponent) or a registered short name. Prints the
component's config options (name, type, default, constraints), what it provides and requires.`,
  migrate: `Usage: asphalt migrate FILE... [--set path=value]... [-s SERVICE]

Applies the pending migrations of every component of the config that has them (type: sql with a
'migrations' folder), under the same advisory lock as migrateOnStart, then exits. Nothing else starts.`,
};

/** The option lines of `command`'s help (the general help lists the flags every command takes). */
function optionLines(command?: CommandName): string {
  const rows = Object.entries(CLI_OPTIONS)
    .filter(([, option]) => (command === undefined ? option.commands.length === 0 : option.commands.includes(command)))
    .map(([flag, option]) => [`${option.short ? `-${option.short}, ` : ''}--${flag}${option.metavar ? ` ${option.metavar}` : ''}`, option.doc]);
  const width = Math.max(...rows.map(([left]) => left!.length));
  return rows.map(([left, doc]) => `  ${left!.padEnd(width)}  ${doc}`).join('\n');
}

/** Help for the whole CLI or one command. */
export function helpText(command?: CommandName): string {
  return (command ? perCommand[command] : general).replace('{options}', optionLines(command));
}
