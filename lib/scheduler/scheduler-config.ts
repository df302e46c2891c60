import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { RedisConnectionConfig } from '../redis/index';

/**
 * A trigger in config: exactly one of `cron` (with `timezone`), `every` (ms, with `start` and
 * `end`), `at` (a date), `any` or `all` (lists of triggers).
 */
export class TriggerConfig {
  @IsOptional() @IsString() cron?: string;
  /** IANA time zone of `cron`, e.g. `Europe/Paris`. */
  @IsOptional() @IsString() timezone?: string;
  /** Milliseconds between fires, counted from `start` (default: the Unix epoch). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) every?: number;
  @IsOptional() @IsString() start?: string;
  @IsOptional() @IsString() end?: string;
  /** A date and time (ISO 8601): fires once. */
  @IsOptional() @IsString() at?: string;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => TriggerConfig) any?: TriggerConfig[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => TriggerConfig) all?: TriggerConfig[];
}

/** A schedule in config: a job name, its arguments, and a trigger. */
export class ScheduleConfig {
  /** Stable id: the same schedule in every instance (and across restarts) has the same id. */
  @Matches(/^[\w.-]+$/, { message: 'must be letters, digits and _ . -' }) id!: string;
  /** The job's name: a handler of the scheduler (`jobs`), or a job sent to the queue named by `queue`. */
  @Matches(/^[\w.:-]+$/, { message: 'must be a job name' }) job!: string;
  /** The job's arguments (JSON). */
  @IsObject() args: Record<string, unknown> = {};
  @ValidateNested() @Type(() => TriggerConfig) trigger!: TriggerConfig;
  /** Milliseconds a run may start late; later, it is `missed`. Default: the scheduler's. */
  @IsOptional() @IsInt() @Min(0) misfireGraceTime?: number;
  /** Run once for several fire times that are due together (after a pause or downtime). Default: the scheduler's. */
  @IsOptional() @IsBoolean() coalesce?: boolean;
  /** Runs of this schedule at once in this instance; a fire time beyond it is `missed`. Default: the scheduler's. */
  @IsOptional() @IsInt() @Min(1) maxInstances?: number;
  /** Send each run as a job to this `Queue` (resource name) instead of running it here. */
  @IsOptional() @Matches(/^\w+$/, { message: 'must be a resource name' }) queue?: string;
}

/** Config of the `scheduler` component. */
export class SchedulerConfig {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ScheduleConfig) schedules: ScheduleConfig[] = [];
  /** Job handlers as `"module:export"` (made with `scheduledJob`), relative to `baseDir`. */
  @IsArray() @IsString({ each: true }) jobs: string[] = [];
  @IsOptional() @IsString() baseDir?: string;
  /**
   * Where runs are claimed: `memory` (one process), `redis` (each run claimed once across every
   * instance with `SET NX PX`, keyed by schedule and fire time) or `sql` (the same, as a row of
   * `sqlTable` in the PostgreSQL database of a `sql` component).
   */
  @IsIn(['memory', 'redis', 'sql']) store: 'memory' | 'redis' | 'sql' = 'memory';
  /** The `sql` component (its `SqlDatabase` resource name) whose PostgreSQL database the `sql` store uses. */
  @Matches(/^\w+$/, { message: 'must be a resource name' }) sql = 'default';
  /** The table of the `sql` store (created when missing). */
  @Matches(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)?$/, { message: 'must be a table name (optionally schema.table)' }) sqlTable = 'asphalt_scheduler_runs';
  /** The `redis` component whose settings the Redis store uses (when `connection` is not given). */
  @Matches(/^\w+$/, { message: 'must be a resource name' }) redis = 'default';
  @IsOptional() @ValidateNested() @Type(() => RedisConnectionConfig) connection?: RedisConnectionConfig;
  /** Prefix of the claim keys. */
  @Matches(/^[\w.:-]+$/) keyPrefix = 'asphalt:scheduler';
  /** Defaults of every schedule. */
  @IsInt() @Min(0) misfireGraceTime = 1_000;
  @IsBoolean() coalesce = true;
  @IsInt() @Min(1) maxInstances = 1;
  /** At stop, milliseconds the running runs may take before their signal aborts. */
  @IsInt() @Min(0) drainTimeout = 5_000;
  /** false: schedules are listed but never run here (a web instance). */
  @IsBoolean() enabled = true;
}
