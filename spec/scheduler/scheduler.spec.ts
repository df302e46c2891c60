import { bootstrap, Component, ContainerComponent, provides, silentLogger, token, type Application, type Context } from '../../lib';
import { defineJob, jobProcessor, Queue, QueueComponent, QueueWorker, QueueWorkerComponent, type QueueWorkerConfig } from '../../lib/queue';
import { RedisComponent } from '../../lib/redis';
import { CurrentRun, every, scheduledJob, Scheduler, SchedulerComponent, type RunEvent, type SchedulerConfig } from '../../lib/scheduler';
import { useRedisServer } from '../redis/redis-server';

jest.setTimeout(30_000);

const redis = useRedisServer();
const apps: Application[] = [];
afterEach(async () => {
  for (const app of apps.splice(0).reverse()) await app.stop().catch(() => undefined);
});

interface Session {
  readonly id: number;
}
const Session = token<Session>('SchedulerSpecSession');
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

const Tick = defineJob<{ fail?: boolean; ms?: number }, void>('tick');
const log: string[] = [];

class SpecScheduler extends SchedulerComponent {
  constructor(config: SchedulerConfig) {
    super(config);
    this.scheduler.handle(
      scheduledJob(Tick, async ({ fail, ms }, run) => {
        const current = await run.context.getResource(CurrentRun);
        const session = await run.context.getResource(Session);
        log.push(`tick ${run.schedule} same-run ${current === run} session ${session.id}`);
        if (ms) await new Promise((resolve) => setTimeout(resolve, ms));
        if (fail) throw new Error('tick failed');
      }),
    );
  }
}

async function start(scheduler: Record<string, unknown>, extra: Record<string, object> = {}): Promise<{ app: Application; scheduler: Scheduler; events: RunEvent[] }> {
  const app = await bootstrap(
    ContainerComponent,
    { components: { session: { type: SessionComponent }, scheduler: { type: SpecScheduler, ...scheduler }, ...extra } },
    { logger: silentLogger },
  );
  apps.push(app);
  const instance = await app.context.getResource(Scheduler);
  const events: RunEvent[] = [];
  instance.events.connect((event) => events.push(event));
  return { app, scheduler: instance, events };
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeEach(() => {
  log.length = 0;
  outcomes.length = 0;
});

describe('the scheduler', () => {
  it('runs schedules from config and from code, each run in its own context whose session commits or rolls back', async () => {
    const { scheduler, events } = await start({ schedules: [{ id: 'from-config', job: 'tick', trigger: { every: 50 } }] });
    scheduler.add({ id: 'from-code', job: Tick, args: { fail: true }, trigger: every(50) });
    await until(() => events.filter((e) => e.type === 'succeeded').length >= 2 && events.filter((e) => e.type === 'failed').length >= 2);
    const ofConfig = events.filter((e) => e.schedule === 'from-config');
    expect(ofConfig.slice(0, 2).map((e) => e.type)).toEqual(['submitted', 'succeeded']);
    expect(events.filter((e) => e.schedule === 'from-code' && e.type === 'failed')[0]?.error?.message).toBe('tick failed');
    expect(log.every((line) => / same-run true session \d+$/.test(line))).toBe(true);
    expect(outcomes).toEqual(expect.arrayContaining([expect.stringMatching(/^commit /), expect.stringMatching(/^rollback /)]));
    const listed = scheduler.list(2);
    expect(listed.map((s) => [s.id, s.job, s.trigger, s.next.length])).toEqual([
      ['from-config', 'tick', 'every 50 ms', 2],
      ['from-code', 'tick', 'every 50 ms', 2],
    ]);
  });

  it('misses a fire time beyond maxInstances while a run is still going', async () => {
    // coalesce off and a grace no load reaches: a late timer then yields one max-instances miss per
    // fire time rather than one folded ('coalesced') or 'late' miss, so the reason is the subject alone
    const { events } = await start({
      schedules: [{ id: 'slow', job: 'tick', args: { ms: 260 }, trigger: { every: 100 }, maxInstances: 1, coalesce: false, misfireGraceTime: 600_000 }],
    });
    await until(() => events.some((e) => e.type === 'succeeded'));
    const whileRunning = events.slice(0, events.findIndex((e) => e.type === 'succeeded'));
    const missed = whileRunning.filter((e) => e.type === 'missed');
    expect(missed.length).toBeGreaterThan(0);
    expect(missed.every((e) => e.reason === 'max-instances')).toBe(true);
    expect(whileRunning.filter((e) => e.type === 'submitted')).toHaveLength(1);
  });

  it('after the loop was blocked, coalesces the missed fire times into one run, or misses them beyond the grace time', async () => {
    const { events } = await start({
      schedules: [
        { id: 'coalesced', job: 'tick', trigger: { every: 40 }, coalesce: true, misfireGraceTime: 10_000 },
        { id: 'strict', job: 'tick', trigger: { every: 40 }, coalesce: false, misfireGraceTime: 0 },
      ],
    });
    await until(() => events.filter((e) => e.type === 'succeeded').length >= 1);
    events.length = 0;
    const blockedUntil = Date.now() + 400;
    while (Date.now() < blockedUntil) {
      // the event loop is blocked: no fire time can be served on time
    }
    await until(() => events.some((e) => e.schedule === 'coalesced' && e.type === 'submitted'));
    const coalesced = events.filter((e) => e.schedule === 'coalesced');
    // the fire time kept may find the run from before the block not yet finished: a max-instances miss
    expect(coalesced.filter((e) => e.type === 'missed').every((e) => e.reason === 'coalesced' || e.reason === 'max-instances')).toBe(true);
    expect(coalesced.filter((e) => e.type === 'missed' && e.reason === 'coalesced').length).toBeGreaterThanOrEqual(5);
    expect(coalesced.filter((e) => e.type === 'submitted')).toHaveLength(1);
    const strict = events.filter((e) => e.schedule === 'strict' && e.type === 'missed');
    // a fire time served on the very millisecond is not late; if a run is going, it is a max-instances miss
    expect(strict.filter((e) => e.reason === 'late').length).toBeGreaterThanOrEqual(5);
    expect(strict.every((e) => e.reason === 'late' || e.reason === 'max-instances')).toBe(true);
  });

  it('hands a run to a queue as a job whose id is the schedule and fire time, and stops before the queue', async () => {
    const handled: string[] = [];
    class TickWorker extends QueueWorkerComponent {
      constructor(config: QueueWorkerConfig) {
        super(config);
        this.addProcessor(jobProcessor(Tick, async (_args, job) => void handled.push(job.id)));
      }
    }
    const queue = `scheduled-${process.pid}`;
    const { app, events } = await start(
      { schedules: [{ id: 'queued', job: 'tick', trigger: { every: 100 }, queue: 'ticks' }] },
      {
        redis: { type: RedisComponent, port: redis().port },
        'queue/ticks': { type: QueueComponent, queue },
        worker: { type: TickWorker, queue },
      },
    );
    const worker = await app.context.getResource(QueueWorker);
    const completed: string[] = [];
    worker.events.connect((e) => e.type === 'completed' && completed.push(e.id));
    await until(() => completed.length >= 2);
    const succeeded = events.filter((e) => e.type === 'succeeded');
    expect(succeeded[0]!.jobId).toBe(`queued-${succeeded[0]!.fireTime.getTime()}`);
    expect(completed.slice(0, 2)).toEqual(succeeded.slice(0, 2).map((e) => e.jobId));
    const ticks = await app.context.getResource(Queue, 'ticks');
    const lifecycle: string[] = [];
    app.events.connect((event) => event.type === 'stopped' && lifecycle.push(event.path));
    await app.stop();
    expect(lifecycle.indexOf('root.scheduler')).toBeLessThan(lifecycle.indexOf('root.queue/ticks'));
    await expect(ticks.add(Tick, {})).rejects.toMatchObject({ code: 'ASPHALT_QUEUE_UNAVAILABLE' });
  });
});
