import { IsString } from 'class-validator';
import { Component, component, Context, provides, requires, token, type Application } from '../../lib';
import { expectStartOrder, providerOf, startedBefore, startTestApp } from '../../lib/testing';

interface Pool {
  url: string;
}
const Db = token<Pool>('Db');
const Cache = token<{ db: string }>('Cache');
const Web = token<string>('Web');
const Clock = token<() => number>('Clock');
const Mailer = token<{ send(to: string): string }>('Mailer');
const Health = token<string>('Health');

const log: string[] = [];
beforeEach(() => (log.length = 0));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class DbConfig {
  @IsString() url!: string;
}

@provides(Db)
@component()
class DbComponent extends Component {
  constructor(readonly config: DbConfig) {
    super();
  }
  override async start(ctx: Context) {
    await sleep(5);
    log.push(`db connect ${this.config.url}`);
    ctx.addResource({ url: this.config.url }, { types: [Db] });
  }
}

@provides(Cache)
class CacheComponent extends Component {
  @requires(Db) db!: Pool;
  override async start(ctx: Context) {
    log.push(`cache on ${this.db.url}`);
    ctx.addResource({ db: this.db.url }, { types: [Cache] });
  }
}

@provides(Web)
@requires(Cache)
class WebComponent extends Component {
  override async start(ctx: Context) {
    ctx.addResource('web', { types: [Web] });
  }
}

class MailerConfig {
  @IsString() host = 'smtp.example.com';
}

@provides(Mailer)
@component()
class MailerComponent extends Component {
  constructor(readonly config: MailerConfig) {
    super();
  }
  override async start(ctx: Context) {
    log.push(`mailer connect ${this.config.host}`);
    ctx.addResource({ send: (to: string) => `real mail to ${to}` }, { types: [Mailer] });
  }
}

/** Starts fast and on its own: concurrent with the db. */
class Independent extends Component {
  override async start() {
    await sleep(1);
  }
}

class App extends Component {
  constructor() {
    super();
    this.addComponent('web', WebComponent);
    this.addComponent('cache', CacheComponent);
    this.addComponent('db', DbComponent, { url: 'pg://production' });
    this.addComponent('mailer', MailerComponent, { host: 'smtp.production' });
    this.addComponent('independent', Independent);
  }
  override async start(ctx: Context) {
    // Looked up without @requires: sees overrides too.
    log.push(`app sees ${(await ctx.getResource(Db)).url}, ${(await ctx.getResource(Mailer)).send('ann')}`);
  }
}

describe('startTestApp: resource overrides', () => {
  it('gives the value to every component that requires it, and never starts the real provider', async () => {
    const fake: Pool = { url: 'memory://test' };
    const app = await startTestApp(App, {}, { overrides: [{ resource: Db, value: fake }] });
    expect(log).toContain('cache on memory://test');
    expect(log).toContain('app sees memory://test, real mail to ann');
    expect(log.some((line) => line.startsWith('db connect'))).toBe(false);
    expect(await app.context.getResource(Db)).toBe(fake);
    expect(await app.context.getResource(Cache)).toEqual({ db: 'memory://test' });
    expect(app.graph.node('root.db').type).toBe('DbComponentStub');
    expect(providerOf(app, Db)).toBeUndefined();
    expect(providerOf(app, Db, 'default', 'root.cache')).toBeUndefined();
  });

  it('stubs a provider whose own config is invalid (the reason to fake it)', async () => {
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', DbComponent); // no url: DbConfig would reject it
        this.addComponent('cache', CacheComponent);
      }
    }
    await expect(startTestApp(Root)).rejects.toThrow(/components\.db\.url/);
    const app = await startTestApp(Root, {}, { overrides: [{ resource: Db, value: { url: 'fake' } }] });
    expect(await app.context.getResource(Cache)).toEqual({ db: 'fake' });
  });

  it('supplies a resource that nothing in the tree provides, under a name', async () => {
    @requires(Clock, { name: 'test' })
    class Scheduler extends Component {
      override async start(ctx: Context) {
        log.push(`now ${(await ctx.getResource(Clock, 'test'))()}`);
      }
    }
    await startTestApp(Scheduler, {}, { overrides: [{ resource: Clock, name: 'test', value: () => 42 }] });
    expect(log).toEqual(['now 42']);
  });

  it('refuses to stub a provider that provides something else too, saying what to do', async () => {
    @provides(Db)
    @provides(Health)
    class DbWithHealth extends Component {}
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', DbWithHealth);
      }
    }
    await expect(startTestApp(Root, {}, { overrides: [{ resource: Db, value: { url: 'x' } }] })).rejects.toThrow(
      "cannot override token(Db) 'default': it is provided by root.db (DbWithHealth), which a resource override " +
        "replaces with a stub that provides nothing, but it also provides token(Health) 'default'. Override those " +
        "resources too, or replace the component yourself: { component: 'root.db', with: FakeComponent }",
    );
    const app = await startTestApp(Root, {}, {
      overrides: [
        { resource: Db, value: { url: 'x' } },
        { resource: Health, value: 'ok' },
      ],
    });
    expect(await app.context.getResource(Health)).toBe('ok');
  });
});

describe('startTestApp: component overrides', () => {
  @provides(Mailer)
  class FakeMailer extends Component {
    override async start(ctx: Context) {
      ctx.addResource({ send: (to: string) => `fake mail to ${to}` }, { types: [Mailer] });
    }
  }

  it('replaces the component at a path; one without a config class ignores the options given there', async () => {
    const app = await startTestApp(App, {}, { overrides: [{ component: 'root.mailer', with: FakeMailer }] });
    expect(log).toContain('app sees pg://production, fake mail to ann');
    expect(log).not.toContain('mailer connect smtp.production');
    expect(app.graph.node('root.mailer').type).toBe('FakeMailer');
    expect(providerOf(app, Mailer)).toBe('root.mailer');
  });

  it('still reports a misspelt option at the replaced path', async () => {
    const config = { components: { mailer: { hots: 'smtp.test' } } };
    await expect(startTestApp(App, config, { overrides: [{ component: 'root.mailer', with: FakeMailer }] })).rejects.toThrow(
      /components\.mailer\.hots: unknown option; did you mean 'host'\?/,
    );
  });

  it('names the existing children when the path does not exist', async () => {
    await expect(startTestApp(App, {}, { overrides: [{ component: 'root.mail', with: FakeMailer }] })).rejects.toThrow(
      "startTestApp: there is no component at 'root.mail' to replace; the children of root are: 'root.web', 'root.cache', " +
        "'root.db', 'root.mailer', 'root.independent'",
    );
  });

  it('combines with resource overrides', async () => {
    const app = await startTestApp(App, {}, {
      overrides: [
        { component: 'root.mailer', with: FakeMailer },
        { resource: Db, value: { url: 'memory://both' } },
      ],
    });
    expect(log).toContain('app sees memory://both, fake mail to ann');
    expect(app.graph.node('root.db').type).toBe('DbComponentStub');
  });
});

describe('startTestApp: automatic stop', () => {
  // Each behaviour is observed in its own describe's afterAll, which jest runs after the test's
  // afterEach hooks (startTestApp stops test apps there) and before the file's afterAll (where it
  // stops beforeAll apps): no test depends on another test having run.
  const stopped: string[] = [];
  const stopsOf = (name: string): number => stopped.filter((n) => n === name).length;
  class Tracked extends Component {
    override async start(ctx: Context) {
      ctx.addTeardownCallback(() => stopped.push(this.constructor.name));
    }
  }
  class Shared extends Tracked {}
  class First extends Tracked {}
  class SelfStopped extends Tracked {}
  class FailsToStop extends Component {
    override async start(ctx: Context) {
      ctx.addTeardownCallback(() => {
        throw new Error('disk gone');
      });
    }
  }

  describe('an app started in a test', () => {
    let first: Application | undefined;
    afterAll(() => {
      expect(first?.graph.root.state).toBe('stopped');
      expect(stopsOf('First')).toBe(1);
    });

    it('runs during the test and is stopped after it', async () => {
      first = await startTestApp(First);
      expect(first.graph.root.state).toBe('started');
      expect(stopsOf('First')).toBe(0);
    });
  });

  describe('an app started in beforeAll', () => {
    let shared: Application;
    beforeAll(async () => {
      shared = await startTestApp(Shared);
    });
    afterAll(() => {
      expect(shared.graph.root.state).toBe('started'); // still running after the test ended
      expect(stopsOf('Shared')).toBe(0);
    });

    it('keeps running through the tests', () => {
      expect(shared.graph.root.state).toBe('started');
    });
  });

  describe('an app the test stops itself', () => {
    afterAll(() => expect(stopsOf('SelfStopped')).toBe(1)); // not stopped again after the test

    it('is stopped once', async () => {
      const app = await startTestApp(SelfStopped);
      await app.stop();
      expect(stopsOf('SelfStopped')).toBe(1);
      expect(app.graph.root.state).toBe('stopped');
    });
  });

  it('leaves a stop error the test already handled to the test', async () => {
    const app = await startTestApp(FailsToStop);
    await expect(app.stop()).rejects.toThrow('disk gone');
  });
});

describe('graph helpers', () => {
  let app: Application;
  beforeEach(async () => {
    app = await startTestApp(App);
  });

  it('startedBefore follows providers, consumers and parents, not concurrent siblings', () => {
    expect(startedBefore(app, 'root.db', 'root.cache')).toBe(true);
    expect(startedBefore(app, 'root.cache', 'root.db')).toBe(false);
    expect(startedBefore(app, 'root.web', 'root')).toBe(true);
    expect(startedBefore(app, 'root.independent', 'root.db')).toBe(false);
    expect(startedBefore(app, 'root.db', 'root.independent')).toBe(false);
  });

  it('expectStartOrder passes in order and explains a wrong order', () => {
    expectStartOrder(app, ['root.db', 'root.cache', 'root.web', 'root']);
    expect(() => expectStartOrder(app, ['root.db', 'root.web', 'root.cache'])).toThrow(
      /^expected root\.web to have started before root\.cache began its start\(\), but root\.web finished starting at [\d.]+ ms and root\.cache began its start\(\) at [\d.]+ ms/,
    );
    expect(() => expectStartOrder(app, ['root.dbx', 'root'])).toThrow(/No component at path 'root\.dbx'.*did you mean 'root\.db'/);
  });

  it('providerOf names the provider, per consumer when several scopes provide it', async () => {
    expect(providerOf(app, Db)).toBe('root.db');
    expect(providerOf(app, Cache, 'default', 'root.web')).toBe('root.cache');
    expect(providerOf(app, Db, 'replica')).toBeUndefined();

    @component({ isolated: true })
    class Tenant extends Component {
      constructor() {
        super();
        this.addComponent('db', DbComponent, { url: 'pg://tenant' });
        this.addComponent('cache', CacheComponent);
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('db', DbComponent, { url: 'pg://main' });
        this.addComponent('cache', CacheComponent);
        this.addComponent('tenant', Tenant);
      }
    }
    const scoped = await startTestApp(Root);
    expect(() => providerOf(scoped, Db)).toThrow("token(Db) 'default' is provided by root.db and root.tenant.db (in different scopes)");
    expect(providerOf(scoped, Db, 'default', 'root.tenant.cache')).toBe('root.tenant.db');
    expect(providerOf(scoped, Db, 'default', 'root.cache')).toBe('root.db');
  });
});
