import { CLIApplicationComponent, component, type Context } from 'asphalt-ts';
import { Queue, QueueWorker } from 'asphalt-ts/queue';
import { Scheduler } from 'asphalt-ts/scheduler';
import { IsInt, Min } from 'class-validator';
import { Announce, RenderReport } from './jobs';

export class JobsAppConfig {
  /** How many digest runs to wait for before the demo ends. */
  @IsInt() @Min(1) digests = 2;
}

/**
 * Queues two reports and an announcement, waits for the worker to complete them and for the
 * digest schedule to run twice (each run queues one more report), lists the schedules, and exits.
 */
@component()
export class JobsApp extends CLIApplicationComponent {
  constructor(readonly config: JobsAppConfig) {
    super();
  }

  async run(ctx: Context): Promise<number> {
    // The children's resources (run() is called once the whole tree has started).
    const reports = await ctx.getResource(Queue, 'reports');
    const worker = await ctx.getResource(QueueWorker);
    const scheduler = await ctx.getResource(Scheduler);
    const completed = new Map<string, unknown>();
    const disconnectWorker = worker.events.connect((event) => {
      if (event.type !== 'completed') return;
      completed.set(event.id, event.result);
      const result = event.result as { month?: string; checksum?: string; onWorkerThread?: boolean } | string;
      if (typeof result === 'string') console.log(`completed ${event.name}: ${result}`);
      else console.log(`completed ${event.name} ${result.month}: checksum ${result.checksum}, on a worker thread: ${result.onWorkerThread}`);
    });
    let digests = 0;
    let digestsRunning = 0;
    scheduler.events.connect((event) => {
      if (event.schedule !== 'demo-digest') return;
      if (event.type === 'submitted') digestsRunning++;
      else if (event.type === 'succeeded' || event.type === 'failed') digestsRunning--;
      if (event.type === 'succeeded') digests++;
    });
    const ids = [
      await reports.add(RenderReport, { month: '2026-10', lines: 20 }),
      await reports.add(RenderReport, { month: '2026-11', lines: 20 }, { priority: 1 }),
      await reports.add(Announce, { text: 'reports are on their way' }),
    ];
    while (ids.some((id) => !completed.has(id)) || digests < this.config.digests || completed.size < ids.length + this.config.digests) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The demo schedule would go on firing while the application stops: remove it, let a run in
    // flight finish, and stop listening, so that the last line printed is the summary.
    scheduler.remove('demo-digest');
    while (digestsRunning > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    disconnectWorker();
    for (const schedule of scheduler.list(2)) {
      if (schedule.id === 'nightly-digest') console.log(`schedule ${schedule.id} (${schedule.trigger}): next ${schedule.next.map((d) => d.toISOString()).join(', ')}`);
    }
    console.log(`done: ${completed.size} jobs completed`);
    return 0;
  }
}
