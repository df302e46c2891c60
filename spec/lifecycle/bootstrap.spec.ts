import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import {
  bootstrap,
  Component,
  component,
  Context,
  provides,
  requires,
  silentLogger,
  token,
  type Application,
  type LifecycleEvent,
  Signal,
} from '../../lib';

const Db = token<{ url: string }>('Db');
const Cache = token<{ db: string }>('Cache');
const Web = token<string>('Web');

const log: string[] = [];
beforeEach(() => (log.length = 0));
const quiet = { logger: silentLogger };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `release()` is called: lets a test hold a component in start(). */
function gate() {
  let release!: () => void;
  const opened = new Promise<void>((r) => (release = r));
  return { opened, release };
}

@provides(Db)
class DbComponent extends Component {
  override async start(ctx: Context) {
    log.push('db start');
    await sleep(5);
    ctx.addResource({ url: 'pg://x' }, { types: [Db] });
    ctx.addTeardownCallback(() => log.push('db stop'));
    log.push('db ready');
  }
}

@provides(Cache)
@requires(Db)
class CacheComponent extends Component {
  @requires(Db) db!: { url: string };
  override async start(ctx: Context) {
    log.push(`cache start (db ${this.db.url})`);
    ctx.addResource({ db: this.db.url }, { types: [Cache] });
    ctx.addTeardownCallback(() => log.push('cache stop'));
  }
}

@provides(Web)
@requires(Cache)
class WebComponent extends Component {
  override async start(ctx: Context) {
    log.push('web start');
    ctx.addResource('web', { types: [Web] });
    ctx.addTeardownCallback(() => log.push('web stop'));
  }
}

class Independent extends Component {
  override async start(ctx: Context) {
    log.push('independent start');
    await sleep(1);
    log.push('independent ready');
    ctx.addTeardownCallback(() => log.push('independent stop'));
  }
}

class App extends Component {
  constructor() {
    super();
    this.addComponent('web', WebComponent);
    this.addComponent('cache', CacheComponent);
    this.addComponent('db', DbComponent);
    this.addComponent('independent', Independent);
  }
  override async start(ctx: Context) {
    log.push(`app start (web ${await ctx.getResource(Web)})`);
    ctx.addTeardownCallback(() => log.push('app stop'));
  }
}

describe('bootstrap', () => {
  it('starts each component once its requirements are published and independent ones concurrently', async () => {
    const app = await bootstrap(App, {}, quiet);
    expect(log.indexOf('db ready')).toBeLessThan(log.indexOf('cache start (db pg://x)'));
    expect(log.indexOf('cache start (db pg://x)')).toBeLessThan(log.indexOf('web start'));
    // The independent component started while the db was still starting.
    expect(log.indexOf('independent start')).toBeLessThan(log.indexOf('db ready'));
    expect(log[log.length - 1]).toBe('app start (web web)');
    expect(await app.context.getResource(Cache)).toEqual({ db: 'pg://x' });
    expect(app.graph.node('root.web').state).toBe('started');
    await app.stop();
  });

  it('stops each component only after everything that requires it has stopped', async () => {
    const app = await bootstrap(App, {}, quiet);
    log.length = 0;
    await app.stop();
    expect(log[0]).toBe('app stop');
    expect(log.indexOf('web stop')).toBeLessThan(log.indexOf('cache stop'));
    expect(log.indexOf('cache stop')).toBeLessThan(log.indexOf('db stop'));
    expect(log).toHaveLength(5);
    expect(app.graph.node('root.db').state).toBe('stopped');
    await app.stop(); // twice is safe
    expect(log).toHaveLength(5);
  });

  it('lets a component wait in start() for a resource a sibling announced', async () => {
    @provides(Db)
    class SlowDb extends Component {
      override async start(ctx: Context) {
        await sleep(10);
        ctx.addResource({ url: 'slow' }, { types: [Db] });
      }
    }
    class Consumer extends Component {
      override async start(ctx: Context) {
        log.push(`got ${(await ctx.getResource(Db)).url}`);
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('consumer', Consumer);
        this.addComponent('db', SlowDb);
      }
    }
    const app = await bootstrap(Root, {}, quiet);
    expect(log).toEqual(['got slow']);
    await app.stop();
  });

  it('emits lifecycle events and a ready summary with the critical path', async () => {
    // The critical path follows what finished last. db's start waits until independent's has
    // finished, so the db -> cache -> web chain ends later by the order of events, not by sleeps
    // (under 8 CPU hogs, independent's 1 ms sleep once outlasted db's 5 ms one).
    const independentDone = gate();
    @provides(Db)
    class DbAfterIndependent extends Component {
      override async start(ctx: Context) {
        await independentDone.opened;
        ctx.addResource({ url: 'pg://x' }, { types: [Db] });
      }
    }
    class IndependentFirst extends Component {
      override async start() {
        await sleep(1);
        independentDone.release();
      }
    }
    class Timed extends Component {
      constructor() {
        super();
        this.addComponent('web', WebComponent);
        this.addComponent('cache', CacheComponent);
        this.addComponent('db', DbAfterIndependent);
        this.addComponent('independent', IndependentFirst);
      }
    }
    const events = new Signal<LifecycleEvent>();
    const seen: LifecycleEvent[] = [];
    events.connect((e) => seen.push(e));
    const app = await bootstrap(Timed, {}, { ...quiet, events });
    const ready = seen.find((e) => e.type === 'ready');
    expect(ready).toMatchObject({ type: 'ready', components: 5 });
    expect(ready && 'criticalPath' in ready && ready.criticalPath).toEqual(['root.db', 'root.cache', 'root.web', 'root']);
    expect(seen.filter((e) => e.type === 'started').map((e) => e.path)).toContain('root.cache');
    expect(seen[0]).toEqual({ type: 'created', path: 'root', component: 'Timed' });
    expect(seen.filter((e) => e.type === 'created')).toHaveLength(5);
    await app.stop();
    expect(seen.filter((e) => e.type === 'stopped')).toHaveLength(5);
  });
});

describe('start failures', () => {
  it('fails when start() returns without publishing a declared resource, naming it', async () => {
    @provides(Db)
    class Forgetful extends Component {}
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', Forgetful);
      }
    }
    const error = await bootstrap(Root, {}, quiet).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ASPHALT_COMPONENT_START', path: 'root.db', phase: 'start' });
    expect((error as Error).message).toContain("start() returned without publishing token(Db) 'default'");
  });

  it.each(['prepare', 'start'] as const)('rolls back everything that started when %s() throws', async (phase) => {
    @requires(Cache)
    class Broken extends Component {
      override async prepare() {
        if (phase === 'prepare') throw new Error('bad prepare');
      }
      override async start() {
        if (phase === 'start') throw new Error('bad start');
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', DbComponent);
        this.addComponent('cache', CacheComponent);
        this.addComponent('broken', Broken);
      }
    }
    const error = await bootstrap(Root, {}, quiet).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ASPHALT_COMPONENT_START', path: 'root.broken', phase });
    expect((error as Error).message).toContain(`bad ${phase}`);
    expect(log.indexOf('cache stop')).toBeGreaterThan(-1);
    expect(log.indexOf('cache stop')).toBeLessThan(log.indexOf('db stop'));
  });

  it('says that the rollback failed, instead of that everything was stopped again, when a stop fails in it', async () => {
    @provides(Db)
    class LeakyDb extends Component {
      override async start(ctx: Context) {
        ctx.addResource({ url: 'x' }, { types: [Db] });
        ctx.addTeardownCallback(() => {
          throw new Error('could not close the pool');
        });
      }
    }
    @requires(Db)
    class Broken extends Component {
      override async start() {
        throw new Error('bad start');
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', LeakyDb);
        this.addComponent('broken', Broken);
      }
    }
    const error = (await bootstrap(Root, {}, quiet).catch((e: unknown) => e)) as Error & { rollbackError?: unknown };
    expect(error).toMatchObject({ code: 'ASPHALT_COMPONENT_START', path: 'root.broken', phase: 'start' });
    expect(error.message).toContain('bad start');
    expect(error.message).not.toContain('Everything that had started was stopped again');
    expect(error.message).toMatch(/Stopping what had started failed too \(the error's rollbackError\): .*could not close the pool/s);
    expect(error.stack).toContain('Stopping what had started failed too');
    expect(error.stack).not.toContain('Everything that had started was stopped again');
    expect(error.stack).toMatch(/\n    at /);
    expect(error.rollbackError).toBeInstanceOf(Error);
  });

  it('reports a start timeout with the tree of pending components and what they wait for', async () => {
    const held = gate();
    @provides(Db)
    @component({ startTimeout: 80 })
    class Hanging extends Component {
      override async start(ctx: Context) {
        await ctx.getResource(Web, 'never', { optional: false }).catch(() => held.opened);
        await held.opened;
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', Hanging);
        this.addComponent('cache', CacheComponent);
      }
    }
    const error = (await bootstrap(Root, {}, quiet).catch((e: unknown) => e)) as Error & { cause: { pendingTree: string; code: string } };
    held.release();
    expect(error).toMatchObject({ code: 'ASPHALT_COMPONENT_START', path: 'root.db', phase: 'timeout' });
    expect(error.cause.code).toBe('ASPHALT_STARTUP_TIMEOUT');
    const tree = error.cause.pendingTree;
    expect(tree).toMatch(/^root \(Root\) \[starting children/);
    expect(tree).toMatch(/root\.db \(Hanging\) \[starting [\d.]+ s, start timeout 80 ms\] in start\(\)\s+<-- timed out/);
    expect(tree).toContain("root.cache (CacheComponent) [waiting");
    expect(tree).toContain("for token(Db) 'default' (from root.db)");
    expect(error.message).toContain('did not finish start() within its start timeout of 80 ms');
  });

  it('aborts startup through options.signal and stops what had started', async () => {
    const held = gate();
    class Slow extends Component {
      override async start() {
        await held.opened;
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', DbComponent);
        this.addComponent('slow', Slow);
      }
    }
    const controller = new AbortController();
    const starting = bootstrap(Root, {}, { ...quiet, signal: controller.signal });
    while (!log.includes('db ready')) await sleep(1); // abort once db has started (an event, not a margin)
    controller.abort(new Error('shutting down'));
    held.release();
    const error = await starting.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ASPHALT_COMPONENT_START', phase: 'abort' });
    expect(log).toContain('db stop');
  });
});

describe('stop', () => {
  it('keeps every stop error and names a component that did not stop in time', async () => {
    @component({ stopTimeout: 30 })
    class Stuck extends Component {
      override async start(ctx: Context) {
        ctx.addTeardownCallback(() => new Promise(() => undefined));
      }
    }
    class Failing extends Component {
      override async start(ctx: Context) {
        ctx.addTeardownCallback(() => {
          throw new Error('close failed');
        });
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('stuck', Stuck);
        this.addComponent('failing', Failing);
      }
    }
    const app: Application = await bootstrap(Root, {}, quiet);
    const error = (await app.stop().catch((e: unknown) => e)) as AggregateError & { code: string };
    expect(error.code).toBe('ASPHALT_TEARDOWN');
    const messages = error.errors.map((e: Error) => e.message).join('\n');
    expect(messages).toContain('component root.stuck did not stop within its stop timeout of 30 ms');
    expect(messages).toContain('component root.failing failed to stop');
    expect(messages).toContain('close failed');
  });
});

describe('config and names', () => {
  class DbConfig {
    @IsString() host = 'localhost';
    @IsInt() @Min(1) @Max(65535) port = 5432;
    @IsOptional() @IsString() resourceName?: string;
  }

  @provides(Db, { name: (c: DbConfig) => c.resourceName ?? 'default' })
  @component()
  class ConfiguredDb extends Component {
    constructor(readonly config: DbConfig) {
      super();
    }
    override async start(ctx: Context) {
      ctx.addResource({ url: `${this.config.host}:${this.config.port}` }, { types: [Db], name: this.config.resourceName });
    }
  }

  it('validates each component config and reports every problem with its path', async () => {
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', ConfiguredDb);
      }
    }
    const error = (await bootstrap(Root, { components: { db: { port: 'x', hots: 'a' } } }, quiet).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'ASPHALT_COMPONENT_START', phase: 'config' });
    expect(error.message).toContain('components.db.port');
    expect(error.message).toContain('components.db.hots');
    expect(error.message).toContain("did you mean 'host'?");
  });

  it('uses one class twice with names from config, and type/name aliases as default names', async () => {
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('primary', ConfiguredDb, { port: 1 });
        this.addComponent('replica', ConfiguredDb, { port: 2, resourceName: 'replica' });
      }
    }
    const app = await bootstrap(Root, { components: { replica: { host: 'r' } } }, quiet);
    expect(app.context.getResourceNowait(Db).url).toBe('localhost:1');
    expect(app.context.getResourceNowait(Db, 'replica').url).toBe('r:2');
    await app.stop();

    @provides(Cache)
    class NamedCache extends Component {
      override async start(ctx: Context) {
        ctx.addResource({ db: 'n' }, { types: [Cache] });
      }
    }
    class Root2 extends Component {
      constructor() {
        super();
        this.addComponent('cache/secondary', NamedCache);
      }
    }
    const app2 = await bootstrap(Root2, {}, quiet);
    expect(app2.context.getResourceNowait(Cache, 'secondary')).toEqual({ db: 'n' });
    expect(app2.graph.node('root.cache/secondary').provides[0]!.name).toBe('secondary');
    await app2.stop();
  });
});

describe('isolated scopes', () => {
  @provides(Db)
  class LocalDb extends Component {
    override async start(ctx: Context) {
      ctx.addResource({ url: Context.current() === ctx ? 'local' : '?' }, { types: [Db] });
    }
  }
  @provides(Cache)
  @component({ isolated: true })
  class Module extends Component {
    constructor() {
      super();
      this.addComponent('db', LocalDb);
    }
    override async start(ctx: Context) {
      ctx.addResource({ db: (await ctx.getResource(Db)).url }, { types: [Cache] });
    }
  }

  it('keeps what a subtree publishes inside, except what the isolated component provides', async () => {
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('a', Module);
        this.addComponent('b', Module);
      }
    }
    // Two isolated subtrees each hold a Db 'default' without conflict; their Cache is exported.
    const error = await bootstrap(Root, {}, quiet).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ASPHALT_COMPONENT_START' });
    expect((error as Error).message).toContain("token(Cache) 'default' is provided by root.a and root.b");

    class Root1 extends Component {
      constructor() {
        super();
        this.addComponent('a', Module);
      }
    }
    const app = await bootstrap(Root1, {}, quiet);
    expect(app.context.getResourceNowait(Cache)).toEqual({ db: 'local' });
    expect(app.context.getResourceNowait(Db, undefined, { optional: true })).toBeUndefined();
    await app.stop();
  });
});

describe('observability', () => {
  it('warns once, with the pending tree, when a component has used half of its start timeout', async () => {
    const warnings: string[] = [];
    const debug: string[] = [];
    const info: string[] = [];
    const logger = {
      ...silentLogger,
      isLevelEnabled: () => true,
      warn: (_o: object | string, m?: string) => void warnings.push(m ?? ''),
      info: (_o: object | string, m?: string) => void info.push(m ?? ''),
      debug: (_o: object | string, m?: string) => void debug.push(m ?? ''),
    };
    @provides(Db)
    @component({ startTimeout: 2_000 })
    class Slowish extends Component {
      override async start(ctx: Context) {
        while (warnings.length === 0) await sleep(10); // until the half-time warning (1 s), far from the timeout
        await sleep(50); // a second warning would come now
        ctx.addResource({ url: 'x' }, { types: [Db] });
        ctx.addResource('undeclared', { types: [Web] });
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', Slowish);
        this.addComponent('cache', CacheComponent);
      }
    }
    const app = await bootstrap(Root, {}, { logger });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('startup is slow: root.db has used half of its start timeout (2000 ms)');
    expect(warnings[0]).toContain("root.cache (CacheComponent) [waiting");
    expect(debug.join('\n')).toContain("root.db published token(Web) 'default' in start() without declaring it with @provides");
    expect(info.join('\n')).toMatch(/root\.cache started in [\d.]+ ms/);
    await app.stop();
  });
});

describe('stop concurrency', () => {
  it('stops independent components concurrently', async () => {
    let running = 0;
    let most = 0;
    class SlowStop extends Component {
      override async start(ctx: Context) {
        ctx.addTeardownCallback(async () => {
          most = Math.max(most, ++running);
          await sleep(20);
          running--;
        });
      }
    }
    class Root extends Component {
      constructor() {
        super();
        for (const alias of ['a', 'b', 'c']) this.addComponent(alias, SlowStop);
      }
    }
    const app = await bootstrap(Root, {}, quiet);
    await app.stop();
    expect(most).toBe(3);
  });
});
