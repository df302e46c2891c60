import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import {
  bootstrap,
  Component,
  component,
  ComponentStartError,
  ContainerComponent,
  type Context,
  type LifecycleEvent,
  provides,
  requires,
  Signal,
  silentLogger,
  StartupTimeoutError,
  token,
  type Application,
} from 'asphalt-ts';
import { HttpAddress, HttpApp, HttpComponent } from 'asphalt-ts/http';

jest.setTimeout(60_000);

/** What request handlers dispatch when a request has completed; the notifier listens to it. */
const RequestDone = token<Signal<string>>('RequestDone');

@provides(RequestDone)
class EventsHub extends Component {
  override async start(ctx: Context): Promise<void> {
    ctx.addResource(new Signal<string>({ name: 'RequestDone' }), { types: [RequestDone] });
  }
}

/** Holds GET /slow until the test releases it. */
class Gate {
  arrived!: () => void;
  readonly reached = new Promise<void>((resolve) => (this.arrived = resolve));
  release!: () => void;
  readonly released = new Promise<void>((resolve) => (this.release = resolve));
}
let gate = new Gate();
let received: string[] = [];

/** A child of the http component: GET /slow waits for the gate, then dispatches RequestDone. */
class SlowRoutes extends Component {
  @requires(HttpApp) app!: FastifyInstance;
  @requires(RequestDone) done!: Signal<string>;
  override async start(): Promise<void> {
    this.app.get('/slow', async () => {
      gate.arrived();
      await gate.released;
      this.done.dispatch('GET /slow completed');
      return 'ok';
    });
  }
}

/** Sends a notification for every RequestDone while it runs (it disconnects when it stops). */
class Notifier extends Component {
  @requires(RequestDone) done!: Signal<string>;
  override async start(ctx: Context): Promise<void> {
    ctx.addTeardownCallback(this.done.connect((event) => received.push(event)));
  }
}

function config(stopAfter: string[] | undefined) {
  return {
    components: {
      events: { type: EventsHub },
      // Generous drain and stop timeouts: the request is held by the test, never by the clock.
      http: { type: HttpComponent, port: 0, drainTimeout: 60_000, stopTimeout: 70_000, components: { routes: { type: SlowRoutes } } },
      notifier: { type: Notifier, ...(stopAfter ? { stopAfter } : {}) },
    },
  };
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; !condition(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Starts the app, recording its lifecycle events. */
async function start(stopAfter: string[] | undefined): Promise<{ app: Application; events: LifecycleEvent[]; url: string }> {
  gate = new Gate();
  received = [];
  const events: LifecycleEvent[] = [];
  const lifecycle = new Signal<LifecycleEvent>();
  lifecycle.connect((event) => events.push(event));
  const app = await bootstrap(ContainerComponent, config(stopAfter), { logger: silentLogger, events: lifecycle });
  const { url } = await app.context.getResource(HttpAddress);
  return { app, events, url };
}

const index = (events: LifecycleEvent[], type: LifecycleEvent['type'], path: string): number =>
  events.findIndex((e) => e.type === type && 'path' in e && e.path === path);

describe('stopAfter at run time', () => {
  it('keeps the notifier until the HTTP server has drained: the event of a request completing during shutdown arrives', async () => {
    const { app, events, url } = await start(['http']);
    // Started before http prepared, so it hears the first request too.
    expect(index(events, 'started', 'root.notifier')).toBeLessThan(index(events, 'preparing', 'root.http'));

    const response = get(`${url}/slow`);
    await gate.reached;
    const stopped = app.stop();
    await until(() => app.graph.node('root.http').state === 'stopping', 'http is draining');
    expect(app.graph.node('root.notifier').state).toBe('started'); // waits for http to have stopped
    gate.release();
    expect(await response).toEqual({ status: 200, body: 'ok' });
    await stopped;

    expect(received).toEqual(['GET /slow completed']);
    expect(index(events, 'stopped', 'root.http')).toBeGreaterThanOrEqual(0);
    expect(index(events, 'stopped', 'root.http')).toBeLessThan(index(events, 'stopped', 'root.notifier'));
  });

  it('without stopAfter stops the notifier concurrently with the drain, so that event is lost', async () => {
    const { app, events, url } = await start(undefined);
    const response = get(`${url}/slow`);
    await gate.reached;
    const stopped = app.stop();
    // The notifier stops while http still holds the request: nothing orders them.
    await until(() => index(events, 'stopped', 'root.notifier') >= 0, 'the notifier has stopped');
    expect(app.graph.node('root.http').state).toBe('stopping');
    gate.release();
    expect(await response).toEqual({ status: 200, body: 'ok' });
    await stopped;

    expect(received).toEqual([]);
    expect(index(events, 'stopped', 'root.notifier')).toBeLessThan(index(events, 'stopped', 'root.http'));
  });
});

describe('stopAfter during startup', () => {
  const Address = token<string>('Address');
  const log: string[] = [];

  @provides(Address)
  class Server extends Component {
    override async start(ctx: Context): Promise<void> {
      ctx.addResource('here', { types: [Address] });
      ctx.addTeardownCallback(async () => {
        // Takes a few turns of the event loop: unordered, the watcher's teardown would finish first.
        for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
        log.push('server stopped');
      });
    }
  }

  @component({ stopAfter: ['server'] })
  class Watcher extends Component {
    override async start(ctx: Context): Promise<void> {
      ctx.addTeardownCallback(() => void log.push('watcher stopped'));
    }
  }

  @requires(Address)
  class Breaks extends Component {
    override async start(): Promise<void> {
      throw new Error('no');
    }
  }

  @component({ stopAfter: ['server'], startTimeout: 300 })
  class NeverUp extends Component {
    override start(): Promise<void> {
      return new Promise(() => undefined);
    }
  }

  const root = (children: Record<string, typeof Component>) =>
    class Root extends Component {
      constructor() {
        super();
        for (const [alias, type] of Object.entries(children)) this.addComponent(alias, type);
      }
    };

  it('rolls back a failed startup in the same order', async () => {
    log.length = 0;
    await expect(bootstrap(root({ server: Server, watcher: Watcher, breaks: Breaks }), {}, { logger: silentLogger })).rejects.toThrow(
      'component root.breaks (Breaks) failed in start(): no',
    );
    expect(log).toEqual(['server stopped', 'watcher stopped']);
  });

  it('shows in the stall report what a component waits for before it prepares', async () => {
    const failure = await bootstrap(root({ server: Server, watcher: NeverUp }), {}, { logger: silentLogger }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ComponentStartError);
    const timeout = (failure as ComponentStartError).cause as StartupTimeoutError;
    expect(timeout).toBeInstanceOf(StartupTimeoutError);
    expect(timeout.pendingTree).toMatch(/root\.server \(\w+\) \[waiting [\d.]+ s\] for root\.watcher to start \(it stops after root\.server\)/);
  });
});
