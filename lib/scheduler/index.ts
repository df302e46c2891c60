// asphalt-ts/scheduler: schedules (cron, interval, date, combinations) run once across instances (YAML `type: scheduler`).
export { Scheduler } from './scheduler';
export type { RunEvent, ScheduleDefinition, ScheduleInfo } from './scheduler';
export { SchedulerComponent } from './scheduler-component';
export { ScheduleConfig, SchedulerConfig, TriggerConfig } from './scheduler-config';
export { CurrentRun, scheduledJob } from './scheduled-job';
export type { ScheduledJobHandler, ScheduledRun } from './scheduled-job';
export { allOf, anyOf, at, cron, every, nextFireTimes } from './trigger';
export type { Trigger } from './trigger';
export { triggerFromConfig } from './trigger-from-config';
export { describeSchedules } from './describe-schedules';
export type { ScheduleListing } from './describe-schedules';
export { MemoryRunStore, RedisRunStore } from './run-store';
export type { RunStore } from './run-store';
