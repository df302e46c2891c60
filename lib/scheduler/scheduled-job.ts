import { token, type Context, type Token } from '../index';
import type { JobDefinition } from '../queue/index';

/** What a scheduled job knows about its run (also the resource `CurrentRun` in the run's context). */
export interface ScheduledRun<Args = unknown> {
  readonly schedule: string;
  readonly job: string;
  readonly args: Args;
  /** The fire time this run is for (not when it started). */
  readonly fireTime: Date;
  /** Aborts when the scheduler stops and the drain time is over. */
  readonly signal: AbortSignal;
  /** The run's own context (a child of the scheduler's), torn down when the run ends, with its error if it failed. */
  readonly context: Context;
}

/** The run in progress in the current context (a factory on the scheduler: one value per run context). */
export const CurrentRun: Token<ScheduledRun> = token<ScheduledRun>('CurrentRun');

/** Runs one job of the scheduler. Make one with {@link scheduledJob}. */
export interface ScheduledJobHandler<Args = unknown> {
  readonly job: string;
  run(args: Args, run: ScheduledRun<Args>): Promise<unknown>;
}

/**
 * A handler for the scheduled job `job` (a job definition from `defineJob`, or a name). List it in
 * the scheduler's `jobs` config (`"./jobs.js:digest"`) or pass it to `scheduler.handle()`.
 *
 * @example
 * export const digest = scheduledJob(NightlyDigest, async ({ to }, run) => {
 *   const db = await run.context.getResource(Db);
 * });
 */
export function scheduledJob<A>(job: JobDefinition<A, unknown> | string, fn: (args: A, run: ScheduledRun<A>) => unknown): ScheduledJobHandler<A> {
  return { job: typeof job === 'string' ? job : job.name, run: async (args, run) => fn(args, run) };
}

/** Whether `value` looks like a {@link ScheduledJobHandler}. */
export function isScheduledJobHandler(value: unknown): value is ScheduledJobHandler {
  const candidate = value as Partial<ScheduledJobHandler> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.job === 'string' && typeof candidate.run === 'function';
}
