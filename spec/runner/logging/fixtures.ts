import { CLIApplicationComponent, Component, component, type Context, Logger, provides, requires, token } from 'asphalt-ts';

export const Greeting = token<string>('Greeting');

/** Logs through the Logger it requires, then publishes the greeting after an await. */
@provides(Greeting)
export class Greeter extends Component {
  @requires(Logger) logger!: Logger;
  override async start(ctx: Context): Promise<void> {
    this.logger.info({ step: 'start' }, 'hello from the greeter');
    await new Promise((r) => setTimeout(r, 5));
    ctx.addResource('hello', { types: [Greeting], description: 'the greeting' });
  }
}

/** Requires the greeting: it starts once the greeter has published it. */
@requires(Greeting)
export class Listener extends Component {}

/** The root: exits with 0 as soon as everything has started. */
export class LoggingApp extends CLIApplicationComponent {
  async run(): Promise<number> {
    return 0;
  }
}

/** What a driver's connect() does when the server refuses. */
export async function openDatabase(): Promise<never> {
  await Promise.resolve();
  throw new Error('connection refused by db.example:5432');
}

/** Its start() fails inside a helper. */
export class FailingDb extends Component {
  override async start(): Promise<void> {
    await openDatabase();
  }
}

/** Never settles: a server that accepts the connection and never answers. */
export async function waitForHandshake(): Promise<void> {
  await new Promise<void>(() => undefined);
}

/** Its start() stalls inside a helper. */
@component({ startTimeout: 300 })
export class StallingClient extends Component {
  override async start(): Promise<void> {
    await waitForHandshake();
  }
}
