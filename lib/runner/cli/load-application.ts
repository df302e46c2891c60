import type { ComponentType } from '../../components/component';
import { discoverComponentTypes } from '../../components/discover-component-types';
import { loadConfig, type LoadedConfig } from '../config/load-config';
import { ConfigError } from '../../errors';
import type { ResolveOptions } from '../../graph/resolve-graph';
import type { LabelledSet } from '../config/set-override';
import { RUNNER_FLAGS, type CliArgs } from './parse-cli-args';
import { installTypeScriptHook } from './typescript-hook';

/** What a config file set describes: the root type, its config, and how to resolve the tree. */
export interface LoadedApplication {
  readonly loaded: LoadedConfig;
  readonly rootType: ComponentType;
  readonly rootConfig: Record<string, unknown>;
  readonly resolveOptions: ResolveOptions;
}

/** Loads the config files named on the command line and finds the root component type. */
export function loadApplication(args: CliArgs, env: Readonly<Record<string, string | undefined>> = process.env): LoadedApplication {
  const sets: (string | LabelledSet)[] = [...args.sets];
  for (const [flag, setting] of Object.entries(RUNNER_FLAGS)) {
    const value = args.runner[setting];
    if (value !== undefined) sets.push({ set: `runner.${setting}=${value}`, label: `--${flag} ${value}` });
  }
  const loaded = loadConfig({ files: args.files, sets, service: args.service, env });
  const basedir = loaded.basedir;
  installTypeScriptHook(basedir);
  discoverComponentTypes(basedir);
  const { type, ...rootConfig } = loaded.component;
  if (type === undefined) {
    throw new ConfigError([
      {
        path: 'component.type',
        message: "required: name the root component, e.g. 'component: { type: ./app.js:App }'",
        source: args.files.join(', '),
      },
    ]);
  }
  return {
    loaded,
    rootType: type as ComponentType,
    rootConfig,
    resolveOptions: {
      basedir,
      configPath: 'component',
      sources: (path) => loaded.sourceOf(path),
      typeBasedir: (path) => loaded.typeBasedir(path),
      startTimeout: loaded.runner.startTimeout,
      stopTimeout: loaded.runner.stopTimeout,
    },
  };
}
