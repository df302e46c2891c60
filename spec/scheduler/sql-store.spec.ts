import { bootstrap, ContainerComponent, silentLogger, type Application } from '../../lib';
import { defineJob } from '../../lib/queue';
import { every, scheduledJob, Scheduler, SchedulerComponent, type RunEvent, type SchedulerConfig } from '../../lib/scheduler';
import { SqlComponent, SqlDatabase } from '../../lib/sql';
import { usePostgres } from '../sql/postgres-server';

jest.setTimeout(90_000);

const pg = usePostgres('scheduler');
const Record = defineJob<Record<string, never>, void>('record');

/** Fire times each instance ran, by instance index. */
const ran: number[][] = [];

function recordingScheduler(index: number): typeof SchedulerComponent {
  return class extends SchedulerComponent {
    constructor(config: SchedulerConfig) {
      super(config);
      this.scheduler.handle(scheduledJob(Record, async (_args, run) => void (ran[index] ??= []).push(run.fireTime.getTime())));
    }
  };
}

const apps: Application[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop().catch(() => undefined);
});

describe('the scheduler with a PostgreSQL store', () => {
  it('runs each of 12 fire times exactly once across three instances sharing the schedule', async () => {
    const events: RunEvent[] = [];
    const schedulers: Scheduler[] = [];
    // No fire time may be missed under any load: grace beyond the test, no coalescing, a cap above the fire times;
    // the subject is that each fire time runs once across the instances.
    for (const index of [0, 1, 2]) {
      const app = await bootstrap(
        ContainerComponent,
        {
          components: {
            sql: { type: SqlComponent, url: pg().databaseUrl },
            scheduler: { type: recordingScheduler(index), store: 'sql', misfireGraceTime: 30_000, coalesce: false, maxInstances: 20 },
          },
        },
        { logger: silentLogger },
      );
      apps.push(app);
      const scheduler = await app.context.getResource(Scheduler);
      scheduler.events.connect((event) => events.push(event));
      schedulers.push(scheduler);
    }
    const interval = 250;
    const start = Math.ceil((Date.now() + 1_500) / interval) * interval;
    const end = start + 11 * interval;
    for (const scheduler of schedulers) scheduler.add({ id: 'shared', job: Record, trigger: every(interval, { start: new Date(start), end: new Date(end) }) });

    const deadline = Date.now() + 30_000;
    while ((events.filter((e) => e.type === 'succeeded').length < 12 || Date.now() < end + 1_000) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const fireTimes = ran.flat().sort((a, b) => a - b);
    expect(fireTimes).toEqual(Array.from({ length: 12 }, (_, i) => start + i * interval));
    expect(events.filter((e) => e.type === 'missed')).toEqual([]);

    // The claims are rows of the store's table, one per fire time.
    const db = await apps[0].context.getResource(SqlDatabase);
    const rows = await db.query<{ n: string }>(`SELECT count(*) AS n FROM asphalt_scheduler_runs WHERE schedule = 'shared'`);
    expect(Number(rows.rows[0].n)).toBe(12);
  });

  it('refuses to start with store: sql and no PostgreSQL database, naming the fix', async () => {
    await expect(
      bootstrap(ContainerComponent, { components: { scheduler: { type: SchedulerComponent, store: 'sql' } } }, { logger: silentLogger }),
    ).rejects.toThrow(/store: sql: no sql component publishes SqlDatabase 'default'.*postgres:\/\//s);
  });
});
