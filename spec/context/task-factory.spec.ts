import {
  Context,
  createTaskFactory,
  type TaskFailedEvent,
  type TaskHandle,
  TaskStartError,
  TeardownError,
} from '../../lib';

/** Resolves when `signal` aborts. */
const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('task factories', () => {
  it('start tasks inside their context and list the running ones', async () => {
    const ctx = new Context();
    const tasks = createTaskFactory(ctx, { name: 'jobs' });
    let current: Context | undefined;
    let finish!: () => void;
    const quick = tasks.start('quick', async () => {
      current = Context.current();
      await new Promise<void>((r) => (finish = r));
    });
    const slow = tasks.start('slow', (signal) => aborted(signal));

    expect(tasks.name).toBe('jobs');
    expect(tasks.handles).toEqual([quick, slow]);
    expect(current).toBe(ctx);
    finish();
    await quick.done;
    expect(quick.running).toBe(false);
    expect(tasks.handles).toEqual([slow]);
    await ctx.close();
    expect(slow.running).toBe(false);
    expect(tasks.handles).toEqual([]);
  });

  it('wait until a task reports it has started, and give its start value', async () => {
    const ctx = new Context();
    const tasks = createTaskFactory(ctx);
    const log: string[] = [];

    const server = await tasks.startAndWait<number>('server', async (signal, status) => {
      log.push('listening');
      status.started(8080);
      log.push('serving');
      await aborted(signal);
      log.push('closed');
    });
    log.push(`startAndWait resolved: ${server.startValue}`);

    expect(server.running).toBe(true);
    await ctx.close();
    expect(log).toEqual(['listening', 'serving', 'startAndWait resolved: 8080', 'closed']);
  });

  it('give the start value to a task started without waiting, once it calls started()', async () => {
    const ctx = new Context();
    const tasks = createTaskFactory(ctx);
    const handle = tasks.start<string>('late', (signal, status) => {
      status.started('ready');
      return aborted(signal);
    });
    expect(handle.startValue).toBe('ready');
    await ctx.close();
  });

  it('reject the wait with the error of a task that fails before calling started(), and do not report it on taskFailed', async () => {
    const ctx = new Context();
    const tasks = createTaskFactory(ctx);
    const failed: TaskFailedEvent[] = [];
    ctx.taskFailed.connect((event) => failed.push(event));
    const refused = new Error('port in use');

    await expect(
      tasks.startAndWait('server', async () => {
        await tick();
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(failed).toEqual([]);
    expect(tasks.handles).toEqual([]);
    await ctx.close();
  });

  it('reject the wait with a TaskStartError when the task ends without calling started()', async () => {
    const ctx = new Context();
    const tasks = createTaskFactory(ctx);

    const error = (await tasks.startAndWait('forgetful', async () => undefined).catch((e: unknown) => e)) as TaskStartError;

    expect(error).toBeInstanceOf(TaskStartError);
    expect(error.code).toBe('ASPHALT_TASK_START');
    expect(error.taskName).toBe('forgetful');
    expect(error.message).toContain("task 'forgetful' of task factory 'tasks' ended before it called status.started()");
    await ctx.close();
  });

  it('reject the wait with a TaskStartError when the context closes before the task started', async () => {
    const ctx = new Context();
    const tasks = createTaskFactory(ctx);
    const waiting = tasks.startAndWait('never-ready', (signal) => aborted(signal));
    const outcome = waiting.catch((e: unknown) => e);

    await ctx.close();

    const error = (await outcome) as TaskStartError;
    expect(error.code).toBe('ASPHALT_TASK_START');
    expect(error.message).toContain('was cancelled before it called status.started()');
  });

  it('refuse a second call of started()', async () => {
    const ctx = new Context();
    const tasks = createTaskFactory(ctx);
    let second: unknown;
    await tasks.startAndWait('twice', (signal, status) => {
      status.started();
      try {
        status.started();
      } catch (error) {
        second = error;
      }
      return aborted(signal);
    });
    expect((second as TaskStartError).code).toBe('ASPHALT_TASK_START');
    await ctx.close();
  });

  it('cancel one task through its handle without closing the context', async () => {
    const ctx = new Context();
    const tasks = createTaskFactory(ctx);
    const log: string[] = [];
    const body = (label: string) => async (signal: AbortSignal) => {
      await aborted(signal);
      log.push(`${label} aborted: ${(signal.reason as Error).name}`);
      await tick();
      log.push(`${label} ended`);
    };
    const a = tasks.start('a', body('a'));
    const b = tasks.start('b', body('b'));

    await a.cancel();
    log.push('cancel resolved');

    expect(a.running).toBe(false);
    expect(b.running).toBe(true);
    expect(ctx.state).toBe('open');
    expect(tasks.handles).toEqual([b]);
    await a.cancel(); // already ended: resolves at once
    await ctx.close();
    expect(log).toEqual(['a aborted: AbortError', 'a ended', 'cancel resolved', 'b aborted: AbortError', 'b ended']);
  });

  it('give cancel() the failure of a task that fails while being cancelled', async () => {
    const ctx = new Context();
    const tasks = createTaskFactory(ctx);
    const failed: TaskFailedEvent[] = [];
    ctx.taskFailed.connect((event) => failed.push(event));
    const handle = tasks.start('sloppy', async (signal) => {
      await aborted(signal);
      throw new Error('cleanup failed');
    });

    await expect(handle.cancel()).rejects.toMatchObject({
      code: 'ASPHALT_SERVICE_TASK_FAILED',
      message: "task 'sloppy' of task factory 'tasks' failed: cleanup failed",
    });
    expect(failed).toEqual([]);
    await ctx.close();
  });

  it('report a task failing while it runs on taskFailed, with its name', async () => {
    const ctx = new Context();
    const tasks = createTaskFactory(ctx, { name: 'mail' });
    const failed: TaskFailedEvent[] = [];
    ctx.taskFailed.connect((event) => failed.push(event));

    const handle = tasks.start('send', async () => {
      await tick();
      throw new Error('smtp down');
    });
    await handle.done;

    expect(failed.map((e) => [e.taskName, e.error.code, e.error.message])).toEqual([
      ['send', 'ASPHALT_SERVICE_TASK_FAILED', "task 'send' of task factory 'mail' failed: smtp down"],
    ]);
    await ctx.close();
  });

  it('stop every task at close, in LIFO order with the other teardown callbacks, and refuse new tasks then', async () => {
    const ctx = new Context();
    const log: string[] = [];
    ctx.addTeardownCallback(() => log.push('added before the factory'));
    const tasks = createTaskFactory(ctx);
    ctx.addTeardownCallback(() => {
      log.push('added after the factory');
      expect(() => tasks.start('late', async () => undefined)).toThrow(expect.objectContaining({ code: 'ASPHALT_CONTEXT_STATE' }));
    });
    const handles: TaskHandle[] = [];
    for (const name of ['one', 'two']) {
      handles.push(
        tasks.start(name, async (signal) => {
          await aborted(signal);
          log.push(`${name} stopped`);
        }),
      );
    }

    await ctx.close();

    expect(log).toEqual(['added after the factory', 'one stopped', 'two stopped', 'added before the factory']);
    expect(handles.every((h) => !h.running)).toBe(true);
  });

  it('raise the failures of tasks that fail while the context closes as one teardown failure', async () => {
    const ctx = new Context();
    const tasks = createTaskFactory(ctx, { name: 'workers' });
    for (const name of ['a', 'b']) {
      tasks.start(name, async (signal) => {
        await aborted(signal);
        throw new Error(`${name} broke`);
      });
    }

    const error = (await ctx.close().catch((e: unknown) => e)) as TeardownError;

    expect(error.code).toBe('ASPHALT_TEARDOWN');
    const inner = error.errors[0] as TeardownError;
    expect(inner.code).toBe('ASPHALT_TEARDOWN');
    expect(inner.errors.map((e) => (e as Error).message)).toEqual([
      "task 'a' of task factory 'workers' failed: a broke",
      "task 'b' of task factory 'workers' failed: b broke",
    ]);
    expect(error.message).toContain("task factory 'workers': TeardownError");
  });

  it('refuse a bad context, name or function with coded errors', async () => {
    const ctx = new Context();
    expect(() => createTaskFactory({} as Context)).toThrow(expect.objectContaining({ code: 'ASPHALT_INVALID_ARGUMENT' }));
    expect(() => createTaskFactory(ctx, { name: '' })).toThrow(expect.objectContaining({ code: 'ASPHALT_INVALID_ARGUMENT' }));
    const tasks = createTaskFactory(ctx);
    expect(() => tasks.start('', async () => undefined)).toThrow(expect.objectContaining({ code: 'ASPHALT_INVALID_ARGUMENT' }));
    expect(() => tasks.start('x', 'run' as never)).toThrow(expect.objectContaining({ code: 'ASPHALT_INVALID_ARGUMENT' }));
    await ctx.close();
    expect(() => createTaskFactory(ctx)).toThrow(expect.objectContaining({ code: 'ASPHALT_CONTEXT_STATE' }));
    expect(() => tasks.start('late', async () => undefined)).toThrow(expect.objectContaining({ code: 'ASPHALT_CONTEXT_STATE' }));
  });
});
