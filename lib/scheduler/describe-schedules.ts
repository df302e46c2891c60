import { validateConfig } from '../index';
import { SchedulerConfig } from './scheduler-config';
import { nextFireTimes } from './trigger';
import { triggerFromConfig } from './trigger-from-config';

/** One schedule of a scheduler's config, with its next fire times (for `asphalt schedules`). */
export interface ScheduleListing {
  readonly id: string;
  readonly job: string;
  readonly trigger: string;
  readonly next: readonly Date[];
}

/**
 * The schedules of a `scheduler` component's config with their next `count` fire times, without
 * starting anything (what the CLI lists).
 *
 * @example
 * describeSchedules({ schedules: [{ id: 'digest', job: 'digest', trigger: { cron: '0 3 * * *' } }] }, 2);
 */
export function describeSchedules(config: unknown, count = 3, from = new Date()): ScheduleListing[] {
  const checked = validateConfig(SchedulerConfig, config ?? {}, 'scheduler');
  return checked.schedules.map((schedule, i) => {
    const trigger = triggerFromConfig(schedule.trigger, `schedules.${i}.trigger`);
    return { id: schedule.id, job: schedule.job, trigger: trigger.describe(), next: nextFireTimes(trigger, count, from) };
  });
}
