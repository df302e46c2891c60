import { Context, InvalidResourceError, DEFAULT_NAME, describeKey, requirePeer } from '../index';
import { availableParallelism } from 'node:os';
import type { MessagePort, TransferListItem } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import { exposedKey, exposedKeyNames, workerCallable } from './expose-to-workers';
import { poolWorkerEntryFile } from './pool-worker-entry';
import { parseTaskSpecifier, resolveTaskFile, type Task, type TaskFunction } from './task';
import { CONNECT, deserializeError, serializeError, type CallReply, type CallRequest, type TaskOutcome, type TaskPayload, type WireError } from './wire';
import {
  WorkerCallError,
  WorkerPoolClosedError,
  WorkerQueueFullError,
  WorkerTaskAbortedError,
  WorkerTaskNotFoundError,
} from './worker-errors';

/** Options of a {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** Threads at most (default: `os.availableParallelism()`). Threads start on demand. */
  readonly size?: number;
  /** Milliseconds an idle thread lives before it is stopped (default 30000). */
  readonly idleTimeout?: number;
  /** Tasks that may wait for a thread; one more is refused with `WorkerQueueFullError` (default 1024). */
  readonly maxQueue?: number;
  /** At close, milliseconds running tasks may take to finish before their threads are terminated (default 10000). */
  readonly closeTimeout?: number;
  /** What relative task paths are resolved against (default: `process.cwd()`). */
  readonly baseDir?: string;
  /** Where calls back from tasks run when the task was submitted outside any context. */
  readonly context?: Context;
  /** Names the pool in messages (default `'default'`). */
  readonly name?: string;
}

/** The last argument of {@link WorkerPool.run}, when given. */
export interface RunTaskOptions {
  /** Aborting it cancels the task if queued, or terminates its thread if running. */
  readonly signal?: AbortSignal;
  /** Values in the arguments to move rather than copy (`ArrayBuffer`, `MessagePort`, ...). */
  readonly transferList?: readonly TransferListItem[];
}

/** The arguments of task `F`, optionally followed by {@link RunTaskOptions}. */
export type TaskArgs<F extends TaskFunction> = [...Parameters<F>] | [...Parameters<F>, RunTaskOptions];

interface Job {
  readonly id: number;
  readonly label: string;
  readonly payload: TaskPayload;
  readonly options: RunTaskOptions | undefined;
  readonly ctx: Context | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  onAbort?: () => void;
}

const optionKeys = new Set(['signal', 'transferList']);

function isRunOptions(value: unknown): value is RunTaskOptions {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((key) => optionKeys.has(key))) return false;
  const { signal, transferList } = value as RunTaskOptions;
  return (signal === undefined || signal instanceof AbortSignal) && (transferList === undefined || Array.isArray(transferList));
}

function checkCount(what: string, value: number, min: number): number {
  if (Number.isInteger(value) && value >= min) return value;
  throw new InvalidResourceError(`WorkerPool: ${what} must be a whole number >= ${min}, got ${value}`);
}

/** Piscina's own errors (abort, destroy) carry no code; these are its messages. */
const isAbortError = (error: unknown): boolean => error instanceof Error && error.name === 'AbortError';

/**
 * Runs functions exported by modules in worker threads (a piscina pool), so CPU-heavy or blocking
 * code does not stall the event loop. A task's errors come back with their message, code and the
 * worker-side stack. Code in a task can call the application's resources with `resource()`; those
 * calls run on the main thread, in the context that submitted the task.
 *
 * @example
 * const sha256 = defineTask<typeof import('./tasks/hash').sha256>(`${__dirname}/tasks/hash.js:sha256`);
 * const pool = new WorkerPool({ size: 2 });
 * const digest = await pool.run(sha256, data, { signal: AbortSignal.timeout(1_000) });
 * await pool.close();
 */
export class WorkerPool implements AsyncDisposable {
  readonly name: string;
  readonly size: number;
  readonly #piscina: Piscina<TaskPayload, TaskOutcome>;
  readonly #maxQueue: number;
  readonly #closeTimeout: number;
  readonly #baseDir: string;
  readonly #context: Context | undefined;
  readonly #queue: Job[] = [];
  readonly #running = new Map<number, Job>();
  readonly #ports = new Set<MessagePort>();
  #nextId = 1;
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  constructor(options: WorkerPoolOptions = {}) {
    this.name = options.name ?? DEFAULT_NAME;
    this.size = checkCount('size', options.size ?? availableParallelism(), 1);
    this.#maxQueue = checkCount('maxQueue', options.maxQueue ?? 1024, 0);
    this.#closeTimeout = checkCount('closeTimeout', options.closeTimeout ?? 10_000, 0);
    this.#baseDir = options.baseDir ?? process.cwd();
    this.#context = options.context;
    // piscina loads with the first pool, not with `asphalt-ts/workers` (the runner's loop monitor
    // imports that entry too).
    const { Piscina: Pool } = requirePeer<typeof import('piscina')>('piscina', 'asphalt-ts/workers', '5');
    this.#piscina = new Pool<TaskPayload, TaskOutcome>({
      filename: poolWorkerEntryFile(),
      maxThreads: this.size,
      minThreads: 0,
      idleTimeout: checkCount('idleTimeout', options.idleTimeout ?? 30_000, 0),
      concurrentTasksPerWorker: 1,
    });
    this.#piscina.on('message', (message: unknown) => this.#onWorkerMessage(message));
    this.#piscina.on('error', (error: unknown) => process.emitWarning(error as Error));
  }

  /** Tasks running in a thread now. */
  get running(): number {
    return this.#running.size;
  }

  /** Tasks waiting for a thread. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Whether `close()` has been called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Runs `task` in a worker thread with `args` (structured-cloned; a last argument
   * `{ signal, transferList }` is taken as {@link RunTaskOptions}) and resolves with its result.
   * @throws WorkerQueueFullError, WorkerPoolClosedError, WorkerTaskAbortedError (as rejections).
   */
  run<F extends TaskFunction>(task: Task<F>, ...args: TaskArgs<F>): Promise<Awaited<ReturnType<F>>>;
  run(task: string, ...args: unknown[]): Promise<unknown>;
  run(task: Task | string, ...rest: unknown[]): Promise<unknown> {
    let args = rest;
    let options: RunTaskOptions | undefined;
    if (rest.length > 0 && isRunOptions(rest[rest.length - 1])) {
      options = rest[rest.length - 1] as RunTaskOptions;
      args = rest.slice(0, -1);
    }
    let spec: Task;
    try {
      spec = typeof task === 'string' ? parseTaskSpecifier(task) : task;
    } catch (error) {
      return Promise.reject(error);
    }
    const file = resolveTaskFile(spec, this.#baseDir);
    const label = `task ${spec.exportName} (${file}) of worker pool '${this.name}'`;
    if (this.#closing !== undefined) {
      return Promise.reject(new WorkerPoolClosedError(`${label} was refused: the pool is closed (its context has ended)`));
    }
    const signal = options?.signal;
    if (signal?.aborted) {
      return Promise.reject(new WorkerTaskAbortedError(`${label} was aborted before it was queued`, 'queued', { cause: signal.reason }));
    }
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      const job: Job = {
        id,
        label,
        payload: { file, exportName: spec.exportName, args, taskId: id },
        options,
        ctx: Context.tryCurrent() ?? this.#context,
        resolve,
        reject,
      };
      if (this.#running.size < this.size) return this.#start(job);
      if (this.#queue.length >= this.#maxQueue) {
        return reject(
          new WorkerQueueFullError(
            `${label} was refused: ${this.#queue.length} task(s) already wait for one of ${this.size} thread(s) ` +
              `(maxQueue ${this.#maxQueue}); raise maxQueue or size, or submit less at once`,
          ),
        );
      }
      this.#queue.push(job);
      if (signal !== undefined) {
        job.onAbort = () => {
          const at = this.#queue.indexOf(job);
          if (at < 0) return;
          this.#queue.splice(at, 1);
          reject(new WorkerTaskAbortedError(`${label} was aborted while queued; it never ran`, 'queued', { cause: signal.reason }));
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
    });
  }

  /**
   * Rejects the queued tasks with `WorkerPoolClosedError`, lets running tasks finish (at most
   * `closeTimeout` ms; then their threads are terminated and they reject too), and stops the
   * threads. Calling it again returns the same promise.
   */
  close(): Promise<void> {
    return (this.#closing ??= this.#close());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    for (const job of this.#queue.splice(0)) {
      this.#detach(job);
      job.reject(new WorkerPoolClosedError(`${job.label} was still queued when the pool closed (its context ended); it never ran`));
    }
    if (this.#running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.#drained = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#closeTimeout))),
      ]);
      clearTimeout(timer);
    }
    await this.#piscina.destroy();
    for (const port of this.#ports) port.close();
    this.#ports.clear();
  }

  #start(job: Job): void {
    this.#detach(job);
    this.#running.set(job.id, job);
    const { signal, transferList } = job.options ?? {};
    this.#piscina.run(job.payload, { signal, transferList: transferList as TransferListItem[] | undefined }).then(
      (outcome) => {
        this.#finish(job);
        if (outcome.ok) job.resolve(outcome.value);
        else job.reject(reviveError(outcome.error));
      },
      (error: unknown) => {
        this.#finish(job);
        job.reject(this.#failure(job, error));
      },
    );
  }

  #finish(job: Job): void {
    this.#running.delete(job.id);
    while (this.#running.size < this.size && this.#queue.length > 0) this.#start(this.#queue.shift()!);
    if (this.#running.size === 0) this.#drained?.();
  }

  #detach(job: Job): void {
    if (job.onAbort !== undefined) job.options?.signal?.removeEventListener('abort', job.onAbort);
    job.onAbort = undefined;
  }

  #failure(job: Job, error: unknown): unknown {
    const signal = job.options?.signal;
    if (isAbortError(error) && signal?.aborted) {
      return new WorkerTaskAbortedError(`${job.label} was aborted while running; its thread was terminated`, 'running', {
        cause: signal.reason,
      });
    }
    if (this.#closing !== undefined) {
      return new WorkerPoolClosedError(
        `${job.label} was still running ${this.#closeTimeout} ms after the pool began to close (closeTimeout); ` +
          `its thread was terminated. Make the task shorter, pass it an AbortSignal, or raise closeTimeout`,
        { cause: error },
      );
    }
    return error;
  }

  #onWorkerMessage(message: unknown): void {
    const connect = message as { [CONNECT]?: boolean; port?: MessagePort } | null;
    if (connect?.[CONNECT] !== true || connect.port === undefined) return;
    const port = connect.port;
    this.#ports.add(port);
    port.on('message', (request: CallRequest) => void this.#serve(port, request));
    port.unref();
  }

  /** Runs one call from a worker on this thread, in the context that submitted the task. */
  async #serve(port: MessagePort, request: CallRequest): Promise<void> {
    let reply: CallReply;
    try {
      reply = { id: request.id, ok: true, value: await this.#call(request) };
    } catch (error) {
      reply = { id: request.id, ok: false, error: serializeError(error) };
    }
    try {
      port.postMessage(reply);
    } catch (error) {
      const failure = new WorkerCallError(
        `the result of ${request.key}.${request.method}() cannot be sent to the worker: ${(error as Error).message}; ` +
          'return plain data (structured-cloneable) from methods that workers call',
      );
      port.postMessage({ id: request.id, ok: false, error: serializeError(failure) } satisfies CallReply);
    }
  }

  async #call(request: CallRequest): Promise<unknown> {
    const job = this.#running.get(request.taskId);
    const what = `${request.key}${request.name ? ` '${request.name}'` : ''}.${request.method}()`;
    if (job === undefined) throw new WorkerCallError(`${what} was called after its task had ended; await the call inside the task`);
    const key = exposedKey(request.key);
    if (key === undefined) {
      const shared = exposedKeyNames();
      throw new WorkerCallError(
        `${what}: ${request.key} is not shared with worker threads; call exposeToWorkers(${request.key.replace(/^\w+:/, '')}) ` +
          `on the main thread (shared now: ${shared.length > 0 ? shared.join(', ') : 'none'})`,
      );
    }
    const ctx = job.ctx;
    if (ctx === undefined) {
      throw new WorkerCallError(
        `${what}: ${job.label} was submitted outside any context, so there is nowhere to look the resource up; ` +
          'submit it inside ctx.run(...) or a component, or give the pool a context',
      );
    }
    return ctx.run(async () => {
      const target = (await ctx.getResource(key, request.name)) as Record<string, unknown>;
      const callable = typeof target === 'object' || typeof target === 'function' ? workerCallable(request.key, target, request.method) : { ok: false as const, why: `the resource is a ${typeof target}` };
      if (!callable.ok) {
        throw new WorkerCallError(
          `${what}: workers may not call '${request.method}' of ${describeKey(key)} '${request.name ?? DEFAULT_NAME}': ${callable.why}`,
        );
      }
      return (target[request.method] as (...args: readonly unknown[]) => unknown).apply(target, request.args as unknown[]);
    });
  }
}

const revivable: Record<string, new (message: string) => Error> = {
  [WorkerCallError.code]: WorkerCallError,
  [WorkerTaskNotFoundError.code]: WorkerTaskNotFoundError,
  [WorkerPoolClosedError.code]: WorkerPoolClosedError,
  [WorkerQueueFullError.code]: WorkerQueueFullError,
};

/** An error from a worker as an Error with its class (for this module's errors), code and worker stack. */
function reviveError(wire: WireError): Error {
  const Revived = wire.code === undefined ? undefined : revivable[wire.code];
  if (Revived === undefined) return deserializeError(wire);
  const error = new Revived(wire.message);
  if (wire.stack !== undefined) error.stack = wire.stack;
  if (wire.cause !== undefined) error.cause = 'value' in wire.cause ? wire.cause.value : deserializeError(wire.cause as WireError);
  return error;
}
