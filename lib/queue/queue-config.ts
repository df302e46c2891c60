import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { RedisConnectionConfig } from '../redis/index';

/** How the delay between attempts grows: `fixed` (always `delay`) or `exponential` (`delay * 2^(attempt-1)`). */
export class BackoffConfig {
  @IsIn(['fixed', 'exponential']) type: 'fixed' | 'exponential' = 'exponential';
  /** Milliseconds. */
  @IsInt() @Min(0) delay = 1_000;
}

/** Options of a job (per queue in `defaults`, per job name in `jobs`, or per `add()`). */
export class JobOptionsConfig {
  /** Attempts in all, the first included. */
  @IsOptional() @IsInt() @Min(1) attempts?: number;
  @IsOptional() @ValidateNested() @Type(() => BackoffConfig) backoff?: BackoffConfig;
  /** 1 (highest) to 2,097,152; jobs without a priority come first. */
  @IsOptional() @IsInt() @Min(0) priority?: number;
  /** Milliseconds before the job may run. */
  @IsOptional() @IsInt() @Min(0) delay?: number;
  /** How many completed jobs to keep (true: none kept, false: all). */
  @IsOptional() removeOnComplete?: boolean | number;
  /** How many failed jobs to keep. */
  @IsOptional() removeOnFail?: boolean | number;
}

/** Where a queue or worker connects: the settings of a `redis` component, or its own. */
export class QueueConnectionSettings {
  /** The BullMQ queue name (its Redis keys are `<prefix>:<queue>:...`). */
  @Matches(/^[\w.-]+$/, { message: 'must be letters, digits and _ . -' }) queue = 'default';
  /** The resource name of the `redis` component whose settings it uses (when `connection` is not given). */
  @Matches(/^\w+$/, { message: 'must be a resource name' }) redis = 'default';
  /** Connection settings of its own, instead of a `redis` component's. */
  @IsOptional() @ValidateNested() @Type(() => RedisConnectionConfig) connection?: RedisConnectionConfig;
  /** Prefix of the Redis keys. */
  @Matches(/^[\w.-]+$/, { message: 'must be letters, digits and _ . -' }) prefix = 'bull';
}

/** Config of the `queue` component (a producer). */
export class QueueConfig extends QueueConnectionSettings {
  /** Options of every job added to this queue. */
  @ValidateNested() @Type(() => JobOptionsConfig)
  defaults: JobOptionsConfig = Object.assign(new JobOptionsConfig(), { attempts: 3, removeOnComplete: 1_000, removeOnFail: 5_000 });
  /** Options per job name, over `defaults`. */
  @IsObject() jobs: Record<string, JobOptionsConfig> = {};
  /** Wait for the open transaction of the adding context to commit before sending (see `afterCommit`). */
  @IsBoolean() afterCommit = true;
}

/** At most `max` jobs per `duration` ms, across every worker of the queue. */
export class LimiterConfig {
  @IsInt() @Min(1) max = 100;
  @IsInt() @Min(1) duration = 1_000;
}

/** Config of the `queue-worker` component. */
export class QueueWorkerConfig extends QueueConnectionSettings {
  /** Processors, as `"module:export"` (each export made with `jobProcessor` or `workerPoolJob`), relative to `baseDir`. */
  @IsArray() @IsString({ each: true }) processors: string[] = [];
  /** What relative processor modules are resolved against (default: the current directory). */
  @IsOptional() @IsString() baseDir?: string;
  /** Jobs run at once by this worker. */
  @IsInt() @Min(1) concurrency = 1;
  @IsOptional() @ValidateNested() @Type(() => LimiterConfig) limiter?: LimiterConfig;
  /**
   * Milliseconds a job's lock lasts (renewed at half of it while the job runs). A job whose
   * worker died (or lost Redis for longer than this) goes back to the queue after about
   * `lockDuration` + 2 × `stalledInterval`, and runs again: delivery is at least once.
   */
  @IsInt() @Min(100) lockDuration = 30_000;
  /** Milliseconds between checks for stalled jobs (whose worker died). */
  @IsInt() @Min(100) stalledInterval = 30_000;
  /** Times a job may stall before it fails. */
  @IsInt() @Min(0) maxStalledCount = 1;
  /**
   * Milliseconds the worker waits, after Redis answered a fetch with a connection error, before
   * it fetches again (BullMQ's `runRetryDelay`, whose own default is 15 s: that long without
   * taking jobs after Redis is back).
   */
  @IsInt() @Min(10) connectionRetryDelay = 1_000;
  /**
   * At stop, milliseconds the active jobs may take to finish; then their `AbortSignal` aborts and
   * they are returned to the queue (keep it below the component's stop timeout).
   */
  @IsInt() @Min(0) drainTimeout = 5_000;
  /** Names of `Queue` resources the jobs add to: the worker stops before them. */
  @IsArray() @Matches(/^\w+$/, { each: true, message: 'each must be a resource name' }) uses: string[] = [];
  /** false: the component starts but takes no jobs (a web instance of a codebase that also runs workers). */
  @IsBoolean() enabled = true;
}
