import fc from 'fast-check';
import { buildSpec, buildTree, treeArb, type LogEntry, type TreeSpec } from '../lifecycle/random-tree';
import {
  bootstrap,
  Component,
  component,
  ComponentGraph,
  ComponentStartError,
  ConfigError,
  type ComponentType,
  type Context,
  DecoratorError,
  DependencyCycleError,
  GraphError,
  type GraphNode,
  provides,
  requires,
  resolveGraph,
  Signal,
  silentLogger,
  StopAfterError,
  token,
} from '../../lib';

const Events = token<Signal<string>>('Events');

class Http extends Component {}
class Mail extends Component {}

@component({ stopAfter: ['http'] })
class Notifier extends Component {}

/** A root with these children (aliases in order). */
function tree(children: Record<string, ComponentType>): ComponentType {
  return class Root extends Component {
    constructor() {
      super();
      for (const [alias, type] of Object.entries(children)) this.addComponent(alias, type);
    }
  };
}

function graphError(fn: () => unknown): GraphError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphError);
    return error as GraphError;
  }
  throw new Error('expected a GraphError');
}

describe('stopAfter in the graph', () => {
  it('resolves a sibling name to its path, and orders the component first in startOrder()', () => {
    const { graph } = resolveGraph(tree({ http: Http, notifier: Notifier }));
    expect(graph.node('root.notifier').stopAfter).toEqual(['root.http']);
    expect(graph.node('root.http').stopAfter).toBeUndefined();
    // Without stopAfter both would be on level 0; with it the notifier is up before http prepares.
    expect(graph.startOrder()).toEqual([['root.notifier'], ['root.http'], ['root']]);
    expect(graph.criticalPath()).toEqual({ path: ['root.notifier', 'root.http', 'root'], ms: 0 });
  });

  it('takes names relative to the parent, with dots going down into a sibling’s children, each once', () => {
    @component({ stopAfter: ['web.http', 'web.http', 'mail'] })
    class Watcher extends Component {}
    const { graph } = resolveGraph(tree({ web: tree({ http: Http }), mail: Mail, watcher: Watcher }));
    expect(graph.node('root.watcher').stopAfter).toEqual(['root.web.http', 'root.mail']);
  });

  it('reads stopAfter from config, which replaces the list of @component', () => {
    const { graph } = resolveGraph(tree({ http: Http, mail: Mail, notifier: Notifier }), { components: { notifier: { stopAfter: ['mail'] } } });
    expect(graph.node('root.notifier').stopAfter).toEqual(['root.mail']);
    const none = resolveGraph(tree({ http: Http, notifier: Notifier }), { components: { notifier: { stopAfter: [] } } });
    expect(none.graph.node('root.notifier').stopAfter).toBeUndefined();
    // A component without stopAfter of its own gets it from config, as a framework key (not its config's).
    const fromYaml = resolveGraph(tree({ http: Http, mail: Mail }), { components: { mail: { stopAfter: ['http'] } } });
    expect(fromYaml.graph.node('root.mail').stopAfter).toEqual(['root.http']);
  });

  it('refuses a config value that is not a list of names, with its config path', () => {
    const error = graphError(() => resolveGraph(tree({ http: Http, mail: Mail }), { components: { mail: { stopAfter: 'http' } } }));
    const problem = error.problems[0] as ConfigError;
    expect(problem).toBeInstanceOf(ConfigError);
    expect(problem.issues[0]).toMatchObject({ path: 'components.mail.stopAfter' });
    expect(problem.message).toContain("expected a list of component names relative to the parent, e.g. ['http'], got \"http\"");
  });

  it('refuses an unknown name with a StopAfterError naming the component, the name, where it was set and the close name', () => {
    @component({ stopAfter: ['htp'] })
    class Typo extends Component {}
    const error = graphError(() => resolveGraph(tree({ http: Http, typo: Typo })));
    const problem = error.problems[0] as StopAfterError;
    expect(problem).toBeInstanceOf(StopAfterError);
    expect(problem.code).toBe('ASPHALT_STOP_AFTER');
    expect(problem).toMatchObject({ path: 'root.typo', target: 'htp' });
    expect(problem.message).toBe(
      "component root.typo: stopAfter 'htp' (from @component({ stopAfter }) of Typo) names no component: root has no child 'htp'; " +
        "did you mean 'http'? Its children: http, typo. Names are relative to the parent root, as in its components: " +
        "('api.http' is the child http of the sibling api)",
    );
  });

  it('names the config path of a stopAfter from config in its error, and bootstrap reports the component', async () => {
    const error = graphError(() => resolveGraph(tree({ http: Http, mail: Mail }), { components: { mail: { stopAfter: ['web.http'] } } }));
    expect(error.message).toContain("component root.mail: stopAfter 'web.http' (from components.mail.stopAfter) names no component: root has no child 'web'");
    const started = bootstrap(tree({ http: Http, mail: Mail }), { components: { mail: { stopAfter: ['nope'] } } }, { logger: silentLogger });
    await expect(started).rejects.toBeInstanceOf(ComponentStartError);
    await expect(started).rejects.toMatchObject({ path: 'root.mail', phase: 'resolve' });
  });

  it('refuses itself, its own descendants and a stopAfter on the root', () => {
    @component({ stopAfter: ['self'] })
    class Self extends Component {}
    @component({ stopAfter: ['deep.inner'] })
    class Deep extends Component {
      constructor() {
        super();
        this.addComponent('inner', Mail);
      }
    }
    const error = graphError(() => resolveGraph(tree({ self: Self, deep: Deep })));
    const messages = error.problems.map((p) => [p.constructor.name, p.message]);
    expect(messages).toEqual([
      ['StopAfterError', "component root.self: stopAfter 'self' (from @component({ stopAfter }) of Self) names the component itself; name the sibling it must outlive"],
      ['StopAfterError', expect.stringContaining("component root.deep: stopAfter 'deep.inner' (from @component({ stopAfter }) of Deep) names its own descendant root.deep.inner")],
    ]);
    const root = graphError(() => resolveGraph(Notifier));
    expect(root.problems[0]!.message).toContain('is set on the root component, which has no siblings to stop after');
  });

  it('refuses a stopAfter that contradicts the dependency order with a DependencyCycleError naming both components', () => {
    // The notifier subscribes to a signal the http component provides: it must stop before http.
    @provides(Events)
    class EventfulHttp extends Component {
      override async start(ctx: Context) {
        ctx.addResource(new Signal<string>(), { types: [Events] });
      }
    }
    @requires(Events)
    @component({ stopAfter: ['http'] })
    class Listener extends Component {}
    const error = graphError(() => resolveGraph(tree({ http: EventfulHttp, notifier: Listener })));
    expect(error.problems).toHaveLength(1);
    const cycle = error.problems[0] as DependencyCycleError;
    expect(cycle).toBeInstanceOf(DependencyCycleError);
    expect(cycle.cycle).toEqual(['root.http', 'root.notifier', 'root.http']);
    expect(cycle.message).toContain('root.notifier stops after root.http (its stopAfter), so it starts before root.http prepares');
    expect(cycle.message).toContain("root.notifier requires token(Events) 'default' from root.http, published in start()");
  });

  it('draws the edge, labelled "stops after", in Mermaid, DOT and JSON', () => {
    const { graph } = resolveGraph(tree({ http: Http, notifier: Notifier }));
    expect(graph.toMermaid()).toContain('  n_root_notifier -.->|"stops after"| n_root_http\n');
    expect(graph.toDot()).toContain('  "root.notifier" -> "root.http" [label="stops after", style=dotted];\n');
    const json = graph.toJSON();
    expect(json.nodes.find((n) => n.path === 'root.notifier')!.stopAfter).toEqual(['root.http']);
    expect(json.nodes.find((n) => n.path === 'root.http')!.stopAfter).toEqual([]);
  });

  it('is checked by a hand-built ComponentGraph: an unknown path is refused, a cycle has no start order', () => {
    const node = (path: string, parent: string | undefined, children: string[], stopAfter?: string[]): GraphNode => ({
      path,
      alias: path.split('.').pop()!,
      type: 'T',
      provides: [],
      requires: [],
      parent,
      children,
      isolated: false,
      scope: '',
      stopAfter,
      state: 'created',
      timings: {},
    });
    expect(() => new ComponentGraph([node('app', undefined, ['app.a'], undefined), node('app.a', 'app', [], ['app.b'])], [])).toThrow(
      "ComponentGraph: the stopAfter of 'app.a' 'app.b' is not among the graph's components",
    );
    const looped = new ComponentGraph([node('app', undefined, ['app.a', 'app.b']), node('app.a', 'app', [], ['app.b']), node('app.b', 'app', [], ['app.a'])], []);
    expect(() => looped.startOrder()).toThrow(DependencyCycleError);
    expect(() => looped.startOrder()).toThrow('app.a stops after app.b (its stopAfter), so it starts before app.b prepares');
  });

  it('@component refuses a stopAfter that is not a list of names', () => {
    expect(() => component({ stopAfter: 'http' as unknown as string[] })).toThrow(DecoratorError);
    expect(() => component({ stopAfter: ['root/../http'] })).toThrow(
      "@component({ stopAfter }): expected component names relative to the parent (aliases as in 'components:', joined by dots for a sibling's child: 'api.http'), got \"root/../http\"",
    );
    expect(() => component({ stopAfter: ['db/replica', 'web.http'] })).not.toThrow();
  });
});

/**
 * Sibling pairs [a, b] (a stops after b) from the seeds, kept only when the edge "a started before
 * b prepares" closes no cycle with the tree's own order (the same rules as buildSpec).
 */
function stopAfterPairs(spec: TreeSpec, seeds: readonly [number, number][]): [number, number][] {
  const n = spec.nodes.length;
  const successors: number[][] = Array.from({ length: 2 * n }, () => []);
  for (const node of spec.nodes) {
    successors[2 * node.index]!.push(2 * node.index + 1);
    if (node.parent !== undefined) {
      successors[2 * node.parent]!.push(2 * node.index);
      successors[2 * node.index + 1]!.push(2 * node.parent + 1);
    }
    for (const provider of node.requires) {
      const p = spec.nodes[provider]!;
      successors[p.publishIn === 'prepare' ? 2 * provider : 2 * provider + 1]!.push(2 * node.index);
    }
  }
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>();
    for (const stack = [from]; stack.length > 0; ) {
      const id = stack.pop()!;
      if (id === to) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...successors[id]!);
    }
    return false;
  };
  const pairs: [number, number][] = [];
  for (const [x, y] of seeds) {
    const a = spec.nodes[x % n]!;
    if (a.parent === undefined) continue;
    const siblings = spec.nodes[a.parent]!.children.filter((c) => c !== a.index);
    if (siblings.length === 0) continue;
    const b = spec.nodes[siblings[y % siblings.length]!]!;
    if (pairs.some(([p, q]) => p === a.index && q === b.index)) continue;
    if (reaches(2 * b.index, 2 * a.index + 1)) continue; // would be a cycle
    successors[2 * a.index + 1]!.push(2 * b.index);
    pairs.push([a.index, b.index]);
  }
  return pairs;
}

/** Sets `stopAfter` of the node at `path` in the nested `components:` config. */
function setStopAfter(config: Record<string, unknown>, spec: TreeSpec, index: number, names: string[]): void {
  const chain: number[] = [];
  for (let i: number | undefined = index; i !== undefined && i !== 0; i = spec.nodes[i]!.parent) chain.unshift(i);
  let at = config;
  for (const i of chain) {
    const components = (at.components ??= {}) as Record<string, Record<string, unknown>>;
    at = components[spec.nodes[i]!.alias] ??= {};
  }
  at.stopAfter = names;
}

describe('stopAfter over random trees', () => {
  it('starts a component before each sibling it stops after has prepared, and stops it only once that sibling has stopped', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb(10), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }), async (draws, seeds) => {
        const spec = buildSpec(draws);
        const log: LogEntry[] = [];
        const { Root, config } = buildTree(spec, log);
        const pairs = stopAfterPairs(spec, seeds);
        const named = new Map<number, string[]>();
        for (const [a, b] of pairs) named.set(a, [...(named.get(a) ?? []), spec.nodes[b]!.alias]);
        for (const [a, names] of named) setStopAfter(config, spec, a, names);

        const { graph } = resolveGraph(Root, config);
        const level = new Map<string, number>();
        graph.startOrder().forEach((paths, i) => paths.forEach((path) => level.set(path, i)));
        const app = await bootstrap(Root, config, { logger: silentLogger });
        await app.stop();
        const at = (type: LogEntry['type'], path: string): number => log.findIndex((e) => e.type === type && 'path' in e && e.path === path);
        const stoppedAt = (path: string): number => log.findIndex((e) => e.type === 'teardown' && e.path === path && 'label' in e && e.label === 'prepare');
        const firstTeardown = (path: string): number => log.findIndex((e) => e.type === 'teardown' && e.path === path);
        for (const [ai, bi] of pairs) {
          const a = spec.nodes[ai]!.path;
          const b = spec.nodes[bi]!.path;
          expect(graph.node(a).stopAfter).toContain(b);
          expect(level.get(a)!).toBeLessThan(level.get(b)!);
          expect(at('start-end', a)).toBeLessThan(at('prepare-begin', b));
          expect(stoppedAt(b)).toBeGreaterThanOrEqual(0);
          expect(stoppedAt(b)).toBeLessThan(firstTeardown(a));
        }
      }),
      { numRuns: 150 },
    );
  });
});
