import type { ComponentType } from '../components/component';
import type { Context } from '../context/context';
import { isVisible } from '../context/context-chain';
import { ApplicationState } from '../lifecycle/application-state';
import { Logger } from '../lifecycle/logger';
import {
  AmbiguousProviderError,
  AsphaltError,
  DependencyCycleError,
  GraphError,
  MissingProviderError,
  StopAfterError,
} from '../errors';
import { describeKey } from '../resources/resource-key';
import { closestMatch, editDistance } from '../util/closest-match';
import { serviceId } from '../resources/service-id';
import { buildTree, componentOfProblem, type BuildTreeOptions, type ComponentRecord } from './build-tree';
import { ComponentGraph } from './component-graph';
import { resolveStopAfter } from './resolve-stop-after';
import { phaseGraph } from './phase-graph';
import type { GraphEdge, GraphNode, Requirement } from './graph-types';

/** Options of {@link resolveGraph} (and of `bootstrap`). */
export interface ResolveOptions extends BuildTreeOptions {
  /** Resources already in this context (or its parents) count as provided. */
  context?: Context;
}

/** Who satisfies one requirement: a component, the bootstrap context, or nobody (optional). */
export type ProviderRef = ComponentRecord | 'context' | undefined;

/** The checked tree: what the lifecycle needs to start and stop it. */
export interface ResolvedGraph {
  readonly graph: ComponentGraph;
  readonly root: ComponentRecord;
  /** Every component, tree pre-order. */
  readonly records: readonly ComponentRecord[];
  /** For each component, the provider of each of its requirements (same order as `requires`). */
  readonly providers: ReadonlyMap<ComponentRecord, readonly ProviderRef[]>;
  /** The scope (isolated ancestor's path, '' for the root scope) each component publishes into. */
  readonly enclosingScope: ReadonlyMap<ComponentRecord, string>;
}

const MAX_LISTED = 20;
const noChildren: readonly string[] = Object.freeze([]);

/**
 * Instantiates the component tree and checks the whole dependency graph without starting
 * anything. Every problem (cycles, missing and ambiguous providers, config and type errors) is
 * thrown together in one {@link GraphError}.
 *
 * @example
 * const { graph } = resolveGraph(AppComponent, config);
 * console.log(graph.toMermaid());
 */
export function resolveGraph(root: ComponentType, config?: unknown, options: ResolveOptions = {}): ResolvedGraph {
  const problems: AsphaltError[] = [];
  const tree = buildTree(root, config, options, problems);
  if (tree === undefined) throw graphError(problems);

  const records: ComponentRecord[] = [];
  for (const stack = [tree]; stack.length > 0; ) {
    const record = stack.pop()!;
    records.push(record);
    for (let i = record.children.length - 1; i >= 0; i--) stack.push(record.children[i]!);
  }

  // Scopes: a component publishes into (and its @provides are visible in) its enclosing scope,
  // the nearest isolated strict ancestor; an isolated component's subtree publishes inside it.
  const enclosing = new Map<ComponentRecord, string>();
  const lookupScope = (record: ComponentRecord): string => (record.isolated ? record.path : enclosing.get(record)!);
  const scopeParent = new Map<string, string | undefined>([['', undefined]]);
  for (const record of records) {
    enclosing.set(record, record.parent === undefined ? '' : lookupScope(record.parent));
    if (record.isolated) scopeParent.set(record.path, enclosing.get(record));
  }

  const providersByScope = new Map<string, Map<symbol, ComponentRecord[]>>();
  for (const record of records) {
    const scope = enclosing.get(record)!;
    let table = providersByScope.get(scope);
    if (table === undefined) providersByScope.set(scope, (table = new Map()));
    for (const p of record.provides) {
      const id = serviceId(p.key, p.name);
      const list = table.get(id);
      if (list === undefined) table.set(id, [record]);
      else if (!list.includes(record)) list.push(record);
    }
  }
  for (const [scope, table] of providersByScope) {
    for (const list of table.values()) {
      if (list.length < 2) continue;
      const provision = list[0]!.provides.find((p) => list.every((r) => r.provides.some((q) => q.key === p.key && q.name === p.name)))!;
      const what = `${describeKey(provision.key)} '${provision.name}'`;
      problems.push(
        new AmbiguousProviderError(
          `${what} is provided by ${list.map((r) => r.path).join(' and ')} in ${scopeText(scope)}; consumers could not tell ` +
            `which to use. Give one another resource name (alias 'type/othername' or @provides(..., { name })), ` +
            `or mark one of them isolated: true`,
          list.map((r) => r.path),
        ),
      );
    }
  }

  /** Up to five `'name' by path` for a key, for the message of a missing provider. */
  const providedAs = (key: unknown): string[] => {
    const found: string[] = [];
    for (const record of records) {
      for (const p of record.provides) if (p.key === key && found.length < 5) found.push(`'${p.name}' by ${record.path}`);
    }
    return found;
  };
  const providers = new Map<ComponentRecord, ProviderRef[]>();
  const edges: GraphEdge[] = [];
  for (const record of records) {
    const found: ProviderRef[] = [];
    for (const requirement of record.requires) {
      const provider = findProvider(record, requirement);
      found.push(provider);
      if (provider !== undefined && provider !== 'context') {
        edges.push({
          provider: provider.path,
          consumer: record.path,
          resource: requirement, // a Requirement is a ResourceRef
          optional: requirement.optional,
          publishedIn: provider.provides.find((p) => p.key === requirement.key && p.name === requirement.name)?.phase ?? 'start',
        });
      }
    }
    providers.set(record, found);
  }

  function findProvider(record: ComponentRecord, requirement: Requirement): ProviderRef {
    const id = serviceId(requirement.key, requirement.name);
    const searched: string[] = [];
    for (let scope: string | undefined = lookupScope(record); scope !== undefined; scope = scopeParent.get(scope)) {
      searched.push(scope);
      const list = providersByScope.get(scope)?.get(id);
      if (list !== undefined && list.length > 0) return list[0];
    }
    if (options.context !== undefined && isVisible(options.context, requirement.key, requirement.name)) return 'context';
    // What bootstrap itself publishes in every application context (see bootstrap()).
    if (requirement.name === 'default' && (requirement.key === Logger || requirement.key === ApplicationState)) return 'context';
    if (requirement.optional) return undefined;
    const keyText = describeKey(requirement.key);
    const otherNames = providedAs(requirement.key);
    const near = nearProvision(records, requirement);
    problems.push(
      new MissingProviderError(
        (near === undefined
          ? `${record.path} requires ${keyText} '${requirement.name}', but nothing provides it `
          : `${record.path} requires ${keyText} '${requirement.name}': did you mean '${near.name}'? ${near.path} provides it. ` +
            `Nothing provides '${requirement.name}' `) +
          `(looked in ${searched.map(scopeText).join(', then ')}` +
          `${options.context ? ', then the bootstrap context' : ''}). ` +
          (otherNames.length > 0 ? `${keyText} is provided as ${otherNames.join(', ')}. ` : '') +
          `Add a component that @provides(${keyText}${requirement.name === 'default' ? '' : `, { name: '${requirement.name}' }`}), ` +
          `publish it in the context passed to bootstrap, or declare the requirement { optional: true }`,
        record.path,
        keyText,
        requirement.name,
      ),
    );
    return undefined;
  }

  const stopProblems: StopAfterError[] = [];
  const stopAfter = resolveStopAfter(records, stopProblems);
  problems.push(...stopProblems);
  const nodes: GraphNode[] = records.map((record) => ({
    path: record.path,
    alias: record.alias,
    type: record.typeName,
    provides: record.provides,
    requires: record.requires,
    parent: record.parent?.path,
    children: record.children.length === 0 ? noChildren : record.children.map((c) => c.path),
    isolated: record.isolated,
    scope: enclosing.get(record)!,
    stopAfter: stopAfter.get(record),
    state: 'created',
    timings: {},
  }));
  const graph = new ComponentGraph(nodes, edges);
  const { cycles, more } = graph[phaseGraph].cycles(MAX_LISTED);
  for (const cycle of cycles) {
    problems.push(new DependencyCycleError(`dependency cycle: ${cycle.path.join(' -> ')}\n${cycle.reasons.map((r) => `  - ${r}`).join('\n')}`, [...cycle.path]));
  }
  if (more > 0) problems.push(new DependencyCycleError(`... and ${more} more independent cycle(s)`, []));
  if (problems.length > 0) throw graphError(problems);
  return { graph, root: tree, records, providers, enclosingScope: enclosing };
}

function scopeText(scope: string): string {
  return scope === '' ? 'the root scope' : `the isolated scope of ${scope}`;
}

/** The provision of the same key whose name is one typo away from the requirement's, if any. */
function nearProvision(records: readonly ComponentRecord[], requirement: Requirement): { name: string; path: string } | undefined {
  const candidates: { name: string; path: string }[] = [];
  for (const record of records) {
    for (const p of record.provides) if (p.key === requirement.key && p.name !== requirement.name) candidates.push({ name: p.name, path: record.path });
  }
  const best = closestMatch(requirement.name, candidates.map((c) => c.name));
  if (best === undefined || editDistance(requirement.name, best) > Math.max(2, Math.floor(requirement.name.length / 3))) return undefined;
  return candidates.find((c) => c.name === best);
}

function graphError(problems: readonly AsphaltError[]): GraphError {
  // One problem is printed first and once, without the grouped report's headers.
  if (problems.length === 1) return new GraphError(`${problems[0]!.message}\nNothing was started.`, problems);
  const byKind = new Map<string, AsphaltError[]>();
  for (const problem of problems) {
    const list = byKind.get(problem.code);
    if (list === undefined) byKind.set(problem.code, [problem]);
    else list.push(problem);
  }
  const sections: string[] = [];
  for (const [code, list] of byKind) {
    const shown = list.slice(0, MAX_LISTED).map((p) => `- ${p.message.replace(/\n/g, '\n  ')}`);
    if (list.length > MAX_LISTED) shown.push(`- ... and ${list.length - MAX_LISTED} more ${code} problem(s)`);
    sections.push(`${code} (${list.length}):\n${shown.join('\n')}`);
  }
  return new GraphError(
    `the component tree has ${problems.length} problem(s); nothing was started. Fix them all, then start again:\n` +
      sections.join('\n'),
    problems,
  );
}

/** The path of the component a problem of a `GraphError` is about (the first one, for a cycle). */
export function problemComponent(problem: AsphaltError): string | undefined {
  if (problem instanceof MissingProviderError) return problem.consumer;
  if (problem instanceof AmbiguousProviderError) return problem.providers[0];
  if (problem instanceof DependencyCycleError) return problem.cycle[0];
  if (problem instanceof StopAfterError) return problem.path;
  return componentOfProblem(problem);
}
