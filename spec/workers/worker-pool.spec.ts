import { join } from 'node:path';
import { Context, token, Signal } from '../../lib';
import { defineTask } from '../../lib/workers/task';
import { exposeToWorkers } from '../../lib/workers/expose-to-workers';
import { WorkerPool } from '../../lib/workers/worker-pool';

const fixtures = join(__dirname, 'fixtures', 'tasks.js');
type Fixtures = typeof import('./fixtures/tasks');
const task = <K extends keyof Fixtures & string>(name: K) =>
  defineTask<Extract<Fixtures[K], (...args: never[]) => unknown>>(`${fixtures}:${name}`);

interface Mailer {
  send(to: string): Promise<string>;
  fail(message: string): never;
}
const Mailer = token<Mailer>('Mailer');
const Progress = token<Signal<{ done: number; of: number }>>('Progress');
exposeToWorkers(Mailer, Progress);

function mailer(from: string, sent: string[] = []): Mailer {
  return {
    async send(to) {
      sent.push(to);
      return `${from} -> ${to} (${Context.current() ? 'in a context' : 'no context'})`;
    },
    fail(message) {
      throw Object.assign(new Error(message), { code: 'E_MAILER' });
    },
  };
}

/** The rejection of `promise` (handled at once, so closing the pool meanwhile raises no unhandled rejection). */
const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  (value) => { throw new Error(`expected a rejection, got ${String(value)}`); },
  (error: unknown) => error,
);

let pool: WorkerPool;
afterEach(async () => {
  await pool?.close();
});

describe('WorkerPool', () => {
  it('runs a task in a worker thread and resolves with its result', async () => {
    pool = new WorkerPool({ size: 1 });
    await expect(pool.run(task('add'), 2, 3)).resolves.toBe(5);
    await expect(pool.run(`${fixtures}:sum`, new Uint8Array([1, 2, 3]))).resolves.toBe(6);
  });

  it('moves buffers given in transferList instead of copying them', async () => {
    pool = new WorkerPool({ size: 1 });
    const bytes = new Uint8Array([4, 5, 6]);
    await expect(pool.run(task('sum'), bytes, { transferList: [bytes.buffer] })).resolves.toBe(15);
    expect(bytes.byteLength).toBe(0);
  });

  it("rejects with the worker's error: its class, message, code, fields and worker-side stack", async () => {
    pool = new WorkerPool({ size: 1 });
    const error = await pool.run(task('failWithCode'), 'bad input').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toMatchObject({ message: 'bad input', code: 'E_FIXTURE', detail: 42 });
    expect((error as Error).stack).toMatch(/at failWithCode \(.*fixtures[/\\]tasks\.js:\d+:\d+\)/);
  });

  it('names the module and its function exports when the export is missing', async () => {
    pool = new WorkerPool({ size: 1 });
    await expect(pool.run(`${fixtures}:notExport`)).rejects.toMatchObject({
      code: 'ASPHALT_WORKER_TASK_NOT_FOUND',
      message: expect.stringMatching(/no function export 'notExport'; its function exports: add, sum/),
    });
    await expect(pool.run(join(__dirname, 'fixtures', 'nowhere.js:f'))).rejects.toMatchObject({ code: 'ASPHALT_WORKER_TASK_NOT_FOUND' });
  });

  it('cancels a queued task when its signal aborts; it never runs', async () => {
    pool = new WorkerPool({ size: 1 });
    const running = pool.run(task('spin'), 200);
    const controller = new AbortController();
    const queued = pool.run(task('add'), 1, 1, { signal: controller.signal });
    expect(pool.queued).toBe(1);
    controller.abort(new Error('not needed'));
    await expect(queued).rejects.toMatchObject({ code: 'ASPHALT_WORKER_TASK_ABORTED', phase: 'queued', name: 'AbortError' });
    expect(pool.queued).toBe(0);
    await expect(running).resolves.toBe(200);
  });

  it('reports a running task as aborted and terminates its thread', async () => {
    pool = new WorkerPool({ size: 1 });
    const began = Date.now();
    const aborted = pool.run(task('spin'), 5_000, { signal: AbortSignal.timeout(150) });
    await expect(aborted).rejects.toMatchObject({ code: 'ASPHALT_WORKER_TASK_ABORTED', phase: 'running' });
    expect(Date.now() - began).toBeLessThan(3_000);
    await expect(pool.run(task('add'), 1, 2)).resolves.toBe(3); // a new thread takes over
  });

  it('refuses a task beyond maxQueue', async () => {
    pool = new WorkerPool({ size: 1, maxQueue: 1 });
    const first = pool.run(task('sleep'), 50);
    const second = pool.run(task('sleep'), 1);
    await expect(pool.run(task('sleep'), 1)).rejects.toMatchObject({ code: 'ASPHALT_WORKER_QUEUE_FULL' });
    await expect(Promise.all([first, second])).resolves.toEqual([50, 1]);
  });

  it('at context close, rejects queued tasks, lets the running one finish, then refuses new ones', async () => {
    const ctx = new Context();
    pool = new WorkerPool({ size: 1, context: ctx });
    ctx.addTeardownCallback(() => pool.close());
    const running = pool.run(task('sleep'), 300);
    const queued = [pool.run(task('add'), 1, 2), pool.run(task('add'), 3, 4)].map(failure);
    await new Promise((r) => setTimeout(r, 50));
    await ctx.close();
    await expect(running).resolves.toBe(300);
    for (const q of queued) expect(await q).toMatchObject({ code: 'ASPHALT_WORKER_POOL_CLOSED', message: expect.stringMatching(/still queued/) });
    await expect(pool.run(task('add'), 1, 1)).rejects.toMatchObject({ code: 'ASPHALT_WORKER_POOL_CLOSED' });
  });

  it('terminates a task still running after closeTimeout and rejects it', async () => {
    pool = new WorkerPool({ size: 1, closeTimeout: 100 });
    const running = failure(pool.run(task('spin'), 5_000));
    await new Promise((r) => setTimeout(r, 100));
    const began = Date.now();
    await pool.close();
    expect(Date.now() - began).toBeLessThan(2_000);
    expect(await running).toMatchObject({ code: 'ASPHALT_WORKER_POOL_CLOSED', message: expect.stringMatching(/closeTimeout/) });
  });
});

describe('calls from a worker back into the application', () => {
  it('runs the method on the main thread, in the context that submitted the task', async () => {
    await using ctx = new Context();
    const sent: string[] = [];
    ctx.addResource(mailer('app', sent), { types: [Mailer] });
    pool = new WorkerPool({ size: 1 });
    const result = await ctx.run(() => pool.run(task('sendMail'), 'ann@example.com'));
    expect(result).toBe('app -> ann@example.com (in a context)');
    expect(sent).toEqual(['ann@example.com']);
  });

  it('looks the resource up in the child context the task was submitted from', async () => {
    await using ctx = new Context();
    ctx.addResource(mailer('app'), { types: [Mailer] });
    const request = ctx.child();
    request.addResource(mailer('request'), { types: [Mailer], name: 'scoped' });
    pool = new WorkerPool({ size: 1 });
    await expect(request.run(() => pool.run(task('sendMail'), 'bo@example.com', 'scoped'))).resolves.toBe(
      'request -> bo@example.com (in a context)',
    );
    await expect(ctx.run(() => pool.run(task('sendMail'), 'bo@example.com', 'scoped'))).rejects.toMatchObject({
      code: 'ASPHALT_RESOURCE_NOT_FOUND',
    });
  });

  it("carries the main thread's error, with its code and stack, into the worker", async () => {
    await using ctx = new Context();
    ctx.addResource(mailer('app'), { types: [Mailer] });
    pool = new WorkerPool({ size: 1 });
    const seen = (await ctx.run(() => pool.run(task('catchMailerError')))) as { code: string; message: string; stack: string };
    expect(seen).toMatchObject({ message: 'boom', code: 'E_MAILER' });
    expect(seen.stack).toMatch(/at Object\.fail .*worker-pool\.spec\.ts/);
  });

  it('rejects a call for a resource nobody published with ResourceNotFoundError, back on the main thread', async () => {
    await using ctx = new Context();
    exposeToWorkers(token('Nowhere'));
    pool = new WorkerPool({ size: 1 });
    const error = await ctx.run(() => pool.run(task('missing'))).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ASPHALT_RESOURCE_NOT_FOUND', message: expect.stringContaining('token(Nowhere)') });
  });

  it('refuses a key that was not shared with exposeToWorkers', async () => {
    await using ctx = new Context();
    pool = new WorkerPool({ size: 1 });
    await expect(ctx.run(() => pool.run(task('notShared')))).rejects.toMatchObject({
      code: 'ASPHALT_WORKER_CALL',
      message: expect.stringMatching(/token:Secret is not shared .*exposeToWorkers\(Secret\)/),
    });
  });

  it('lets a worker dispatch to a Signal owned by the main thread', async () => {
    await using ctx = new Context();
    const progress = new Signal<{ done: number; of: number }>();
    const seen: number[] = [];
    progress.connect((event) => seen.push(event.done));
    ctx.addResource(progress, { types: [Progress] });
    pool = new WorkerPool({ size: 1 });
    await expect(ctx.run(() => pool.run(task('report'), 3))).resolves.toBe(3);
    expect(seen).toEqual([1, 2, 3]);
  });
});
