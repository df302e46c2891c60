import fc from 'fast-check';
import { bootstrap, Component, type Context, provides, requires, resolveGraph, silentLogger, token } from '../../lib';
import { buildSpec, buildTree, treeArb, type LogEntry } from '../lifecycle/random-tree';

const X = token<string>('X');
const Y = token<string>('Y');

/** root{a{a1}, b}: a publishes X in prepare(); b requires X and provides Y; a1 requires Y. */
function prepareTree() {
  @provides(X)
  class A extends Component {
    constructor() {
      super();
      this.addComponent('a1', A1);
    }
    override async prepare(ctx: Context): Promise<void> {
      ctx.addResource('x', { types: [X] });
    }
  }
  @requires(Y)
  class A1 extends Component {}
  @requires(X)
  @provides(Y)
  class B extends Component {
    override async start(ctx: Context): Promise<void> {
      ctx.addResource('y', { types: [Y] });
    }
  }
  class Root extends Component {
    constructor() {
      super();
      this.addComponent('a', A);
      this.addComponent('b', B);
    }
  }
  return Root;
}

describe('one start/stop graph', () => {
  it('regression: startOrder() and a pre-start criticalPath() order a tree whose provider publishes in prepare() (they threw ASPHALT_DEPENDENCY_CYCLE)', async () => {
    const { graph } = resolveGraph(prepareTree());
    expect(graph.startOrder()).toEqual([['root.b'], ['root.a.a1'], ['root.a'], ['root']]);
    expect(graph.criticalPath()).toEqual({ path: ['root.b', 'root.a.a1', 'root.a', 'root'], ms: 0 });
    const app = await bootstrap(prepareTree(), undefined, { logger: silentLogger });
    expect(app.graph.node('root.a.a1').timings.prepareStart).toBeGreaterThanOrEqual(app.graph.node('root.b').timings.readyAt!);
    await app.stop();
  });

  it('startOrder agrees with the order bootstrap starts components in, and stop is its mirror, over random trees with prepare-phase publishing', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb(10), async (draws) => {
        const spec = buildSpec(draws);
        const log: LogEntry[] = [];
        const { Root, config } = buildTree(spec, log);
        const { graph } = resolveGraph(Root, config);
        const level = new Map<string, number>();
        graph.startOrder().forEach((paths, i) => paths.forEach((path) => level.set(path, i)));
        const app = await bootstrap(Root, config, { logger: silentLogger });
        await app.stop();
        const at = (type: LogEntry['type'], path: string): number => log.findIndex((e) => e.type === type && 'path' in e && e.path === path);
        const stoppedAt = (path: string): number => log.findIndex((e) => e.type === 'teardown' && e.path === path && 'label' in e && e.label === 'prepare');
        for (const node of spec.nodes) {
          for (const provider of node.requires.map((i) => spec.nodes[i]!)) {
            // after its provider in the order (a provider publishing in prepare() orders only its
            // prepare step, so the consumer may finish first), started after the provider
            // published, stopped before it
            if (provider.publishIn === 'start') expect(level.get(provider.path)!).toBeLessThan(level.get(node.path)!);
            expect(at('published', provider.path)).toBeLessThan(at('prepare-begin', node.path));
            expect(stoppedAt(node.path)).toBeLessThan(stoppedAt(provider.path));
          }
          for (const child of node.children.map((i) => spec.nodes[i]!)) {
            expect(level.get(child.path)!).toBeLessThan(level.get(node.path)!);
            expect(at('start-end', child.path)).toBeLessThan(at('start-begin', node.path));
            expect(stoppedAt(child.path)).toBeLessThan(stoppedAt(node.path));
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
