import type { Cron } from 'croner';
import { InvalidArgumentError, requirePeer } from '../index';

/**
 * When a schedule fires. `next(after)` is the first fire time strictly after `after`, or
 * `undefined` when it never fires again. Fire times are computed, never counted from "now", so
 * every instance of an application computes the same ones (that is what lets them agree on who
 * runs each).
 */
export interface Trigger {
  next(after: Date): Date | undefined;
  /** For listings: `cron 0 3 * * * (Europe/Paris)`, `every 60000 ms`, ... */
  describe(): string;
}

/**
 * Fires on a cron pattern (5 fields, or 6 with seconds first), in `timezone` (an IANA name;
 * default: the process's), with daylight saving time handled by croner: a time skipped by the
 * spring change runs at the first valid instant after it, a repeated hour runs once.
 *
 * @example
 * cron('0 3 * * *', { timezone: 'Europe/Paris' }) // every night at 03:00 Paris time
 */
export function cron(pattern: string, options: { timezone?: string } = {}): Trigger {
  const { Cron: CronClass } = requirePeer<typeof import('croner')>('croner', 'asphalt-ts/scheduler', '11');
  let job: Cron;
  try {
    job = new CronClass(pattern, { timezone: options.timezone, paused: true });
  } catch (error) {
    throw new InvalidArgumentError(`cron('${pattern}'${options.timezone ? `, ${options.timezone}` : ''}): ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return {
    next: (after) => job.nextRun(after) ?? undefined,
    describe: () => `cron ${pattern}${options.timezone ? ` (${options.timezone})` : ''}`,
  };
}

/**
 * Fires every `ms` milliseconds, at `start + k * ms` (default start: the Unix epoch, so instances
 * agree), from `start` until `end` (inclusive) when given.
 *
 * @example
 * every(60_000)                                   // at each whole minute since the epoch
 * every(500, { start: '2026-12-01T00:00:00Z' })
 */
export function every(ms: number, options: { start?: Date | string; end?: Date | string } = {}): Trigger {
  if (!Number.isFinite(ms) || ms < 1) throw new InvalidArgumentError(`every(${ms}): the interval must be a number of ms >= 1`);
  const start = options.start === undefined ? 0 : dateOf(options.start, 'every').getTime();
  const end = options.end === undefined ? Infinity : dateOf(options.end, 'every').getTime();
  return {
    next: (after) => {
      const t = after.getTime();
      const k = t < start ? 0 : Math.floor((t - start) / ms) + 1;
      const at = start + k * ms;
      return at <= end ? new Date(at) : undefined;
    },
    describe: () => `every ${ms} ms${options.start === undefined ? '' : ` from ${new Date(start).toISOString()}`}${end === Infinity ? '' : ` until ${new Date(end).toISOString()}`}`,
  };
}

/** Fires once, at `date`. */
export function at(date: Date | string): Trigger {
  const when = dateOf(date, 'at');
  return {
    next: (after) => (when.getTime() > after.getTime() ? when : undefined),
    describe: () => `at ${when.toISOString()}`,
  };
}

/** Fires whenever any of `triggers` fires (the same instant once). */
export function anyOf(...triggers: Trigger[]): Trigger {
  if (triggers.length === 0) throw new InvalidArgumentError('anyOf(): give at least one trigger');
  return {
    next: (after) => {
      let best: Date | undefined;
      for (const trigger of triggers) {
        const next = trigger.next(after);
        if (next !== undefined && (best === undefined || next.getTime() < best.getTime())) best = next;
      }
      return best;
    },
    describe: () => `any of (${triggers.map((t) => t.describe()).join('; ')})`,
  };
}

/** Fires at the instants where all of `triggers` fire (e.g. a cron pattern within an interval's window). */
export function allOf(...triggers: Trigger[]): Trigger {
  if (triggers.length === 0) throw new InvalidArgumentError('allOf(): give at least one trigger');
  return {
    next: (after) => {
      let candidate = triggers[0]!.next(after);
      for (let round = 0; candidate !== undefined && round < 10_000; round++) {
        const probe = new Date(candidate.getTime() - 1);
        const nexts = triggers.map((t) => t.next(probe));
        if (nexts.some((n) => n === undefined)) return undefined;
        const latest = Math.max(...nexts.map((n) => n!.getTime()));
        if (nexts.every((n) => n!.getTime() === latest)) return new Date(latest);
        candidate = new Date(latest);
      }
      return undefined;
    },
    describe: () => `all of (${triggers.map((t) => t.describe()).join('; ')})`,
  };
}

/** The next `count` fire times of `trigger` after `from`. */
export function nextFireTimes(trigger: Trigger, count: number, from = new Date()): Date[] {
  const times: Date[] = [];
  for (let after = from; times.length < count; ) {
    const next = trigger.next(after);
    if (next === undefined) break;
    times.push(next);
    after = next;
  }
  return times;
}

function dateOf(value: Date | string, where: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError(`${where}(): ${JSON.stringify(value)} is not a date (use an ISO 8601 string)`);
  return date;
}
