import { InvalidArgumentError } from '../index';

/**
 * A kind of job: its name, and (at the type level) its payload and result types, so that
 * `queue.add(job, payload)` checks the payload and a processor for it must return the result.
 * Make one with {@link defineJob}.
 */
export interface JobDefinition<Payload = unknown, Result = unknown> {
  /** The BullMQ job name. */
  readonly name: string;
  /** Carries the payload and result types only. */
  readonly __types?: { payload: Payload; result: Result };
}

/** The payload type of a {@link JobDefinition}. */
export type PayloadOf<J> = J extends JobDefinition<infer P, unknown> ? P : never;
/** The result type of a {@link JobDefinition}. */
export type ResultOf<J> = J extends JobDefinition<unknown, infer R> ? R : never;

const jobName = /^[\w.:-]+$/;

/**
 * Declares a job: a name plus its payload and result types. Payloads and results travel as JSON.
 *
 * @example
 * export const RenderReport = defineJob<{ month: string }, { bytes: number }>('render-report');
 * await queue.add(RenderReport, { month: '2026-11' });        // payload checked
 * jobProcessor(RenderReport, async ({ month }) => ({ bytes: 1 })); // result checked
 */
export function defineJob<Payload, Result = void>(name: string): JobDefinition<Payload, Result> {
  if (typeof name !== 'string' || !jobName.test(name)) {
    throw new InvalidArgumentError(`defineJob: a job name is letters, digits and _ . : -, got ${JSON.stringify(name)}`);
  }
  return Object.freeze({ name });
}
