import { ApplicationState, bootstrap, Component, ContainerComponent, requires, silentLogger, type Context } from '../../lib';

const seen: string[] = [];

class Watcher extends Component {
  @requires(ApplicationState) app!: ApplicationState;

  override async start(_ctx: Context): Promise<void> {
    seen.push(`start: ${this.app.phase}`);
    void this.app.whenStarted().then(() => seen.push('whenStarted resolved'));
    this.app.changes.connect((event) => seen.push(`change: ${event.phase}`));
  }
}

class Slow extends Component {
  override async start(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen.push('slow started');
  }
}

describe('ApplicationState', () => {
  it('turns started only once every component has started, and stopping when the stop begins', async () => {
    seen.length = 0;
    const app = await bootstrap(ContainerComponent, { components: { watcher: { type: Watcher }, slow: { type: Slow } } }, { logger: silentLogger });
    await Promise.resolve();
    const state = await app.context.getResource(ApplicationState);
    expect(state.phase).toBe('started');
    await app.stop();
    expect(seen).toEqual(['start: starting', 'slow started', 'change: started', 'whenStarted resolved', 'change: stopping']);
    expect(state.phase).toBe('stopping');
  });
});
