import { DependencyCycleError, InvalidArgumentError } from '../errors';
import { describeKey, type ResourceKey } from '../resources/resource-key';
import { DEFAULT_NAME } from '../resources/resource-name';
import { editDistance } from '../util/closest-match';
import { toDot, toMermaid } from './graph-export';
import type { ComponentState, ComponentTimings, GraphEdge, GraphNode } from './graph-types';
import { PhaseGraph, phaseGraph } from './phase-graph';

/** The chain of components that decided how long startup took; see {@link ComponentGraph.criticalPath}. */
export interface CriticalPath {
  /** Component paths, first to start first; the last one finished last. */
  readonly path: string[];
  /** When the last component finished starting (ms since startup began); 0 before any start. */
  readonly ms: number;
}

/** One node of {@link ComponentGraphJSON}. */
export interface GraphNodeJSON {
  path: string;
  alias: string;
  type: string;
  state: ComponentState;
  isolated: boolean;
  scope: string;
  parent: string | null;
  children: string[];
  /** The components it stops only after (and starts before): its resolved `stopAfter`. */
  stopAfter: string[];
  provides: { key: string; name: string }[];
  requires: { key: string; name: string; optional: boolean }[];
  timings: ComponentTimings;
}

/** One edge of {@link ComponentGraphJSON}: `provider` publishes `key`/`name`, `consumer` requires it. */
export interface GraphEdgeJSON {
  provider: string;
  consumer: string;
  key: string;
  name: string;
  optional: boolean;
}

/** What {@link ComponentGraph.toJSON} returns: plain data, keys described as strings. */
export interface ComponentGraphJSON {
  nodes: GraphNodeJSON[];
  edges: GraphEdgeJSON[];
}

/**
 * The resolved component tree with its provider -> consumer edges: what `resolveGraph()` returns
 * and `Application.graph` holds. Use it to inspect, order, time and draw a startup.
 *
 * @example
 * const graph = new ComponentGraph(nodes, edges); // nodes in tree pre-order, root first
 * graph.startOrder();   // [['app.db', 'app.mailer'], ['app.web'], ['app']]
 * console.log(graph.toMermaid());
 */
export class ComponentGraph {
  /** Every component by path, in tree pre-order (root first). */
  readonly nodes: ReadonlyMap<string, GraphNode>;
  /** Every provider -> consumer edge, in the order given. */
  readonly edges: readonly GraphEdge[];
  /** The root component. */
  readonly root: GraphNode;

  // Indexes, each built on first use: a boot asks only for the critical path.
  #orderIndex: Map<string, number> | undefined;
  /** Each path's pre-order interval [first, last] in the tree, to tell ancestors apart cheaply. */
  #spanIndex: Map<string, { first: number; last: number }> | undefined;
  #edgesInIndex: Map<string, GraphEdge[]> | undefined;
  #edgesOutIndex: Map<string, GraphEdge[]> | undefined;
  #providersIndex: Map<ResourceKey<unknown>, Map<string, GraphNode[]>> | undefined;
  #levels: Map<string, number> | undefined;
  /** For each component, those whose `stopAfter` names it (it prepares after they started). */
  #startsAfterIndex: Map<string, string[]> | undefined;
  #phases: PhaseGraph | undefined;

  constructor(nodes: readonly GraphNode[], edges: readonly GraphEdge[]) {
    if (nodes.length === 0) throw new InvalidArgumentError('ComponentGraph: a graph needs at least its root component');
    const byPath = new Map<string, GraphNode>();
    for (const node of nodes) {
      if (byPath.has(node.path)) throw new InvalidArgumentError(`ComponentGraph: two components have the path '${node.path}'`);
      byPath.set(node.path, node);
    }
    this.nodes = byPath;
    this.edges = [...edges];
    this.root = nodes[0]!;
    for (const node of nodes) {
      for (const child of node.children) this.#known(child, `child of '${node.path}'`);
      if (node.stopAfter !== undefined) for (const after of node.stopAfter) this.#known(after, `stopAfter of '${node.path}'`);
    }
    for (const edge of this.edges) {
      this.#known(edge.provider, 'edge provider');
      this.#known(edge.consumer, 'edge consumer');
    }
  }

  /** Internal: the one graph of prepare/start steps (see `PhaseGraph`). */
  get [phaseGraph](): PhaseGraph {
    return (this.#phases ??= new PhaseGraph([...this.nodes.values()], this.edges));
  }

  get #order(): Map<string, number> {
    if (this.#orderIndex === undefined) {
      this.#orderIndex = new Map();
      for (const path of this.nodes.keys()) this.#orderIndex.set(path, this.#orderIndex.size);
    }
    return this.#orderIndex;
  }

  get #edgesIn(): Map<string, GraphEdge[]> {
    return (this.#edgesInIndex ??= this.#edgesBy('consumer'));
  }

  get #edgesOut(): Map<string, GraphEdge[]> {
    return (this.#edgesOutIndex ??= this.#edgesBy('provider'));
  }

  #edgesBy(end: 'consumer' | 'provider'): Map<string, GraphEdge[]> {
    const index = new Map<string, GraphEdge[]>();
    for (const edge of this.edges) {
      const list = index.get(edge[end]);
      if (list === undefined) index.set(edge[end], [edge]);
      else list.push(edge);
    }
    return index;
  }

  get #providers(): Map<ResourceKey<unknown>, Map<string, GraphNode[]>> {
    if (this.#providersIndex === undefined) {
      this.#providersIndex = new Map();
      for (const node of this.nodes.values()) {
        for (const { key, name } of node.provides) {
          let byName = this.#providersIndex.get(key);
          if (byName === undefined) this.#providersIndex.set(key, (byName = new Map()));
          const providers = byName.get(name);
          if (providers) providers.push(node);
          else byName.set(name, [node]);
        }
      }
    }
    return this.#providersIndex;
  }

  /** The component at `path`; throws, naming the closest paths, if there is none. */
  node(path: string): GraphNode {
    const node = this.nodes.get(path);
    if (node) return node;
    const closest = [...this.nodes.keys()]
      .map((candidate) => ({ candidate, distance: editDistance(path, candidate) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, 3)
      .map(({ candidate }) => `'${candidate}'`);
    throw new InvalidArgumentError(
      `No component at path '${path}' in the graph; did you mean ${closest.join(', ')}? ` +
        `A path is the aliases from the root joined by dots, as in '${this.root.path}'.`,
    );
  }

  /** Components that declare they provide `key` under `name`, in every scope, in tree pre-order. */
  providersOf(key: ResourceKey<unknown>, name: string = DEFAULT_NAME): GraphNode[] {
    return [...(this.#providers.get(key)?.get(name) ?? [])];
  }

  /** Components that require something the component at `path` provides (by edges), each once. */
  consumersOf(path: string): GraphNode[] {
    this.node(path);
    return this.#distinct((this.#edgesOut.get(path) ?? []).map((edge) => edge.consumer));
  }

  /** Components that provide something the component at `path` requires (by edges), each once. */
  dependenciesOf(path: string): GraphNode[] {
    this.node(path);
    return this.#distinct((this.#edgesIn.get(path) ?? []).map((edge) => edge.provider));
  }

  /**
   * Start levels: a component comes after every provider it requires (after the provider's
   * `prepare()` when the edge says it publishes there, else after its `start()`) and after all its
   * children (its `start()` runs once they have started), and after each component whose
   * `stopAfter` names it (so that one is up for its whole run). Level 0 holds the components with
   * none of these; each level is in tree pre-order. The same graph of prepare/start steps decides the
   * cycle check, the critical path and the stop order. Throws `DependencyCycleError` on a cycle.
   */
  startOrder(): string[][] {
    const levels: string[][] = [];
    for (const [path, level] of this.#computeLevels()) (levels[level] ??= []).push(path);
    return levels.filter((level) => level !== undefined);
  }

  /**
   * The chain that decided how long startup took. After a start, it ends at the component whose
   * `startEnd` is latest (usually the root) and walks back, each time to the dependency (a provider
   * it requires, or a child) that finished last before the component could proceed (`prepareStart`
   * for providers, `startStart` for children; if none finished by then, the latest of all);
   * `ms` is that last `startEnd`. Before any timings exist, it is the longest chain by count in the
   * dependency graph, with `ms` 0.
   */
  criticalPath(): CriticalPath {
    let last: GraphNode | undefined;
    for (const node of this.nodes.values()) {
      const end = node.timings.startEnd;
      if (end !== undefined && (last === undefined || end > last.timings.startEnd!)) last = node;
    }
    if (last === undefined) return { path: this.#longestChain(), ms: 0 };

    const path = [last.path];
    const visited = new Set(path);
    for (let next = this.#blocker(last); next && !visited.has(next.path); next = this.#blocker(next)) {
      path.push(next.path);
      visited.add(next.path);
    }
    return { path: path.reverse(), ms: last.timings.startEnd! };
  }

  /** Plain, JSON-safe data: nodes in tree pre-order, edges in graph order, keys as strings. */
  toJSON(): ComponentGraphJSON {
    return {
      nodes: [...this.nodes.values()].map((node) => ({
        path: node.path,
        alias: node.alias,
        type: node.type,
        state: node.state,
        isolated: node.isolated,
        scope: node.scope,
        parent: node.parent ?? null,
        children: [...node.children],
        stopAfter: [...(node.stopAfter ?? [])],
        provides: node.provides.map(({ key, name }) => ({ key: describeKey(key), name })),
        requires: node.requires.map(({ key, name, optional }) => ({ key: describeKey(key), name, optional })),
        timings: { ...node.timings },
      })),
      edges: this.edges.map(({ provider, consumer, resource, optional }) => ({
        provider,
        consumer,
        key: describeKey(resource.key),
        name: resource.name,
        optional,
      })),
    };
  }

  /** A Mermaid `flowchart LR`; see {@link toMermaid}. */
  toMermaid(): string {
    return toMermaid(this);
  }

  /** A Graphviz `digraph`; see {@link toDot}. */
  toDot(): string {
    return toDot(this);
  }

  #known(path: string, role: string): string {
    if (this.nodes.has(path)) return path;
    throw new InvalidArgumentError(`ComponentGraph: the ${role} '${path}' is not among the graph's components`);
  }

  #distinct(paths: readonly string[]): GraphNode[] {
    return [...new Set(paths)].map((path) => this.nodes.get(path)!);
  }

  get #startsAfter(): Map<string, string[]> {
    if (this.#startsAfterIndex === undefined) {
      this.#startsAfterIndex = new Map();
      for (const node of this.nodes.values()) {
        for (const after of node.stopAfter ?? []) {
          const list = this.#startsAfterIndex.get(after);
          if (list === undefined) this.#startsAfterIndex.set(after, [node.path]);
          else list.push(node.path);
        }
      }
    }
    return this.#startsAfterIndex;
  }

  get #span(): Map<string, { first: number; last: number }> {
    return (this.#spanIndex ??= this.#measureSpans());
  }

  #measureSpans(): Map<string, { first: number; last: number }> {
    const span = new Map<string, { first: number; last: number }>();
    let counter = 0;
    const work: { path: string; leave: boolean }[] = [];
    for (const start of [this.root.path, ...this.nodes.keys()]) {
      if (span.has(start)) continue;
      work.push({ path: start, leave: false });
      while (work.length > 0) {
        const { path, leave } = work.pop()!;
        if (leave) {
          span.get(path)!.last = counter - 1;
          continue;
        }
        if (span.has(path)) continue;
        span.set(path, { first: counter++, last: Infinity });
        work.push({ path, leave: true });
        const children = this.nodes.get(path)!.children;
        for (let i = children.length - 1; i >= 0; i--) work.push({ path: children[i]!, leave: false });
      }
    }
    return span;
  }

  #isAncestor(ancestor: string, path: string): boolean {
    const outer = this.#span.get(ancestor)!;
    const inner = this.#span.get(path)!.first;
    return outer.first < inner && inner <= outer.last;
  }

  /**
   * Providers `path` waits for. An ancestor's resource can only reach a descendant if the ancestor
   * publishes it in `prepare()`, which runs before the children start, so those edges do not order.
   */
  #providersBefore(path: string): string[] {
    return (this.#edgesIn.get(path) ?? [])
      .map((edge) => edge.provider)
      .filter((provider) => !this.#isAncestor(provider, path));
  }

  /** Start levels from the phase graph, in tree pre-order. */
  #computeLevels(): Map<string, number> {
    if (this.#levels) return this.#levels;
    const levels = this[phaseGraph].levels();
    if (levels === undefined) throw this.#cycleError();
    const paths = [...this.nodes.keys()];
    this.#levels = new Map(paths.map((path, i) => [path, levels[i]!]));
    return this.#levels;
  }

  #cycleError(): DependencyCycleError {
    const { cycles, more } = this[phaseGraph].cycles(3);
    const lines = cycles.map((cycle) => `  ${cycle.path.join(' -> ')}\n${cycle.reasons.map((r) => `    - ${r}`).join('\n')}`);
    if (more > 0) lines.push(`  ... and ${more} more`);
    return new DependencyCycleError(
      `The component graph has a dependency cycle, so it has no start order:\n${lines.join('\n')}`,
      [...cycles[0]!.path],
    );
  }

  #longestChain(): string[] {
    const levels = this.#computeLevels();
    const paths = [...this.nodes.keys()];
    let top = this.root.path;
    for (const [path, level] of levels) if (level > levels.get(top)!) top = path;
    const chain = [top];
    for (let level = levels.get(top)!; level > 0; level--) {
      const current = this.#order.get(chain[chain.length - 1]!)!;
      const below = this[phaseGraph]
        .waitsFor(current)
        .filter((i) => levels.get(paths[i]!) === level - 1)
        .sort((a, b) => a - b);
      if (below.length === 0) break;
      chain.push(paths[below[0]!]!);
    }
    return chain.reverse();
  }

  #blocker(node: GraphNode): GraphNode | undefined {
    const { prepareStart, startStart, startEnd } = node.timings;
    // A consumer goes on as soon as its providers have published (`readyAt`), usually before their
    // start() returns; a parent's start() waits for its children to finish (`startEnd`).
    const candidates = [
      ...this.#providersBefore(node.path).map((path) => ({ path, by: prepareStart ?? startStart ?? startEnd, provider: true })),
      ...node.children.map((path) => ({ path, by: startStart ?? startEnd, provider: false })),
      ...(this.#startsAfter.get(node.path) ?? []).map((path) => ({ path, by: prepareStart ?? startStart ?? startEnd, provider: false })),
    ].flatMap(({ path, by, provider }) => {
      const timings = this.nodes.get(path)!.timings;
      const end = provider ? (timings.readyAt ?? timings.startEnd) : timings.startEnd;
      return end === undefined ? [] : [{ path, end, inTime: by === undefined || end <= by }];
    });
    const pool = candidates.some((c) => c.inTime) ? candidates.filter((c) => c.inTime) : candidates;
    let best: (typeof pool)[number] | undefined;
    for (const candidate of pool) {
      if (
        best === undefined ||
        candidate.end > best.end ||
        (candidate.end === best.end && this.#order.get(candidate.path)! < this.#order.get(best.path)!)
      ) {
        best = candidate;
      }
    }
    return best && this.nodes.get(best.path);
  }
}
