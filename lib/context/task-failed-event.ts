import type { ServiceTaskError } from '../errors';

/** Dispatched on `ctx.taskFailed` (and every ancestor's) when a service task fails while running. */
export interface TaskFailedEvent {
  readonly taskName: string;
  /** Wraps the task's own error as `cause`; its message names the task. */
  readonly error: ServiceTaskError;
}
