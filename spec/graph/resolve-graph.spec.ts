import { IsInt } from 'class-validator';
import {
  bootstrap,
  Component,
  component,
  type ComponentType,
  type Context,
  Context as Ctx,
  GraphError,
  provides,
  requires,
  resolveGraph,
  silentLogger,
  token,
} from '../../lib';
import { Greeting } from './fixtures/exported-component';

const A = token<string>('A');
const B = token<string>('B');
const C = token<string>('C');

function problems(fn: () => unknown): GraphError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphError);
    return error as GraphError;
  }
  throw new Error('expected a GraphError');
}

/** A component class providing `provided` and requiring `required`, publishing in start(). */
function make(name: string, provided: typeof A[], required: typeof A[]) {
  class Made extends Component {
    override async start(ctx: Context) {
      for (const key of provided) ctx.addResource(name, { types: [key] });
    }
  }
  Object.defineProperty(Made, 'name', { value: name });
  for (const key of provided) provides(key)(Made);
  for (const key of required) requires(key)(Made);
  return Made;
}

function tree(children: Record<string, ComponentType>) {
  return class Root extends Component {
    constructor() {
      super();
      for (const [alias, type] of Object.entries(children)) this.addComponent(alias, type);
    }
  };
}

describe('resolveGraph', () => {
  it('builds the graph without starting anything', () => {
    const started: string[] = [];
    class Watched extends Component {
      override async start() {
        started.push('x');
      }
    }
    const { graph } = resolveGraph(tree({ a: make('PA', [A], []), b: make('PB', [], [A]), w: Watched }));
    expect(started).toEqual([]);
    expect(graph.edges.map((e) => `${e.provider} -> ${e.consumer}`)).toEqual(['root.a -> root.b']);
    expect(graph.startOrder()).toEqual([['root.a', 'root.w'], ['root.b'], ['root']]);
  });

  it('reports a cycle as a path with the reason of each step', () => {
    const error = problems(() => resolveGraph(tree({ a: make('PA', [A], [B]), b: make('PB', [B], [A]) })));
    const cycle = error.problems.find((p) => p.code === 'ASPHALT_DEPENDENCY_CYCLE')!;
    expect(cycle.message).toContain('dependency cycle: root.a -> root.b -> root.a');
    expect(cycle.message).toContain("root.b requires token(A) 'default' from root.a, published in start()");
    expect((cycle as unknown as { cycle: string[] }).cycle).toEqual(['root.a', 'root.b', 'root.a']);
  });

  it('finds a cycle through parent and child phases and says to publish in prepare()', () => {
    class Child extends Component {}
    requires(A)(Child);
    @provides(A)
    class Parent extends Component {
      constructor() {
        super();
        this.addComponent('child', Child);
      }
      override async start(ctx: Context) {
        ctx.addResource('a', { types: [A] });
      }
    }
    const error = problems(() => resolveGraph(tree({ parent: Parent })));
    expect(error.message).toContain('dependency cycle: root.parent.child -> root.parent -> root.parent.child');
    expect(error.message).toContain('publish it in prepare() instead');
  });

  it('accepts a parent that publishes in prepare() what its child requires', async () => {
    class Child extends Component {
      @requires(A) a!: string;
      override async start() {
        expect(this.a).toBe('from prepare');
      }
    }
    @provides(A)
    class Parent extends Component {
      constructor() {
        super();
        this.addComponent('child', Child);
      }
      override async prepare(ctx: Context) {
        ctx.addResource('from prepare', { types: [A] });
      }
    }
    const app = await bootstrap(tree({ parent: Parent }), {}, { logger: silentLogger });
    await app.stop();
  });

  it('reports a missing provider with the scopes searched and the names that exist', () => {
    const Replica = make('Replica', [], []);
    provides(C, { name: 'replica' })(Replica);
    const Consumer = make('Consumer', [], [C]);
    const missing = problems(() => resolveGraph(tree({ consumer: Consumer, replica: Replica }))).problems[0]!;
    expect(missing.code).toBe('ASPHALT_MISSING_PROVIDER');
    expect(missing.message).toContain("root.consumer requires token(C) 'default', but nothing provides it");
    expect(missing.message).toContain('looked in the root scope');
    expect(missing.message).toContain("token(C) is provided as 'replica' by root.replica");
  });

  it('counts a resource already in the bootstrap context as provided', () => {
    const context = new Ctx();
    context.addResource('external', { types: [C] });
    const { providers, records } = resolveGraph(tree({ consumer: make('Consumer', [], [C]) }), {}, { context });
    expect(providers.get(records[1]!)).toEqual(['context']);
  });

  it('reports an ambiguous provider naming both', () => {
    const error = problems(() => resolveGraph(tree({ x: make('X', [A], []), y: make('Y', [A], []) })));
    expect(error.problems[0]!.code).toBe('ASPHALT_AMBIGUOUS_PROVIDER');
    expect(error.message).toContain("token(A) 'default' is provided by root.x and root.y in the root scope");
  });

  it('reports every kind of problem at once', () => {
    class Conf {
      @IsInt() n = 1;
    }
    @component()
    class Configured extends Component {
      constructor(readonly config: Conf) {
        super();
      }
    }
    class Throws extends Component {
      constructor() {
        super();
        throw new Error('constructor exploded');
      }
    }
    const error = problems(() =>
      resolveGraph(
        tree({
          a: make('PA', [A], [B]),
          b: make('PB', [B], [A]),
          lonely: make('Lonely', [], [C]),
          x: make('X', [B], []),
          conf: Configured,
          throws: Throws,
          unknown: 'nope',
        }),
        { components: { conf: { n: 'one' } } },
      ),
    );
    const codes = new Set(error.problems.map((p) => p.code));
    expect([...codes].sort()).toEqual([
      'ASPHALT_AMBIGUOUS_PROVIDER',
      'ASPHALT_COMPONENT_CONSTRUCTION',
      'ASPHALT_COMPONENT_TYPE',
      'ASPHALT_CONFIG',
      'ASPHALT_DEPENDENCY_CYCLE',
      'ASPHALT_MISSING_PROVIDER',
    ]);
    expect(error.message).toContain('constructor exploded');
    expect(error.message).toContain('components.conf.n');
    expect(error.message).toContain("unknown component type 'nope'");
  });

  it('keeps the message readable for 10,000 components with problems', () => {
    const Consumer = make('Consumer', [], [C]);
    class Big extends Component {
      constructor() {
        super();
        for (let i = 0; i < 10_000; i++) this.addComponent(`c${i}`, Consumer);
      }
    }
    const error = problems(() => resolveGraph(Big));
    expect(error.problems).toHaveLength(10_000);
    expect(error.message.split('\n').length).toBeLessThan(40);
    expect(error.message).toContain('... and 9980 more ASPHALT_MISSING_PROVIDER problem(s)');
  });

  it('loads "module:Export" types relative to basedir, and explains a missing export or module', async () => {
    const Consumer = make('Consumer', [], [Greeting]);
    const app = await bootstrap(
      tree({ consumer: Consumer }),
      { components: { greeting: { type: './fixtures/exported-component:GreetingComponent' } } },
      { basedir: __dirname, logger: silentLogger },
    );
    expect(app.context.getResourceNowait(Greeting)).toBe('hello');
    await app.stop();
    const error = problems(() =>
      resolveGraph(tree({}), {
        components: {
          a: { type: './fixtures/exported-component:Nope' },
          b: { type: './fixtures/missing-module:X' },
          c: { type: './fixtures/exported-component:notAComponent' },
        },
      }, { basedir: __dirname }),
    );
    expect(error.message).toContain("module './fixtures/exported-component' has no export 'Nope'; it exports: GreetingComponent");
    expect(error.message).toContain("cannot load module './fixtures/missing-module'");
    expect(error.message).toContain("export 'notAComponent' of module './fixtures/exported-component' is not a component class");
  });
});
