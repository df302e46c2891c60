import type { ComponentGraph } from '../graph/component-graph';
import { describeKey, type ResourceKey } from '../resources/resource-key';
import { DEFAULT_NAME } from '../resources/resource-name';

/** Anything with a component graph: an `Application`, or `resolveGraph()`'s result. */
export interface HasGraph {
  readonly graph: ComponentGraph;
}

/**
 * Whether the component at path `b` could count on the component at path `a` when `b` began its
 * `start()`, by the graph's timings: if `b` depends on `a` (a provider it requires, a child, or one
 * of theirs, transitively), `a` had published all it provides by then (consumers start as soon as
 * that happens, possibly before `a`'s `start()` returns); otherwise `a` had finished starting. True
 * for every child before its parent and every provider before its consumers; false for two
 * components that started concurrently, and if either never got there.
 *
 * @example
 * expect(startedBefore(app, 'root.db', 'root.cache')).toBe(true);
 */
export function startedBefore(app: HasGraph, a: string, b: string): boolean {
  const { timings } = app.graph.node(a);
  const began = app.graph.node(b).timings.startStart;
  const finished = dependsOn(app.graph, b, a) ? (timings.readyAt ?? timings.startEnd) : timings.startEnd;
  return finished !== undefined && began !== undefined && finished <= began;
}

/** Whether `consumer` waits for `dependency` to start: through providers it requires and children, transitively. */
function dependsOn(graph: ComponentGraph, consumer: string, dependency: string): boolean {
  const seen = new Set<string>([consumer]);
  for (const queue = [consumer]; queue.length > 0; ) {
    const path = queue.pop()!;
    for (const next of [...graph.dependenciesOf(path).map((node) => node.path), ...graph.node(path).children]) {
      if (next === dependency) return true;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}

/**
 * Throws unless each path {@link startedBefore} the next, with a message giving the timings.
 *
 * @example
 * expectStartOrder(app, ['root.db', 'root.cache', 'root.web', 'root']);
 */
export function expectStartOrder(app: HasGraph, paths: readonly string[]): void {
  for (let i = 0; i + 1 < paths.length; i++) {
    const [a, b] = [paths[i]!, paths[i + 1]!];
    if (startedBefore(app, a, b)) continue;
    const at = (ms: number | undefined): string => (ms === undefined ? 'never' : `at ${ms.toFixed(3)} ms`);
    const { readyAt, startEnd } = app.graph.node(a).timings;
    const provider = dependsOn(app.graph, b, a);
    throw new Error(
      `expected ${a} to have started before ${b} began its start(), but ${a} ` +
        (provider ? `published what it provides ${at(readyAt ?? startEnd)}` : `finished starting ${at(startEnd)}`) +
        ` and ${b} began its start() ${at(app.graph.node(b).timings.startStart)} ` +
        `(start order: ${paths.join(' -> ')})`,
    );
  }
}

/**
 * The path of the component that provides `key` under `name`, or `undefined` if no component does
 * (it came from the context given to bootstrap, or from a `startTestApp` resource override). With
 * `consumer`, the provider that component's requirement resolved to (`undefined` if it resolved to
 * the context or to nothing); without it, throws if several components provide it (in different
 * isolated scopes).
 *
 * @example
 * expect(providerOf(app, Db)).toBe('root.db');
 * expect(providerOf(app, Db, 'replica', 'root.reports')).toBe('root.reports.db');
 */
export function providerOf<T>(app: HasGraph, key: ResourceKey<T>, name: string = DEFAULT_NAME, consumer?: string): string | undefined {
  const { graph } = app;
  if (consumer !== undefined) {
    graph.node(consumer);
    return graph.edges.find((e) => e.consumer === consumer && e.resource.key === key && e.resource.name === name)?.provider;
  }
  const providers = graph.providersOf(key, name);
  if (providers.length > 1) {
    throw new Error(
      `${describeKey(key)} '${name}' is provided by ${providers.map((p) => p.path).join(' and ')} (in different scopes); ` +
        `pass the consumer's path to get the provider it uses: providerOf(app, key, name, 'root.consumer')`,
    );
  }
  return providers[0]?.path;
}
