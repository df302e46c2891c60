import { defineJob, jobProcessor, Queue, workerPoolJob } from 'asphalt-ts/queue';
import { scheduledJob } from 'asphalt-ts/scheduler';
import { defineTask } from 'asphalt-ts/workers';

/** A monthly report, rendered on the worker pool (CPU-heavy: the worker's event loop stays free). */
export const RenderReport = defineJob<{ month: string; lines: number }, { month: string; lines: number; checksum: string; onWorkerThread: boolean }>('render-report');
const render = defineTask<typeof import('./tasks/report').renderReport>(`${__dirname}/tasks/report.js:renderReport`);
export const renderReport = workerPoolJob(RenderReport, render);

/** The digest of the day: a scheduled job that queues the report of the month. */
export const NightlyDigest = defineJob<{ lines: number }, void>('nightly-digest');
export const nightlyDigest = scheduledJob(NightlyDigest, async ({ lines }, run) => {
  const reports = await run.context.getResource(Queue, 'reports');
  const month = run.fireTime.toISOString().slice(0, 7);
  await reports.add(RenderReport, { month, lines }, { jobId: `digest-${run.fireTime.getTime()}` });
  console.log(`digest ${run.schedule}: queued the report of ${month}`);
});

/** Logs the job it runs (an I/O-bound job on the worker's own loop). */
export const Announce = defineJob<{ text: string }, string>('announce');
export const announce = jobProcessor(Announce, async ({ text }, job) => `${text} (job ${job.name}, attempt ${job.attempt})`);
