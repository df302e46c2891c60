import { Logger } from '../lifecycle/logger';
import type { ResourceKey } from '../resources/resource-key';
import { describeContext } from './context-label';
import type { contextLabel } from './internal';

/** What the task log reads of a context (a `Context` is one). Internal. */
export interface LogHost {
  readonly parent: LogHost | undefined;
  readonly [contextLabel]: string | undefined;
  getResourceNowait<T>(key: ResourceKey<T>, name: string | undefined, options: { optional: true }): T | undefined;
}

/** How a task ended, as its debug line says. */
export type TaskOutcome = 'finished' | 'cancelled' | 'failed';

/** The debug lines of one task: where it started and how it ended. Internal. */
export interface TaskLog {
  started(): void;
  ended(outcome: TaskOutcome): void;
}

/**
 * Debug lines for the task `what` (e.g. `service task 'poller'`) through the `Logger` resource
 * visible from `host`, with `fields` and the context's label; `undefined` when there is no logger
 * or it does not log at debug. The logger is found once, at start: the context may be closed by
 * the time the task ends.
 */
export function taskLog(host: LogHost, what: string, fields: Readonly<Record<string, string>>): TaskLog | undefined {
  let logger: Logger | undefined;
  try {
    logger = host.getResourceNowait(Logger, undefined, { optional: true });
  } catch {
    return undefined; // announced but not yet published, or built by an async factory: no log
  }
  if (logger === undefined || logger.isLevelEnabled?.('debug') === false) return undefined;
  const context = describeContext(host);
  const base = context === undefined ? { ...fields } : { ...fields, context };
  return {
    started: () => logger.debug(base, `${what} started`),
    ended: (outcome) => logger.debug({ ...base, outcome }, `${what} ended (${outcome})`),
  };
}
