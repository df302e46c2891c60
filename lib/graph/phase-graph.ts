import { describeKey } from '../resources/resource-key';
import { countCyclicComponents, findCycles } from './find-cycles';
import type { GraphEdge, GraphNode } from './graph-types';

/** The module-private key of a `ComponentGraph`'s phase graph. Internal. */
export const phaseGraph = Symbol('asphalt.phaseGraph');

/** A component's two steps. */
export type Phase = 'prepare' | 'start';

/** Why one step waits for another. */
export type PhaseEdgeKind = 'own' | 'parent-prepared' | 'child-started' | 'requires' | 'stops-after';

/** A cycle of steps: the components on it, in order, and the reason of each step. */
export interface PhaseCycle {
  readonly path: readonly string[];
  readonly reasons: readonly string[];
}

/**
 * The one graph of who waits for whom, built once from the components and their edges: two steps
 * per component, `P` (its `prepare()` done) and `S` (its `start()` done), and an edge with its
 * reason for each rule: a component prepares after its parent prepared and after each provider
 * published what it requires (in the provider's `prepare()` when the edge says so, else its
 * `start()`); it starts after it prepared and after its children started; a component that
 * another one `stopAfter`s prepares only after that one started (`S` of it before `P`), so that,
 * mirrored, it has stopped before the other begins to stop. The cycle check, `startOrder`,
 * `criticalPath` and the stop order (its mirror) all read it. Internal.
 */
export class PhaseGraph {
  readonly #nodes: readonly GraphNode[];
  readonly #edges: readonly GraphEdge[];
  readonly #index = new Map<string, number>();
  /** Successor lists in compressed form: the steps `targets[first[v]..first[v+1])`. */
  readonly #first: Int32Array;
  readonly #targets: Int32Array;
  readonly #kinds: Uint8Array;
  /** For 'requires' edges: the graph edge behind it; else -1. */
  readonly #edgeOf: Int32Array;
  #levels: Int32Array | undefined;
  #predecessors: number[][] | undefined;

  constructor(nodes: readonly GraphNode[], edges: readonly GraphEdge[]) {
    this.#nodes = nodes;
    this.#edges = edges;
    nodes.forEach((node, i) => this.#index.set(node.path, i));
    const from: number[] = [];
    const to: number[] = [];
    const kind: number[] = [];
    const edgeOf: number[] = [];
    const link = (a: number, b: number, k: PhaseEdgeKind, e = -1): void => {
      from.push(a);
      to.push(b);
      kind.push(KINDS.indexOf(k));
      edgeOf.push(e);
    };
    nodes.forEach((node, i) => {
      link(2 * i, 2 * i + 1, 'own');
      for (const child of node.children) {
        const c = this.#index.get(child)!;
        link(2 * i, 2 * c, 'parent-prepared');
        link(2 * c + 1, 2 * i + 1, 'child-started');
      }
    });
    nodes.forEach((node, i) => {
      if (node.stopAfter !== undefined) for (const after of node.stopAfter) link(2 * i + 1, 2 * this.#index.get(after)!, 'stops-after');
    });
    edges.forEach((edge, e) => {
      const p = this.#index.get(edge.provider)!;
      const c = this.#index.get(edge.consumer)!;
      link(edge.publishedIn === 'prepare' ? 2 * p : 2 * p + 1, 2 * c, 'requires', e);
    });
    const n = 2 * nodes.length;
    this.#first = new Int32Array(n + 1);
    for (const a of from) this.#first[a + 1]!++;
    for (let v = 0; v < n; v++) this.#first[v + 1]! += this.#first[v]!;
    const fill = this.#first.slice(0, n);
    this.#targets = new Int32Array(from.length);
    this.#kinds = new Uint8Array(from.length);
    this.#edgeOf = new Int32Array(from.length);
    from.forEach((a, j) => {
      const slot = fill[a]!++;
      this.#targets[slot] = to[j]!;
      this.#kinds[slot] = kind[j]!;
      this.#edgeOf[slot] = edgeOf[j]!;
    });
  }

  /**
   * The start level of each component (by pre-order index): the longest chain of requirement and
   * child edges that leads to its `start()` being done. `undefined` when the graph has a cycle.
   */
  levels(): Int32Array | undefined {
    if (this.#levels !== undefined) return this.#levels;
    const n = 2 * this.#nodes.length;
    const indegree = new Int32Array(n);
    for (let j = 0; j < this.#targets.length; j++) indegree[this.#targets[j]!]!++;
    const depth = new Int32Array(n);
    const queue: number[] = [];
    for (let v = 0; v < n; v++) if (indegree[v] === 0) queue.push(v);
    let seen = 0;
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head]!;
      seen++;
      for (let j = this.#first[v]!; j < this.#first[v + 1]!; j++) {
        const w = this.#targets[j]!;
        const weight = KINDS[this.#kinds[j]!] === 'own' || KINDS[this.#kinds[j]!] === 'parent-prepared' ? 0 : 1;
        if (depth[v]! + weight > depth[w]!) depth[w] = depth[v]! + weight;
        if (--indegree[w]! === 0) queue.push(w);
      }
    }
    if (seen < n) return undefined;
    const levels = new Int32Array(this.#nodes.length);
    for (let i = 0; i < levels.length; i++) levels[i] = depth[2 * i + 1]!;
    return (this.#levels = levels);
  }

  /** The components (by pre-order index) whose step leads straight into component `i`'s steps. */
  waitsFor(i: number): number[] {
    if (this.#predecessors === undefined) {
      const lists: Set<number>[] = this.#nodes.map(() => new Set<number>());
      for (let v = 0; v < 2 * this.#nodes.length; v++) {
        for (let j = this.#first[v]!; j < this.#first[v + 1]!; j++) {
          const w = this.#targets[j]! >> 1;
          if (w !== v >> 1) lists[w]!.add(v >> 1);
        }
      }
      this.#predecessors = lists.map((set) => [...set]);
    }
    return this.#predecessors[i]!;
  }

  /**
   * Calls `visit` for every edge: component `from` (pre-order index) in `fromPhase` must be done
   * before component `to` in `toPhase` can go on; `edge` is the requirement behind a 'requires' edge.
   */
  forEachEdge(visit: (from: number, fromPhase: Phase, to: number, toPhase: Phase, kind: PhaseEdgeKind, edge: GraphEdge | undefined) => void): void {
    for (let v = 0; v < 2 * this.#nodes.length; v++) {
      for (let j = this.#first[v]!; j < this.#first[v + 1]!; j++) {
        const w = this.#targets[j]!;
        const e = this.#edgeOf[j]!;
        visit(v >> 1, v % 2 === 0 ? 'prepare' : 'start', w >> 1, w % 2 === 0 ? 'prepare' : 'start', KINDS[this.#kinds[j]!]!, e < 0 ? undefined : this.#edges[e]);
      }
    }
  }

  /** Up to `limit` cycles with the reason of each step, and how many more independent ones exist. */
  cycles(limit: number): { cycles: PhaseCycle[]; more: number } {
    if (this.levels() !== undefined) return { cycles: [], more: 0 };
    const ids: string[] = [];
    for (const node of this.#nodes) ids.push(`P:${node.path}`, `S:${node.path}`);
    const next = (id: string): string[] => {
      const v = this.#step(id);
      const out: string[] = [];
      for (let j = this.#first[v]!; j < this.#first[v + 1]!; j++) out.push(this.#stepId(this.#targets[j]!));
      return out;
    };
    const found = findCycles(ids, next, limit);
    const more = countCyclicComponents(ids, next) - found.length;
    return { cycles: found.map((cycle) => this.#explain(cycle)), more: Math.max(0, more) };
  }

  #explain(cycle: readonly string[]): PhaseCycle {
    const closed = [...cycle, cycle[0]!];
    const reasons: string[] = [];
    const path: string[] = [];
    for (let k = 0; k < closed.length; k++) {
      const component = closed[k]!.slice(2);
      if (path[path.length - 1] !== component) path.push(component);
      if (k + 1 < closed.length) {
        const reason = this.#reason(this.#step(closed[k]!), this.#step(closed[k + 1]!));
        if (reason) reasons.push(reason);
      }
    }
    if (path.length > 1 && path[0] !== path[path.length - 1]) path.push(path[0]!);
    if (path.length === 1) path.push(path[0]!);
    return { path, reasons };
  }

  #reason(v: number, w: number): string | undefined {
    for (let j = this.#first[v]!; j < this.#first[v + 1]!; j++) {
      if (this.#targets[j] !== w) continue;
      const a = this.#nodes[v >> 1]!.path;
      const b = this.#nodes[w >> 1]!.path;
      switch (KINDS[this.#kinds[j]!]) {
        case 'parent-prepared':
          return `${b} prepares after its parent ${a} has prepared`;
        case 'child-started':
          return `${b} starts after its child ${a} has started`;
        case 'stops-after':
          return `${a} stops after ${b} (its stopAfter), so it starts before ${b} prepares`;
        case 'requires': {
          const edge = this.#edges[this.#edgeOf[j]!]!;
          const what = `${describeKey(edge.resource.key)} '${edge.resource.name}'`;
          if (edge.publishedIn === 'prepare') return `${b} requires ${what} from ${a}, published in prepare()`;
          const ancestor = this.#isAncestor(v >> 1, w >> 1);
          return `${b} requires ${what} from ${a}, published in start()` +
            (ancestor ? ' (which runs after its children have started: publish it in prepare() instead)' : '');
        }
        default:
          return undefined;
      }
    }
    return undefined;
  }

  #isAncestor(a: number, b: number): boolean {
    for (let p = this.#nodes[b]!.parent; p !== undefined; p = this.#nodes[this.#index.get(p)!]!.parent) {
      if (this.#index.get(p) === a) return true;
    }
    return false;
  }

  #step(id: string): number {
    return 2 * this.#index.get(id.slice(2))! + (id[0] === 'S' ? 1 : 0);
  }

  #stepId(v: number): string {
    return `${v % 2 === 0 ? 'P' : 'S'}:${this.#nodes[v >> 1]!.path}`;
  }
}

const KINDS: readonly PhaseEdgeKind[] = ['own', 'parent-prepared', 'child-started', 'requires', 'stops-after'];
