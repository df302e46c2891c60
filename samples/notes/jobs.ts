import { defineJob, jobProcessor, Queue } from 'asphalt-ts/queue';
import { scheduledJob } from 'asphalt-ts/scheduler';
import { SqlSession } from 'asphalt-ts/sql';
import { defineTask, WorkerPool } from 'asphalt-ts/workers';

/** The report of the day's notes, rendered on the worker pool so the worker's event loop stays free. */
export const NotesReport = defineJob<{ day: string; titles: string[] }, { day: string; notes: number; checksum: string; onWorkerThread: boolean }>('notes-report');
const render = defineTask<typeof import('./tasks/report').renderNotesReport>(`${__dirname}/tasks/report.js:renderNotesReport`);

export const notesReport = jobProcessor(NotesReport, async (payload, run) => {
  const report = await (await run.context.getResource(WorkerPool)).run(render, payload);
  console.log(`report ${report.day}: ${report.notes} note(s), checksum ${report.checksum}, on a worker thread: ${report.onWorkerThread}`);
  return report;
});

/**
 * The nightly digest: reads the notes in the run's own transaction and queues their report. The job
 * is sent when that transaction commits (`queue.add` inside an open transaction waits for it).
 */
export const NotesDigest = defineJob<Record<string, never>, void>('notes-digest');
export const notesDigest = scheduledJob(NotesDigest, async (_args, run) => {
  const session = await run.context.getResource(SqlSession);
  const titles = (await session.sql<{ title: string }>`SELECT title FROM notes ORDER BY id`).map((note) => note.title);
  const day = run.fireTime.toISOString().slice(0, 10);
  await (await run.context.getResource(Queue, 'reports')).add(NotesReport, { day, titles }, { jobId: `notes-digest-${run.fireTime.getTime()}` });
  console.log(`digest ${run.schedule}: ${titles.length} note(s), report queued`);
});
