import { Writable } from 'node:stream';
import pino from 'pino';
import { bootstrap, Component, Context, createTaskFactory, labelContext, Logger } from '../../lib';

interface Line {
  level: number;
  msg: string;
  task?: string;
  taskFactory?: string;
  context?: string;
  outcome?: string;
}

/** A real pino logger whose JSON lines land in `lines`. */
function captureLogger(level: string): { logger: pino.Logger; lines: Line[] } {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text !== '') lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  return { logger: pino({ level, base: undefined, timestamp: false }, sink), lines };
}

const aborted = (signal: AbortSignal): Promise<void> => new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
const DEBUG = 20;

describe('task debug lines', () => {
  it('log a service task starting and ending, with its name and its context, through the Logger resource', async () => {
    const { logger, lines } = captureLogger('debug');
    const app = new Context();
    app.addResource(logger, { types: [Logger] });
    labelContext(app, 'root');
    const api = app.child();
    labelContext(api, 'api');

    const quick = api.startServiceTask('warmup', async () => undefined);
    await quick.done;
    api.startServiceTask('poller', (signal) => aborted(signal));
    await app.close();

    expect(lines).toEqual([
      { level: DEBUG, task: 'warmup', context: 'root > api', msg: "service task 'warmup' started" },
      { level: DEBUG, task: 'warmup', context: 'root > api', outcome: 'finished', msg: "service task 'warmup' ended (finished)" },
      { level: DEBUG, task: 'poller', context: 'root > api', msg: "service task 'poller' started" },
      { level: DEBUG, task: 'poller', context: 'root > api', outcome: 'cancelled', msg: "service task 'poller' ended (cancelled)" },
    ]);
  });

  it('log a failing task with outcome failed, and the tasks of a task factory with the factory name', async () => {
    const { logger, lines } = captureLogger('debug');
    const ctx = new Context();
    ctx.addResource(logger, { types: [Logger] });
    ctx.taskFailed.connect(() => undefined);
    const tasks = createTaskFactory(ctx, { name: 'mail' });

    await tasks.start('send', async () => {
      throw new Error('smtp down');
    }).done;
    await ctx.close();

    expect(lines.map((l) => [l.msg, l.task, l.taskFactory, l.outcome, l.context])).toEqual([
      ["task 'send' of task factory 'mail' started", 'send', 'mail', undefined, undefined],
      ["task 'send' of task factory 'mail' ended (failed)", 'send', 'mail', 'failed', undefined],
    ]);
  });

  it("name a component's service task after the component's path, with the logger given to bootstrap", async () => {
    const { logger, lines } = captureLogger('debug');
    class Poller extends Component {
      override async start(ctx: Context): Promise<void> {
        ctx.startServiceTask('poll', (signal) => aborted(signal));
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('poller', Poller);
      }
    }

    const app = await bootstrap(Root, {}, { logger });
    await app.stop();

    const taskLines = lines.filter((l) => l.task === 'poll').map((l) => [l.msg, l.context]);
    expect(taskLines).toEqual([
      ["service task 'poll' started", 'root.poller'],
      ["service task 'poll' ended (cancelled)", 'root.poller'],
    ]);
  });

  it('write nothing when the logger does not log at debug', async () => {
    const { logger, lines } = captureLogger('info');
    const ctx = new Context();
    ctx.addResource(logger, { types: [Logger] });
    logger.info('only this');

    await ctx.startServiceTask('quiet', async () => undefined).done;
    await ctx.close();

    expect(lines.map((l) => l.msg)).toEqual(['only this']);
  });

  it('log nothing, and still run the task, when the context has no Logger', async () => {
    const ctx = new Context();
    let ran = false;

    await ctx.startServiceTask('alone', async () => {
      ran = true;
    }).done;

    expect(ran).toBe(true);
    await ctx.close();
  });
});
