import { Context, type TaskFailedEvent } from '../../lib';

const tick = () => new Promise((r) => setImmediate(r));

/** A task body that runs until its signal is aborted. */
function untilAborted(log: string[], label: string) {
  return (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      log.push(`${label} started`);
      signal.addEventListener('abort', () => {
        log.push(`${label} aborted`);
        resolve();
      });
    });
}

describe('service tasks', () => {
  it('run inside their context and are aborted and awaited at teardown', async () => {
    const ctx = new Context();
    const log: string[] = [];
    let current: Context | undefined;
    const handle = ctx.startServiceTask('poller', async (signal) => {
      current = Context.current();
      await untilAborted(log, 'poller')(signal);
      await tick();
      log.push('poller finished');
    });
    await tick();
    expect(handle.running).toBe(true);
    expect(current).toBe(ctx);
    await ctx.close();
    expect(log).toEqual(['poller started', 'poller aborted', 'poller finished']);
    expect(handle.running).toBe(false);
  });

  it('stop in LIFO order with the other teardown callbacks', async () => {
    const ctx = new Context();
    const log: string[] = [];
    ctx.addTeardownCallback(() => log.push('callback added first'));
    ctx.startServiceTask('task', untilAborted(log, 'task'));
    ctx.addTeardownCallback(() => log.push('callback added last'));
    await ctx.close();
    expect(log).toEqual(['task started', 'callback added last', 'task aborted', 'callback added first']);
  });

  it('use a custom teardown action instead of aborting', async () => {
    const ctx = new Context();
    const log: string[] = [];
    let release!: () => void;
    let aborted = false;
    ctx.startServiceTask(
      'server',
      async (signal) => {
        await new Promise<void>((r) => (release = r));
        aborted = signal.aborted;
        log.push('server closed');
      },
      { teardown: () => release() },
    );
    await ctx.close();
    expect(log).toEqual(['server closed']);
    expect(aborted).toBe(false);
  });

  it('report a failure after start with the task name, to the context and its ancestors', async () => {
    const root = new Context();
    const child = root.child();
    const seen: Array<[string, TaskFailedEvent]> = [];
    root.taskFailed.connect((event) => seen.push(['root', event]));
    child.taskFailed.connect((event) => seen.push(['child', event]));
    const handle = child.startServiceTask('worker', async () => {
      await tick();
      throw new Error('queue vanished');
    });
    await handle.done;
    expect(seen.map(([where]) => where)).toEqual(['child', 'root']);
    const [, event] = seen[0]!;
    expect(event.taskName).toBe('worker');
    expect(event.error.code).toBe('ASPHALT_SERVICE_TASK_FAILED');
    expect(event.error.message).toContain("service task 'worker' failed: queue vanished");
    expect((event.error.cause as Error).message).toBe('queue vanished');
    await root.close();
  });

  it('let the owner stop the application when a task fails', async () => {
    const root = new Context();
    const stopped: unknown[] = [];
    root.addTeardownCallback((error) => stopped.push(error));
    root.taskFailed.connect((event) => void root.close(event.error));
    const handle = root.startServiceTask('crasher', async () => {
      await tick();
      throw new Error('fatal');
    });
    await handle.done;
    await root.close();
    expect(stopped).toHaveLength(1);
    expect((stopped[0] as Error).message).toContain("'crasher'");
  });

  it('raise a failure that happens while stopping as a teardown error', async () => {
    const ctx = new Context();
    ctx.startServiceTask('sloppy', async (signal) => {
      await new Promise((r) => signal.addEventListener('abort', r));
      throw new Error('cleanup failed');
    });
    const error = (await ctx.close().catch((e: unknown) => e)) as AggregateError & { code: string };
    expect(error.code).toBe('ASPHALT_TEARDOWN');
    expect((error.errors[0] as Error).message).toContain("service task 'sloppy' failed: cleanup failed");
  });

  it('end quietly when they stop by rejecting with the abort reason', async () => {
    const ctx = new Context();
    ctx.startServiceTask('timer', (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))));
    await expect(ctx.close()).resolves.toBeUndefined();
  });

  it('cannot start on a closed context or without a name', async () => {
    const ctx = new Context();
    expect(() => ctx.startServiceTask('', async () => undefined)).toThrow(expect.objectContaining({ code: 'ASPHALT_INVALID_RESOURCE' }));
    await ctx.close();
    expect(() => ctx.startServiceTask('late', async () => undefined)).toThrow(expect.objectContaining({ code: 'ASPHALT_CONTEXT_STATE' }));
  });

  it('refuse a teardown option that is not a function when the task starts, naming the task', async () => {
    const ctx = new Context();
    const log: string[] = [];
    const start = (teardown: unknown) => () => ctx.startServiceTask('server', async () => log.push('ran'), { teardown: teardown as 'abort' });

    expect(start('cancel')).toThrow(expect.objectContaining({ code: 'ASPHALT_INVALID_ARGUMENT', message: expect.stringContaining("startServiceTask('server')") }));
    expect(start(42)).toThrow(/the teardown option must be 'abort' or a function .* got number/);
    expect(start(null)).toThrow(expect.objectContaining({ code: 'ASPHALT_INVALID_ARGUMENT' }));
    expect(log).toEqual([]);
    await expect(ctx.close()).resolves.toBeUndefined();
  });

  it('name the task and the failing teardown action in its error, then abort the task and wait for it', async () => {
    const ctx = new Context();
    const log: string[] = [];
    function closeServer(): never {
      throw new Error('already closed');
    }
    ctx.startServiceTask(
      'server',
      async (signal) => {
        await new Promise((r) => signal.addEventListener('abort', r));
        log.push('task aborted');
      },
      { teardown: closeServer },
    );

    const error = (await ctx.close().catch((e: unknown) => e)) as AggregateError & { code: string };

    const failure = error.errors[0] as Error & { code: string; taskName: string };
    expect(failure.code).toBe('ASPHALT_SERVICE_TASK_FAILED');
    expect(failure.taskName).toBe('server');
    expect(failure.message).toContain("the teardown action closeServer() of service task 'server' failed: already closed");
    expect(error.message).toContain("service task 'server': ServiceTaskError");
    expect(log).toEqual(['task aborted']);
  });

  it('can be cancelled through the handle without closing the context', async () => {
    const ctx = new Context();
    const log: string[] = [];
    const handle = ctx.startServiceTask('poller', untilAborted(log, 'poller'));

    await handle.cancel();

    expect(handle.running).toBe(false);
    expect(ctx.state).toBe('open');
    await ctx.close();
    expect(log).toEqual(['poller started', 'poller aborted']);
  });
});
