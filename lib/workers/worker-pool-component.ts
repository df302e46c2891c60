import { Component, provides, type Context } from '../index';
import { availableParallelism } from 'node:os';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { WorkerPool } from './worker-pool';

/** Config of {@link WorkerPoolComponent}. */
export class WorkerPoolConfig {
  /** Threads at most; they start on demand. */
  @IsInt() @Min(1) size = availableParallelism();
  /** Milliseconds an idle thread lives. */
  @IsInt() @Min(0) idleTimeout = 30_000;
  /** Tasks that may wait for a thread before `run()` refuses more. */
  @IsInt() @Min(0) maxQueue = 1024;
  /** At stop, how long running tasks may take before their threads are terminated (keep it below the stop timeout). */
  @IsInt() @Min(0) closeTimeout = 5_000;
  /** What relative task paths are resolved against (default: the current directory). */
  @IsOptional() @IsString() baseDir?: string;
}

/**
 * Publishes a {@link WorkerPool}; it closes when the component stops (queued tasks are rejected,
 * running ones finish within `closeTimeout`). Add it as `workers/images` to publish a pool named
 * `images`: several named pools may coexist.
 *
 * @example
 * class App extends Component {
 *   constructor() { super(); this.addComponent('workers', WorkerPoolComponent, { size: 2 }); }
 * }
 * // in a consumer: @requires(WorkerPool) pool!: WorkerPool;  await this.pool.run(sha256, data)
 */
@provides(WorkerPool)
export class WorkerPoolComponent extends Component {
  constructor(readonly config: WorkerPoolConfig) {
    super();
  }

  override async start(ctx: Context): Promise<void> {
    const { size, idleTimeout, maxQueue, closeTimeout, baseDir } = this.config;
    const pool = new WorkerPool({ size, idleTimeout, maxQueue, closeTimeout, baseDir, context: ctx });
    ctx.addResource(pool, { types: [WorkerPool], teardown: () => pool.close() });
  }
}
