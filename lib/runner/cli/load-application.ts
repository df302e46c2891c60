import type { ComponentType } from '../../components/component';
import { discoverComponentTypes } from '../../components/discover-component-types';
import { loadConfigCollecting, type LoadedConfig } from '../config/load-config';
import { AsphaltError, ConfigError, GraphError, type ConfigIssue } from '../../errors';
import { graphErrorOf, problemComponent, resolveGraph, type ResolveOptions } from '../../graph/resolve-graph';
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
  const { config: loaded, issues } = loadConfigCollecting({ files: args.files, sets, service: args.service, env });
  if (loaded === undefined) throw new ConfigError(issues);
  const basedir = loaded.basedir;
  installTypeScriptHook(basedir);
  discoverComponentTypes(basedir);
  const { type, ...rootConfig } = loaded.component;
  if (type === undefined || type === null) {
    if (type === undefined) {
      issues.push({
        path: 'component.type',
        message: "required: name the root component, e.g. 'component: { type: ./app.js:App }'",
        source: args.files.join(', '),
      });
    }
    throw new ConfigError(issues);
  }
  const app: LoadedApplication = {
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
  if (issues.length > 0) throw withTreeProblems(issues, app);
  return app;
}

/**
 * The loader's problems together with those the component tree has (checked with the values that
 * failed left `null`), so one run reports them all. A tree problem at a path the loader already
 * reported (the `null` it left there failing validation) is the same problem, and left out.
 */
function withTreeProblems(issues: readonly ConfigIssue[], app: LoadedApplication): AsphaltError {
  let problems: readonly AsphaltError[] = [];
  try {
    resolveGraph(app.rootType, app.rootConfig, app.resolveOptions);
  } catch (error) {
    if (error instanceof GraphError) problems = error.problems;
    else if (error instanceof AsphaltError) problems = [error];
  }
  // A problem in the selected service's section is one at the merged path too.
  const servicePrefix = app.loaded.service === undefined ? undefined : `services.${app.loaded.service.replace(/[\\.]/g, (c) => `\\${c}`)}.`;
  const reported = issues.map((issue) => (servicePrefix !== undefined && issue.path.startsWith(servicePrefix) ? issue.path.slice(servicePrefix.length) : issue.path));
  const related = (path: string): boolean => reported.some((p) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`));
  const all: ConfigIssue[] = [...issues];
  const others: AsphaltError[] = [];
  for (const problem of problems) {
    if (problem instanceof ConfigError) {
      all.push(...problem.issues.filter((issue) => !related(issue.path)));
      continue;
    }
    // A type that failed to load because its value was left null by the loader.
    const component = problemComponent(problem);
    if (component !== undefined && related(`${configPathOf(component)}.type`)) continue;
    others.push(problem);
  }
  const config = new ConfigError(all);
  return others.length === 0 ? config : graphErrorOf([config, ...others]);
}

/** The config path of a component path: `root.api.db` is `component.components.api.components.db`. */
function configPathOf(componentPath: string): string {
  return ['component', ...componentPath.split('.').slice(1).map((alias) => `components.${alias}`)].join('.');
}
