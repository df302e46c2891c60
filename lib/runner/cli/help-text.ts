import type { CommandName } from './parse-cli-args';

const general = `asphalt: run, check and draw asphalt-ts applications

Usage: asphalt <command> [options]

Commands:
  run FILE...        start the application described by the config file(s) and run it
  check FILE...      load and validate the config, resolve the whole graph; start nothing
  graph FILE...      print the resolved component graph (mermaid, dot, json or svg)
  describe TYPE      show a component type's config options, provides and requires
  migrate FILE...    apply the pending migrations of the config's SQL component(s); start nothing else

Options:
  -h, --help         help (also: asphalt help COMMAND, asphalt COMMAND --help)
  -V, --version      the asphalt-ts version

Config files are YAML, merged in order. See 'asphalt run --help' for the format.`;

const perCommand: Record<CommandName, string> = {
  run: `Usage: asphalt run FILE... [--set path=value]... [-s SERVICE] [runner flags]

Starts the application of the merged config files and runs it: a CLIApplicationComponent until its
run() returns (its result is the exit code), any other until SIGINT or SIGTERM. A second signal,
or the runner.shutdownDeadline passing, forces the exit.

  --set a.b.c=VALUE  override a config value (VALUE is YAML; write \\. for a dot in a key)
  -s, --service S    pick a service of the config's 'services:' (else ASPHALT_SERVICE, the only one, or 'default')
  --log-level L      trace, debug, info, warn, error, fatal or silent (runner.logLevel, ASPHALT_LOG_LEVEL)
  --log-format F     json, pretty or auto (runner.logFormat, ASPHALT_LOG_FORMAT)
  --start-timeout MS           default start timeout of each component (runner.startTimeout, ASPHALT_START_TIMEOUT)
  --stop-timeout MS            default stop timeout of each component (runner.stopTimeout, ASPHALT_STOP_TIMEOUT)
  --shutdown-deadline MS       force the exit this long after a stop signal (runner.shutdownDeadline, ASPHALT_SHUTDOWN_DEADLINE)
  --blocked-loop-threshold MS  report event-loop blocks longer than this; 0 is off (runner.blockedLoopThreshold, ASPHALT_BLOCKED_LOOP_THRESHOLD)
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
graph, then prints every problem (exit 1) or one 'ok' line (exit 0). Nothing is started.`,
  graph: `Usage: asphalt graph FILE... [--format mermaid|dot|json|svg] [-o FILE] [--set path=value]... [-s SERVICE]

Prints the resolved component graph (default mermaid). svg needs Graphviz's 'dot'.`,
  describe: `Usage: asphalt describe TYPE

TYPE is a module:Export (e.g. ./dist/db.js:DbComponent) or a registered short name. Prints the
component's config options (name, type, default, constraints), what it provides and requires.`,
  migrate: `Usage: asphalt migrate FILE... [--set path=value]... [-s SERVICE]

Applies the pending migrations of every component of the config that has them (type: sql with a
'migrations' folder), under the same advisory lock as migrateOnStart, then exits. Nothing else starts.`,
};

/** Help for the whole CLI or one command. */
export function helpText(command?: CommandName): string {
  return command ? perCommand[command] : general;
}
