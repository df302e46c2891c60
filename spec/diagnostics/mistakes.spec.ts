import { join } from 'node:path';
import {
  bootstrap,
  Component,
  ComponentStartError,
  ComponentTypeError,
  GraphError,
  provides,
  registerComponentType,
  requires,
  resolveGraph,
  Signal,
  silentLogger,
  token,
} from '../../lib';
import { thrown } from '../support/thrown';

const Db = token<string>('Db');


async function rejected(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

class Leaf extends Component {}

describe('a duplicate child alias', () => {
  it('names the parent component, its path and the alias', () => {
    class Twice extends Component {
      constructor() {
        super();
        this.addComponent('db', Leaf);
        this.addComponent('db', Leaf);
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('app', Twice);
      }
    }
    const error = thrown(() => resolveGraph(Root)) as GraphError;
    expect(error).toBeInstanceOf(GraphError);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toBeInstanceOf(ComponentTypeError);
    expect(error.message).toMatch(/^component root\.app \(Twice\): addComponent: a child named 'db' was already added/);
  });

  it('names the class when the component is constructed outside a tree', () => {
    class Twice extends Component {}
    const twice = new Twice();
    twice.addComponent('db', Leaf);
    expect(thrown(() => twice.addComponent('db', Leaf)).message).toMatch(/^component Twice: addComponent: a child named 'db'/);
  });
});

describe('addComponent after the tree was built', () => {
  it.each(['start', 'prepare'] as const)('fails from %s(), naming the component and where children are added', async (phase) => {
    class Late extends Component {
      override async prepare(): Promise<void> {
        if (phase === 'prepare') this.addComponent('cache', Leaf);
      }
      override async start(): Promise<void> {
        if (phase === 'start') this.addComponent('cache', Leaf);
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('late', Late);
      }
    }
    const error = (await rejected(bootstrap(Root, {}, { logger: silentLogger }))) as ComponentStartError;
    expect(error).toBeInstanceOf(ComponentStartError);
    expect(error.path).toBe('root.late');
    expect(error.phase).toBe(phase);
    expect(error.message).toContain("component root.late (Late): addComponent('cache') was called after the component tree was built");
    expect(error.message).toContain('add children in the constructor, or from config (components: { cache: { type: ... } })');
  });

  it('still lets the constructor add children', async () => {
    class Parent extends Component {
      constructor() {
        super();
        this.addComponent('child', Leaf);
      }
    }
    const app = await bootstrap(Parent, {}, { logger: silentLogger });
    expect([...app.graph.nodes.keys()]).toEqual(['root', 'root.child']);
    await app.stop();
  });
});

describe('a typo in a required name', () => {
  it("puts the did-you-mean first: did you mean 'primary'? root.db provides it", () => {
    @provides(Db, { name: 'primary' })
    class DbComponent extends Component {}
    @requires(Db, { name: 'primray' })
    class App extends Component {}
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', DbComponent);
        this.addComponent('app', App);
      }
    }
    const error = thrown(() => resolveGraph(Root)) as GraphError;
    expect(error.message).toMatch(/^root\.app requires token\(Db\) 'primray': did you mean 'primary'\? root\.db provides it\./);
  });

  it('gives no guess for a name far from every provided one', () => {
    @provides(Db, { name: 'primary' })
    class DbComponent extends Component {}
    @requires(Db, { name: 'analytics' })
    class App extends Component {}
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', DbComponent);
        this.addComponent('app', App);
      }
    }
    const error = thrown(() => resolveGraph(Root)) as GraphError;
    expect(error.message).not.toContain('did you mean');
    expect(error.message).toMatch(/^root\.app requires token\(Db\) 'analytics', but nothing provides it/);
  });
});

describe('an unknown component type one edit away from a known one', () => {
  it("suggests the registered type name ('postgress' -> 'postgres')", () => {
    registerComponentType('postgres', Leaf);
    const error = thrown(() => resolveGraph('container', { components: { db: { type: 'postgress' } } }));
    expect(error.message).toContain("unknown component type 'postgress' (did you mean 'postgres'?)");
  });

  it("suggests the export of the module ('PostgresComponnet' -> 'PostgresComponent')", () => {
    const module = join(__dirname, 'fixtures', 'postgres');
    const error = thrown(() => resolveGraph('container', { components: { db: { type: `${module}:PostgresComponnet` } } }));
    expect(error.message).toContain(`has no export 'PostgresComponnet' (did you mean '${module}:PostgresComponent'?)`);
  });
});

describe('one problem is printed once', () => {
  it('a GraphError with one problem is that problem, first, without the grouped headers', () => {
    @requires(Db)
    class App extends Component {}
    const error = thrown(() => resolveGraph(App)) as GraphError;
    expect(error.problems).toHaveLength(1);
    expect(error.message.startsWith(error.problems[0]!.message)).toBe(true);
    expect(error.message).not.toContain('problem(s)');
    expect(error.message).not.toContain('ASPHALT_MISSING_PROVIDER (1)');
  });

  it('a ConfigError with one issue is one line', async () => {
    class Config {
      port = 1;
    }
    class WithConfig extends Component {
      constructor(readonly config: Config) {
        super();
      }
    }
    Reflect.defineMetadata('design:paramtypes', [Config], WithConfig);
    const error = (await rejected(bootstrap(WithConfig, { prot: 2 }, { logger: silentLogger }))) as ComponentStartError;
    expect(error.message.split('\n')[0]).toMatch(/^invalid configuration: prot: unknown option; did you mean 'port'\?/);
  });

  it('several problems keep the grouped report', () => {
    @requires(Db)
    class A extends Component {}
    @requires(Db, { name: 'other' })
    class B extends Component {}
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('a', A);
        this.addComponent('b', B);
      }
    }
    const error = thrown(() => resolveGraph(Root)) as GraphError;
    expect(error.message).toMatch(/^the component tree has 2 problem\(s\)/);
    expect(error.message).toContain('ASPHALT_MISSING_PROVIDER (2)');
  });
});

/**
 * Records what reaches the real `process.emitWarning` (which jest does not replace): each call's
 * first argument, and whether Node accepted it.
 */
function recordWarnings(): { accepted: unknown[]; refused: unknown[]; restore: () => void } {
  const real = process.emitWarning;
  const accepted: unknown[] = [];
  const refused: unknown[] = [];
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(function (this: NodeJS.Process, ...args: Parameters<typeof real>) {
    try {
      (real as (...a: unknown[]) => void).apply(process, args);
    } catch (error) {
      refused.push(args[0]);
      throw error;
    }
    accepted.push(args[0]);
  } as typeof real);
  const quiet = (): void => undefined;
  process.on('warning', quiet);
  return {
    accepted,
    refused,
    restore: () => {
      spy.mockRestore();
      process.off('warning', quiet);
    },
  };
}

const text = (warning: unknown): string => (typeof warning === 'string' ? warning : (warning as Error).message);

describe("Signal listeners that throw inside jest (another realm than Node's)", () => {
  it('keep the dispatch going and report each failure as a process warning', () => {
    const signal = new Signal<number>({ name: 'spec.realm' });
    const received: number[] = [];
    signal.connect(() => {
      throw new Error('listener broke');
    });
    signal.connect((n) => void received.push(n));
    const warnings = recordWarnings();
    try {
      expect(() => signal.dispatch(1)).not.toThrow();
      expect(() => signal.dispatch(2)).not.toThrow();
    } finally {
      warnings.restore();
    }
    expect(received).toEqual([1, 2]);
    expect(warnings.accepted.map(text)).toEqual([
      expect.stringContaining('Signal "spec.realm": a listener failed'),
      expect.stringContaining('Signal "spec.realm": a listener failed'),
    ]);
  });

  it('report an error made in another realm (vm) without throwing', () => {
    const { runInNewContext } = jest.requireActual<typeof import('node:vm')>('node:vm');
    const foreign = runInNewContext('new Error("from another realm")') as Error;
    const signal = new Signal<number>({ name: 'spec.vm' });
    const received: number[] = [];
    signal.connect(() => {
      throw foreign;
    });
    signal.connect((n) => void received.push(n));
    const warnings = recordWarnings();
    try {
      expect(() => signal.dispatch(1)).not.toThrow();
    } finally {
      warnings.restore();
    }
    expect(received).toEqual([1]);
    expect(warnings.accepted.map(text)).toEqual([expect.stringContaining('Signal "spec.vm": a listener failed')]);
  });

  it('report a rejected async listener', async () => {
    const signal = new Signal<number>({ name: 'spec.async' });
    signal.connect(async () => {
      throw new Error('async listener broke');
    });
    const warnings = recordWarnings();
    try {
      signal.dispatch(1);
      for (let i = 0; i < 5 && warnings.accepted.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    } finally {
      warnings.restore();
    }
    expect(warnings.accepted.map(text)).toEqual([expect.stringContaining('Signal "spec.async": a listener failed')]);
  });
});
