import { ComponentGraph } from '../../lib/graph/component-graph';
import type { GraphEdge, GraphNode } from '../../lib/graph/graph-types';
import { token } from '../../lib/resources/token';

class Driver {}
class Mailer {}
const Db = token<Driver>('Db');

/** An object-literal node whose alias and parent follow from its dotted path. */
function node(path: string, type: string, fields: Partial<GraphNode> = {}): GraphNode {
  const dot = path.lastIndexOf('.');
  return {
    path,
    alias: path.slice(dot + 1),
    type,
    provides: [],
    requires: [],
    parent: dot < 0 ? undefined : path.slice(0, dot),
    children: [],
    isolated: false,
    scope: '',
    state: 'created',
    timings: {},
    ...fields,
  };
}

function edge(provider: string, consumer: string, key: GraphEdge['resource']['key'], optional = false): GraphEdge {
  return { provider, consumer, resource: { key, name: 'default' }, optional };
}

/**
 * app
 * ├── db (isolated) ── driver     driver (child of db) -> db -> mailer -> web, db -> web
 * ├── cache
 * ├── mailer
 * └── web
 */
function application(): ComponentGraph {
  return new ComponentGraph(
    [
      node('app', 'App', { children: ['app.db', 'app.cache', 'app.mailer', 'app.web'] }),
      node('app.db', 'Database', {
        isolated: true,
        children: ['app.db.driver'],
        provides: [{ key: Db, name: 'default' }],
      }),
      node('app.db.driver', 'DriverComponent', { scope: 'app.db', provides: [{ key: Driver, name: 'default' }] }),
      node('app.cache', 'Cache'),
      node('app.mailer', 'MailerComponent', {
        provides: [{ key: Mailer, name: 'default' }],
        requires: [{ key: Db, name: 'default', optional: false }],
      }),
      node('app.web', 'WebServer', {
        requires: [
          { key: Mailer, name: 'default', optional: false },
          { key: Db, name: 'default', optional: true },
        ],
      }),
    ],
    [
      edge('app.db', 'app.mailer', Db),
      edge('app.mailer', 'app.web', Mailer),
      edge('app.db', 'app.web', Db, true),
    ],
  );
}

describe('ComponentGraph', () => {
  it('indexes nodes by path in tree pre-order, root first', () => {
    const graph = application();

    expect([...graph.nodes.keys()]).toEqual(['app', 'app.db', 'app.db.driver', 'app.cache', 'app.mailer', 'app.web']);
    expect(graph.root.path).toBe('app');
  });

  it('names the closest paths when asked for a component that does not exist', () => {
    const graph = application();

    expect(() => graph.node('app.dbb')).toThrow(/No component at path 'app\.dbb'.*did you mean 'app\.db'/);
  });

  it('finds providers by key and name, and consumers and dependencies by edges', () => {
    const graph = application();
    const paths = (nodes: GraphNode[]): string[] => nodes.map((n) => n.path);

    expect(paths(graph.providersOf(Db))).toEqual(['app.db']);
    expect(paths(graph.providersOf(Db, 'replica'))).toEqual([]);
    expect(paths(graph.consumersOf('app.db'))).toEqual(['app.mailer', 'app.web']);
    expect(paths(graph.dependenciesOf('app.web'))).toEqual(['app.mailer', 'app.db']);
  });

  it('orders a component after its providers and after its children', () => {
    expect(application().startOrder()).toEqual([
      ['app.db.driver', 'app.cache'],
      ['app.db'],
      ['app.mailer'],
      ['app.web'],
      ['app'],
    ]);
  });

  it('orders a 10,000-deep chain of children without recursion', () => {
    const paths = Array.from({ length: 10_000 }, (_, i) => `link${i}`);
    const nodes = paths.map((path, i) =>
      node(path, 'Link', { parent: paths[i - 1], children: i + 1 < paths.length ? [paths[i + 1]!] : [] }),
    );
    const graph = new ComponentGraph(nodes, []);

    const order = graph.startOrder();

    expect(order).toHaveLength(10_000);
    expect(order[0]).toEqual(['link9999']);
    expect(order[9_999]).toEqual(['link0']);
    expect(graph.criticalPath().path).toHaveLength(10_000);
    expect(graph.toMermaid().split('\n')).toHaveLength(1 + 10_000 + 9_999 + 1);
  });

  it('refuses to order a graph with a cycle and names the components on it', () => {
    const graph = new ComponentGraph(
      [
        node('app', 'App', { children: ['app.a', 'app.b'] }),
        node('app.a', 'A', { requires: [{ key: Mailer, name: 'default', optional: false }] }),
        node('app.b', 'B', { provides: [{ key: Mailer, name: 'default' }] }),
      ],
      [edge('app.b', 'app.a', Mailer), edge('app.a', 'app.b', Driver)],
    );

    const error = (() => {
      try {
        graph.startOrder();
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toMatchObject({ code: 'ASPHALT_DEPENDENCY_CYCLE', cycle: ['app.a', 'app.b', 'app.a'] });
    expect(String(error)).toContain('app.a -> app.b -> app.a');
  });

  it('lets a child use what its parent publishes in prepare() without calling it a cycle', () => {
    const graph = new ComponentGraph(
      [
        node('app', 'App', { children: ['app.web'], provides: [{ key: Db, name: 'default' }] }),
        node('app.web', 'WebServer', { requires: [{ key: Db, name: 'default', optional: false }] }),
      ],
      [{ ...edge('app', 'app.web', Db), publishedIn: 'prepare' }],
    );

    expect(graph.startOrder()).toEqual([['app.web'], ['app']]);
  });

  it('gives the longest chain with 0 ms as the critical path before anything started', () => {
    expect(application().criticalPath()).toEqual({
      path: ['app.db.driver', 'app.db', 'app.mailer', 'app.web', 'app'],
      ms: 0,
    });
  });

  it('follows the dependency that finished last back from the component that finished last', () => {
    const graph = application();
    Object.assign(graph.node('app.db.driver').timings, { waitStart: 0, prepareStart: 0, startStart: 0, startEnd: 30 });
    Object.assign(graph.node('app.cache').timings, { waitStart: 0, prepareStart: 0, startStart: 0, startEnd: 80 });
    Object.assign(graph.node('app.db').timings, { waitStart: 0, prepareStart: 30, startStart: 30, startEnd: 50 });
    Object.assign(graph.node('app.mailer').timings, { waitStart: 0, prepareStart: 50, startStart: 50, startEnd: 70 });
    Object.assign(graph.node('app.web').timings, { waitStart: 0, prepareStart: 70, startStart: 70, startEnd: 100 });
    Object.assign(graph.node('app').timings, { waitStart: 0, prepareStart: 0, startStart: 100, startEnd: 110 });

    expect(graph.criticalPath()).toEqual({ path: ['app.db.driver', 'app.db', 'app.mailer', 'app.web', 'app'], ms: 110 });
  });

  it('skips a provider that was still starting when the consumer went on', () => {
    const graph = application();
    Object.assign(graph.node('app.db.driver').timings, { prepareStart: 0, startStart: 0, startEnd: 30 });
    Object.assign(graph.node('app.cache').timings, { prepareStart: 0, startStart: 0, startEnd: 5 });
    Object.assign(graph.node('app.db').timings, { prepareStart: 30, startStart: 30, startEnd: 50 });
    Object.assign(graph.node('app.mailer').timings, { prepareStart: 50, startStart: 50, startEnd: 80 });
    Object.assign(graph.node('app.web').timings, { prepareStart: 55, startStart: 55, startEnd: 100 });
    Object.assign(graph.node('app').timings, { prepareStart: 0, startStart: 100, startEnd: 105 });

    expect(graph.criticalPath()).toEqual({ path: ['app.db.driver', 'app.db', 'app.web', 'app'], ms: 105 });
    graph.node('app.mailer').timings.startEnd = 52;
    expect(graph.criticalPath().path).toEqual(['app.db.driver', 'app.db', 'app.mailer', 'app.web', 'app']);
  });

  it('turns into plain JSON with keys described as strings, and survives a round trip', () => {
    const graph = application();
    graph.node('app.web').timings.startEnd = 12;

    const json = graph.toJSON();

    expect(JSON.parse(JSON.stringify(json))).toStrictEqual(json);
    expect(json.nodes[0]).toMatchObject({ path: 'app', parent: null, children: ['app.db', 'app.cache', 'app.mailer', 'app.web'] });
    expect(json.nodes.find((n) => n.path === 'app.web')).toEqual({
      path: 'app.web',
      alias: 'web',
      type: 'WebServer',
      state: 'created',
      isolated: false,
      scope: '',
      parent: 'app',
      children: [],
      stopAfter: [],
      provides: [],
      requires: [
        { key: 'Mailer', name: 'default', optional: false },
        { key: 'token(Db)', name: 'default', optional: true },
      ],
      timings: { startEnd: 12 },
    });
    expect(json.edges).toContainEqual({ provider: 'app.db', consumer: 'app.web', key: 'token(Db)', name: 'default', optional: true });
  });
});

describe('drawing the graph', () => {
  /** app ── db (isolated) ── pool: pool gives Driver to db, db gives token(Db) to app. */
  function small(): ComponentGraph {
    return new ComponentGraph(
      [
        node('app', 'App', { children: ['app.db'], requires: [{ key: Db, name: 'default', optional: false }] }),
        node('app.db', 'Database', { isolated: true, children: ['app.db.pool'], provides: [{ key: Db, name: 'default' }] }),
        node('app.db.pool', 'Pool', { scope: 'app.db', provides: [{ key: Driver, name: 'main' }] }),
      ],
      [
        { provider: 'app.db.pool', consumer: 'app.db', resource: { key: Driver, name: 'main' }, optional: false },
        edge('app.db', 'app', Db),
      ],
    );
  }

  it('draws a Mermaid flowchart with a subgraph for the isolated scope', () => {
    const lines = small().toMermaid().split('\n');

    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toEqual(
      expect.arrayContaining([
        '  n_app["app<br/>App"]',
        '  subgraph s_n_app_db["app.db (isolated)"]',
        '    n_app_db["db<br/>Database"]',
        '    n_app_db_pool["pool<br/>Pool"]',
        '  end',
        `  n_app_db_pool -->|"Driver 'main'"| n_app_db`,
        `  n_app_db -->|"token(Db) 'default'"| n_app`,
        '  n_app_db -.-> n_app',
        '  n_app_db_pool -.-> n_app_db',
      ]),
    );
    expect(lines.indexOf('    n_app_db_pool["pool<br/>Pool"]')).toBe(lines.indexOf('  end') - 1);
  });

  it('draws a Graphviz digraph with a cluster for the isolated scope', () => {
    const lines = small().toDot().split('\n');

    expect(lines.slice(0, 2)).toEqual(['digraph asphalt {', '  rankdir=LR;']);
    expect(lines).toEqual(
      expect.arrayContaining([
        '  "app" [label="app\\nApp"];',
        '  subgraph "cluster_app.db" {',
        '    label="app.db (isolated)";',
        '    "app.db" [label="db\\nDatabase"];',
        '    "app.db.pool" [label="pool\\nPool"];',
        '  }',
        `  "app.db.pool" -> "app.db" [label="Driver 'main'"];`,
        `  "app.db" -> "app" [label="token(Db) 'default'"];`,
        '  "app.db" -> "app" [style=dotted, arrowhead=empty];',
      ]),
    );
    expect(lines.at(-2)).toBe('}');
  });

  it('draws the same text every time', () => {
    expect(small().toMermaid()).toBe(small().toMermaid());
    expect(small().toDot()).toBe(small().toDot());
  });

  it('colours components by state once they have one', () => {
    const graph = small();
    graph.node('app.db').state = 'started';
    graph.node('app.db.pool').state = 'started';
    graph.node('app').state = 'starting children';

    expect(graph.toMermaid()).toContain('  class n_app_db,n_app_db_pool started\n');
    expect(graph.toMermaid()).toContain('  class n_app starting_children\n');
    expect(graph.toDot()).toContain('"app.db" [label="db\\nDatabase", style="rounded,filled", fillcolor="#d1e7dd"];');
  });

  it('escapes quotes and brackets in labels and keeps node ids distinct', () => {
    const graph = new ComponentGraph(
      [
        node('app', 'pkg:App["x"]', { children: ['app.a_b', 'app.a/b'] }),
        node('app.a_b', 'A'),
        node('app.a/b', 'B\\C'),
      ],
      [edge('app.a_b', 'app', class {}, true)],
    );

    const mermaid = graph.toMermaid();
    const dot = graph.toDot();

    expect(mermaid).toContain('  n_app["app<br/>pkg:App#91;#34;x#34;#93;"]');
    expect(mermaid).toContain('  n_app_a_b_2["a/b<br/>B#92;C"]');
    expect(mermaid).toContain(`  n_app_a_b -->|"#60;anonymous class#62; 'default' (optional)"| n_app`);
    expect(dot).toContain('  "app" [label="app\\npkg:App[\\"x\\"]"];');
    expect(dot).toContain('  "app.a/b" [label="a/b\\nB\\\\C"];');
    expect(dot).toContain(`  "app.a_b" -> "app" [label="<anonymous class> 'default' (optional)", style=dashed];`);
  });
});
