import { join } from 'node:path';
import {
  ApplicationState,
  attachTransactionScope,
  bootstrap,
  Component,
  ContainerComponent,
  provides,
  silentLogger,
  token,
  type Application,
  type Context,
  type LifecycleEvent,
  type TransactionScope,
} from '../../lib';
import { defineTask, WorkerPoolComponent } from '../../lib/workers';
import {
  CurrentJob,
  defineJob,
  jobProcessor,
  Queue,
  QueueComponent,
  QueueWorker,
  QueueWorkerComponent,
  workerPoolJob,
  type JobEvent,
  type QueueWorkerConfig,
} from '../../lib/queue';
import { RedisComponent } from '../../lib/redis';
import { useRedisServer } from '../redis/redis-server';

jest.setTimeout(30_000);

const redis = useRedisServer();
const apps: Application[] = [];
afterEach(async () => {
  for (const app of apps.splice(0).reverse()) await app.stop().catch(() => undefined);
});

let queueNames = 0;
const freshQueue = (): string => `spec-${process.pid}-${++queueNames}`;

const Greet = defineJob<{ who: string }, { greeting: string }>('greet');
const Flaky = defineJob<{ failures: number }, string>('flaky');
const Slow = defineJob<{ ms: number; n: number }, number>('slow');
const Chain = defineJob<{ n: number }, void>('chain');

/** A unit of work per job, like a SQL session: committed when the job succeeds, rolled back when it fails. */
interface Session {
  readonly id: number;
}
const Session = token<Session>('SpecSession');
const outcomes: string[] = [];
let sessions = 0;

@provides(Session)
class SessionComponent extends Component {
  override async start(ctx: Context): Promise<void> {
    ctx.addResourceFactory(() => ({ id: ++sessions }), {
      types: [Session],
      teardown: (session, error) => void outcomes.push(`${error === undefined ? 'commit' : 'rollback'} ${session.id}`),
    });
  }
}

const seen: string[] = [];
const attempts = new Map<string, number>();

class SpecWorker extends QueueWorkerComponent {
  constructor(config: QueueWorkerConfig) {
    super(config);
    this.addProcessor(
      jobProcessor(Greet, async ({ who }, job) => {
        const current = await job.context.getResource(CurrentJob);
        const session = await job.context.getResource(Session);
        seen.push(`greet ${who} attempt ${job.attempt} same-job ${current === job} session ${session.id}`);
        return { greeting: `hello ${who}` };
      }),
    );
    this.addProcessor(
      jobProcessor(Flaky, async ({ failures }, job) => {
        await job.context.getResource(Session);
        attempts.set(job.id, job.attempt);
        if (job.attempt <= failures) throw new Error(`failure ${job.attempt}`);
        return `ok after ${job.attempt}`;
      }),
    );
    this.addProcessor(
      jobProcessor(Slow, async ({ ms, n }, job) => {
        seen.push(`slow ${n} start`);
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, ms);
          job.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(job.signal.reason as Error);
          });
        });
        seen.push(`slow ${n} done`);
        return n;
      }),
    );
    this.addProcessor(
      jobProcessor(Chain, async ({ n }, job) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const followups = await job.context.getResource(Queue, 'followups');
        await followups.add(Greet, { who: `follow-up ${n}` });
        seen.push(`chain ${n} enqueued`);
      }),
    );
  }
}

interface Tree {
  queue: string;
  worker?: Record<string, unknown> | false;
  producer?: Record<string, unknown>;
  extra?: Record<string, object>;
}

async function start({ queue, worker = {}, producer = {}, extra = {} }: Tree, events?: LifecycleEvent[]): Promise<Application> {
  const components: Record<string, object> = {
    redis: { type: RedisComponent, port: redis().port },
    session: { type: SessionComponent },
    producer: { type: QueueComponent, queue, ...producer },
    ...extra,
  };
  if (worker !== false) components.worker = { type: SpecWorker, queue, drainTimeout: 500, ...worker };
  const app = await bootstrap(ContainerComponent, { components }, { logger: silentLogger });
  if (events) app.events.connect((event) => events.push(event));
  apps.push(app);
  return app;
}

async function eventsOf(app: Application, count: number, filter: (event: JobEvent) => boolean): Promise<JobEvent[]> {
  const worker = await app.context.getResource(QueueWorker);
  const found: JobEvent[] = [];
  await new Promise<void>((resolve) => {
    const disconnect = worker.events.connect((event) => {
      if (!filter(event)) return;
      found.push(event);
      if (found.length === count) {
        disconnect();
        resolve();
      }
    });
  });
  return found;
}

beforeEach(() => {
  seen.length = 0;
  outcomes.length = 0;
});

describe('the queue battery', () => {
  it('runs a typed job in its own context, with its own session committed when it succeeds', async () => {
    const app = await start({ queue: freshQueue() });
    const queue = await app.context.getResource(Queue);
    const done = eventsOf(app, 2, (e) => e.type === 'completed');
    const ids = [await queue.add(Greet, { who: 'ann' }), await queue.add(Greet, { who: 'bob' })];
    // @ts-expect-error the payload is checked against the job's definition
    void queue.add(Greet, { whom: 'nobody' }).catch(() => undefined);
    const completed = await done;
    expect(completed.map((e) => [e.id, e.result])).toEqual([
      [ids[0], { greeting: 'hello ann' }],
      [ids[1], { greeting: 'hello bob' }],
    ]);
    expect(seen.filter((s) => s.startsWith('greet'))).toEqual([
      expect.stringMatching(/^greet ann attempt 1 same-job true session \d+$/),
      expect.stringMatching(/^greet bob attempt 1 same-job true session \d+$/),
    ]);
    expect(new Set(outcomes).size).toBe(outcomes.length);
    expect(outcomes.every((o) => o.startsWith('commit'))).toBe(true);
  });

  it('retries a failing job with backoff from config, rolling back each failed attempt', async () => {
    const app = await start({ queue: freshQueue(), producer: { jobs: { flaky: { attempts: 3, backoff: { type: 'fixed', delay: 50 } } } } });
    const queue = await app.context.getResource(Queue);
    const events = eventsOf(app, 3, (e) => e.type === 'failed' || e.type === 'completed');
    const id = await queue.add(Flaky, { failures: 2 });
    const seenEvents = await events;
    expect(seenEvents.map((e) => [e.type, e.attempt, e.willRetry ?? null, e.error?.message ?? e.result])).toEqual([
      ['failed', 1, true, 'failure 1'],
      ['failed', 2, true, 'failure 2'],
      ['completed', 3, null, 'ok after 3'],
    ]);
    expect(attempts.get(id)).toBe(3);
    expect(outcomes.map((o) => o.split(' ')[0])).toEqual(['rollback', 'rollback', 'commit']);
  });

  it('takes jobs by priority, and only once the whole application has started', async () => {
    const name = freshQueue();
    const producerOnly = await start({ queue: name, worker: false });
    const queue = await producerOnly.context.getResource(Queue);
    await queue.add(Greet, { who: 'third' }, { priority: 3 });
    await queue.add(Greet, { who: 'first' }, { priority: 1 });
    await queue.add(Greet, { who: 'second' }, { priority: 2 });

    const phases: string[] = [];
    class SlowToStart extends Component {
      override async start(ctx: Context): Promise<void> {
        const state = await ctx.getResource(ApplicationState);
        await new Promise((resolve) => setTimeout(resolve, 300));
        phases.push(`slow component started while ${state.phase}, ${seen.length} job(s) run`);
      }
    }
    const app = await start({ queue: name, extra: { slow: { type: SlowToStart } } });
    await eventsOf(app, 3, (e) => e.type === 'completed');
    expect(phases).toEqual(['slow component started while starting, 0 job(s) run']);
    expect(seen.map((s) => s.split(' ')[1])).toEqual(['first', 'second', 'third']);
  });

  it('sends a job added inside an open transaction only after it commits, and never after a rollback', async () => {
    const app = await start({ queue: freshQueue() });
    const queue = await app.context.getResource(Queue);
    const worker = await app.context.getResource(QueueWorker);
    const added: string[] = [];
    queue.added.connect((event) => added.push(`${event.id} deferred=${event.deferred}`));

    const transaction = (): TransactionScope & { commit(): Promise<void>; rollback(): void } => {
      let work: Array<() => unknown> = [];
      let active = true;
      return {
        get active() {
          return active;
        },
        defer: (fn) => void work.push(fn),
        async commit() {
          active = false;
          for (const fn of work) await fn();
        },
        rollback() {
          active = false;
          work = [];
        },
      };
    };
    const committed = transaction();
    const request = app.context.child();
    attachTransactionScope(request, committed);
    const id = await request.run(() => queue.add(Greet, { who: 'committed' }));
    expect(added).toEqual([]);
    expect(await queue.bull.getJob(id)).toBeUndefined();
    const completed = worker.events.waitFor((e) => e.type === 'completed' && e.id === id, { timeout: 10_000 });
    await committed.commit();
    await completed;
    expect(added).toEqual([`${id} deferred=true`]);

    const rolledBack = transaction();
    const other = app.context.child();
    attachTransactionScope(other, rolledBack);
    const lost = await queue.add(Greet, { who: 'rolled back' }, { context: other });
    rolledBack.rollback();
    const immediate = await queue.add(Greet, { who: 'immediate' }, { context: other, immediate: true });
    await worker.events.waitFor((e) => e.type === 'completed' && e.id === immediate, { timeout: 10_000 });
    expect(await queue.bull.getJob(lost)).toBeUndefined();
    expect(seen.filter((s) => s.includes('rolled back'))).toEqual([]);
    await request.close();
    await other.close();
  });

  it('stops a worker before the queues its jobs add to and the Redis component, finishing the active job', async () => {
    const name = freshQueue();
    const lifecycle: LifecycleEvent[] = [];
    const app = await start(
      {
        queue: name,
        worker: { uses: ['followups'], drainTimeout: 5_000 },
        extra: { 'followups/followups': { type: QueueComponent, queue: `${name}-followups` } },
      },
      lifecycle,
    );
    const queue = await app.context.getResource(Queue);
    const active = eventsOf(app, 1, (e) => e.type === 'active');
    await queue.add(Chain, { n: 1 });
    await active;
    await app.stop();
    expect(seen).toEqual(['chain 1 enqueued']);
    const stopped = lifecycle.filter((e) => e.type === 'stopped').map((e) => (e as { path: string }).path);
    const at = (path: string): number => stopped.indexOf(path);
    expect(at('root.worker')).toBeGreaterThanOrEqual(0);
    expect(at('root.worker')).toBeLessThan(at('root.followups/followups'));
    expect(at('root.followups/followups')).toBeLessThan(at('root.redis'));
  });

  it('at a graceful stop completes short jobs and returns the long ones to the queue within the drain time', async () => {
    const name = freshQueue();
    const app = await start({ queue: name, worker: { concurrency: 2, drainTimeout: 300 } });
    const queue = await app.context.getResource(Queue);
    const worker = await app.context.getResource(QueueWorker);
    const events: JobEvent[] = [];
    worker.events.connect((e) => events.push(e));
    const both = eventsOf(app, 2, (e) => e.type === 'active');
    const short = await queue.add(Slow, { ms: 100, n: 1 });
    const long = await queue.add(Slow, { ms: 60_000, n: 2 });
    await both;
    await app.stop();
    expect(events.filter((e) => e.type !== 'active').map((e) => [e.type, e.id])).toEqual([
      ['completed', short],
      ['returned', long],
    ]);
    expect(seen).toEqual(['slow 1 start', 'slow 2 start', 'slow 1 done']);

    const again = await start({ queue: name, worker: { drainTimeout: 300 } });
    const rerun = await eventsOf(again, 1, (e) => e.type === 'active');
    expect(rerun[0]).toMatchObject({ id: long, attempt: 1 });
  });

  it('runs a CPU-heavy job on the worker pool, so the fetching loop keeps turning', async () => {
    const cpu = join(__dirname, 'fixtures', 'cpu.js');
    const spin = defineTask<typeof import('./fixtures/cpu').spin>(`${cpu}:spin`);
    const Spin = defineJob<{ ms: number; n: number }, { n: number; threadId: number; spun: boolean }>('spin');
    class PoolWorker extends QueueWorkerComponent {
      constructor(config: QueueWorkerConfig) {
        super(config);
        this.addProcessor(workerPoolJob(Spin, spin));
      }
    }
    const app = await start({ queue: freshQueue(), worker: false, extra: { pool: { type: WorkerPoolComponent, size: 1 } } });
    const queue = await app.context.getResource(Queue);
    const other = await bootstrap(
      ContainerComponent,
      {
        components: {
          redis: { type: RedisComponent, port: redis().port },
          pool: { type: WorkerPoolComponent, size: 1 },
          worker: { type: PoolWorker, queue: queue.name },
        },
      },
      { logger: silentLogger },
    );
    apps.push(other);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    try {
      const done = eventsOf(other, 1, (e) => e.type === 'completed');
      await queue.add(Spin, { ms: 400, n: 7 });
      const [completed] = await done;
      expect(completed!.result).toMatchObject({ n: 7, spun: true });
      expect((completed!.result as { threadId: number }).threadId).toBeGreaterThan(0);
      expect(ticks).toBeGreaterThan(5);
    } finally {
      clearInterval(ticker);
    }
  });
});
