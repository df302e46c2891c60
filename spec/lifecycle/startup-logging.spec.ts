import { bootstrap, Component, type Context, Logger, provides, requires, token } from '../../lib';

const Str = token<string>('Str');
const Num = token<number>('Num');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Line {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that records every line (and, through `child`, the bindings of each line) in `lines`. */
function recordingLogger(lines: Line[], bindings: Record<string, unknown> = {}, level = 'debug'): Logger {
  const levels = ['debug', 'info', 'warn', 'error'];
  const at = (name: string) => (obj: object | string, msg?: string) => {
    if (levels.indexOf(name) < levels.indexOf(level)) return;
    lines.push({ level: name, msg: typeof obj === 'string' ? obj : (msg ?? ''), fields: { ...bindings, ...(typeof obj === 'string' ? {} : obj) } });
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    isLevelEnabled: (l) => levels.indexOf(l) >= levels.indexOf(level),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }, level),
  };
}

/** Publishes Str after an await, so that its consumer has to wait for it. */
@provides(Str)
class Greeting extends Component {
  override async start(ctx: Context) {
    await sleep(5);
    ctx.addResource('hello', { types: [Str], description: 'the greeting' });
  }
}

@provides(Num)
@requires(Str)
class Counter extends Component {
  override async start(ctx: Context) {
    ctx.addResourceFactory(() => 42, { types: [Num], description: 'the answer' });
  }
}

class Root extends Component {
  constructor() {
    super();
    this.addComponent('child2', Counter);
    this.addComponent('child1', Greeting);
  }
}

const messages = (lines: Line[], level?: string) => lines.filter((l) => level === undefined || l.level === level).map((l) => l.msg);

describe('startup logging', () => {
  it('logs "starting" before any start() runs, the wait for another component and its end, every publish, and the summary last', async () => {
    const lines: Line[] = [];
    const called: number[] = [];
    class Watched extends Root {
      override async start() {
        called.push(lines.length);
      }
    }
    const app = await bootstrap(Watched, {}, { logger: recordingLogger(lines) });
    const all = messages(lines);
    const index = (text: string | RegExp) => all.findIndex((m) => (typeof text === 'string' ? m.includes(text) : text.test(m)));
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'starting the application: 3 component(s) under root (Watched)' });
    // The root's start() ran after that line and before the summary.
    expect(called).toHaveLength(1);
    expect(called[0]).toBeGreaterThan(0);
    const waitBegins = index("root.child2 is waiting for token(Str) 'default' from root.child1");
    const published = index("root.child1 published token(Str) 'default' (the greeting) in start()");
    const waitEnds = index(/^root\.child2 got token\(Str\) 'default' from root\.child1 after waiting [\d.]+ ms$/);
    const factory = index("root.child2 published a resource factory for token(Num) 'default' (the answer) in start()");
    const summary = index(/^started 3 component\(s\) in [\d.]+ ms; critical path: root\.child1 -> root\.child2 -> root$/);
    expect([waitBegins, published, waitEnds, factory, summary].every((i) => i > 0)).toBe(true);
    expect(waitBegins).toBeLessThan(published);
    expect(published).toBeLessThan(waitEnds);
    expect(waitEnds).toBeLessThan(factory);
    expect(summary).toBe(all.length - 1);
    expect(called[0]).toBeLessThanOrEqual(summary);
    expect(lines[waitBegins]).toMatchObject({ level: 'debug', fields: { path: 'root.child2', from: 'root.child1' } });
    expect(lines[published]).toMatchObject({ level: 'debug', fields: { path: 'root.child1', description: 'the greeting' } });
    // A declared publish is not called undeclared.
    expect(all[published]).not.toContain('without declaring');
    await app.stop();
  });

  it('logs a line per started component at info, providers before the consumers they let start, and a line per stopped one, consumers first', async () => {
    const lines: Line[] = [];
    const app = await bootstrap(Root, {}, { logger: recordingLogger(lines, {}, 'info') });
    await app.stop();
    const info = messages(lines, 'info').map((m) => m.replace(/ in [\d.]+ ms.*$/, ''));
    expect(info).toEqual([
      'starting the application: 3 component(s) under root (Root)',
      'root.child1 started',
      'root.child2 started',
      'root started',
      'started 3 component(s)',
      'root.child2 stopped',
      'root.child1 stopped',
      'root stopped',
    ]);
    expect(lines.filter((l) => l.level === 'debug')).toEqual([]);
  });

  it('does not log a wait for a resource that is already there', async () => {
    @requires(Str)
    class Late extends Component {}
    class Layered extends Component {
      constructor() {
        super();
        this.addComponent('late', Late);
        this.addComponent('greeting', Greeting);
      }
      override async prepare(ctx: Context) {
        ctx.addResource(7, { types: [Num] });
      }
    }
    const lines: Line[] = [];
    const app = await bootstrap(Layered, {}, { logger: recordingLogger(lines) });
    await app.stop();
    expect(messages(lines).filter((m) => m.includes('waiting for') || m.includes(' got '))).toEqual([
      "root.late is waiting for token(Str) 'default' from root.greeting",
      expect.stringMatching(/^root\.late got token\(Str\) 'default' from root\.greeting after/),
    ]);
    expect(messages(lines)).toContain("root published token(Num) 'default' in prepare() without declaring it with @provides (allowed; declare it so that consumers can @requires it and start after it)");
  });
});

describe('the Logger a component gets', () => {
  @requires(Str)
  class Chatty extends Component {
    @requires(Logger) logger!: Logger;
    override async start(ctx: Context) {
      this.logger.info({ step: 1 }, 'from the property');
      (await ctx.getResource(Logger)).warn('from a lookup');
      await ctx.withChild(async (unit) => (await unit.getResource(Logger)).info('from a unit of work'));
    }
  }
  class App extends Component {
    constructor() {
      super();
      this.addComponent('chatty', Chatty);
      this.addComponent('greeting', Greeting);
    }
  }

  it("is the application logger's child tagged with the component's path, for the property, a lookup and a child context", async () => {
    const lines: Line[] = [];
    const app = await bootstrap(App, {}, { logger: recordingLogger(lines, {}, 'info') });
    const own = lines.filter((l) => l.msg.startsWith('from '));
    expect(own).toEqual([
      { level: 'info', msg: 'from the property', fields: { component: 'root.chatty', step: 1 } },
      { level: 'warn', msg: 'from a lookup', fields: { component: 'root.chatty' } },
      { level: 'info', msg: 'from a unit of work', fields: { component: 'root.chatty' } },
    ]);
    // Outside every component, the lookup gives the application logger itself.
    (await app.context.getResource(Logger)).info('from outside');
    expect(lines.at(-1)).toEqual({ level: 'info', msg: 'from outside', fields: {} });
    await app.stop();
  });

  it('adds the component field itself when the application logger has no child()', async () => {
    const lines: Line[] = [];
    const { child: _child, ...plain } = recordingLogger(lines, {}, 'info');
    const app = await bootstrap(App, {}, { logger: plain });
    expect(lines.filter((l) => l.msg === 'from the property')).toEqual([{ level: 'info', msg: 'from the property', fields: { component: 'root.chatty', step: 1 } }]);
    await app.stop();
  });
});
