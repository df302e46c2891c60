import { token, type Context, type Token } from '../index';
import { WorkerPool, type Task } from '../workers/index';
import type { JobDefinition } from './job-definition';

/** What a processor knows about the job it runs (also the resource `CurrentJob` in the job's context). */
export interface JobRun<Payload = unknown> {
  readonly id: string;
  readonly name: string;
  readonly queue: string;
  readonly payload: Payload;
  /** 1 on the first attempt. */
  readonly attempt: number;
  /** Aborts when the job must stop: the worker is stopping and the drain time is over, or the job was cancelled. */
  readonly signal: AbortSignal;
  /** The job's own context (a child of the worker's): its resources are torn down when the job ends. */
  readonly context: Context;
  /** Reports progress (a number or an object), dispatched as a `progress` event. */
  progress(value: number | object): Promise<void>;
  /** Adds a line to the job's log in Redis. */
  log(line: string): Promise<void>;
}

/** The job running in the current context (a factory on the worker: one value per job context). */
export const CurrentJob: Token<JobRun> = token<JobRun>('CurrentJob');

/** Runs the jobs of one {@link JobDefinition}. Make one with {@link jobProcessor} or {@link workerPoolJob}. */
export interface JobProcessor<Payload = unknown, Result = unknown> {
  readonly job: JobDefinition<Payload, Result>;
  /** Whether it runs on the worker pool (the worker then needs a `WorkerPool`). */
  readonly pool: string | undefined;
  run(payload: Payload, run: JobRun<Payload>): Promise<Result>;
}

/**
 * A processor that runs `fn` in the job's context, on the worker's event loop: for I/O-bound jobs.
 * Its result must match the job's result type.
 *
 * @example
 * export const sendWelcome = jobProcessor(SendWelcome, async ({ to }, job) => {
 *   const mailer = await job.context.getResource(Mailer);
 *   return { messageId: await mailer.send({ to }) };
 * });
 */
export function jobProcessor<P, R>(job: JobDefinition<P, R>, fn: (payload: P, run: JobRun<P>) => R | Promise<R>): JobProcessor<P, R> {
  return { job, pool: undefined, run: async (payload, run) => fn(payload, run) };
}

/**
 * A processor that runs a task on the worker pool (worker threads), so a CPU-heavy job never
 * blocks the event loop of the process that fetched it (BullMQ's lock renewals keep running).
 * The task receives the payload and returns the result; the job's `AbortSignal` cancels it.
 *
 * @example
 * const render = defineTask<typeof import('./render').renderReport>(`${__dirname}/render.js:renderReport`);
 * export const renderReport = workerPoolJob(RenderReport, render);
 */
export function workerPoolJob<P, R>(job: JobDefinition<P, R>, task: Task<(payload: P) => R | Promise<R>>, options: { pool?: string } = {}): JobProcessor<P, R> {
  const pool = options.pool ?? 'default';
  return {
    job,
    pool,
    run: async (payload, run) => {
      const workers = await run.context.getResource(WorkerPool, pool);
      return (await workers.run(task, payload, { signal: run.signal })) as R;
    },
  };
}

/** Whether `value` looks like a {@link JobProcessor}. */
export function isJobProcessor(value: unknown): value is JobProcessor {
  const candidate = value as Partial<JobProcessor> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.run === 'function' && typeof candidate.job?.name === 'string';
}
