// asphalt-ts/runner: run an application from code or YAML config, and the `asphalt` CLI.
export { runApplication } from './run-application';
export type { RunApplicationOptions } from './run-application';
export { createLogger } from './create-logger';
export { loadConfig } from './config/load-config';
export type { LoadConfigOptions, LoadedConfig } from './config/load-config';
export type { LogFormat, LogLevel, RunnerSettings } from './config/runner-settings';
export { CliUsageError } from './cli/cli-error';
export { main as cli } from './cli/main';

