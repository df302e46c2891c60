import { ServiceTaskError, TaskStartError } from '../errors';
import { reportTaskFailure } from './context-chain';
import type { contextLabel } from './internal';
import type { TaskFunction, TaskHandle, TaskStatus } from './task-handle';
import { taskLog, type LogHost, type TaskLog, type TaskOutcome } from './task-log';

/** What a task reads of its context (a `Context` is one), so this file needs no `Context`. Internal. */
export interface TaskHost extends LogHost {
  readonly parent: TaskHost | undefined;
  readonly [contextLabel]: string | undefined;
  run<R>(fn: () => R): R;
}

/** Where a task belongs, for its messages and log lines. Internal. */
export interface TaskIdentity {
  readonly name: string;
  /** Names it in messages: `service task 'poller'`, `task 'send' of task factory 'mail'`. */
  readonly what: string;
  /** Extra fields of its debug lines. */
  readonly fields: Readonly<Record<string, string>>;
}

/** The abort reason of a task's signal when it is stopped: an `AbortError`, so `fetch` and friends end quietly. */
export class TaskAbortReason extends Error {
  override name = 'AbortError';
}

/** Whether `error` is how an aborted task ends: the abort reason itself or any AbortError. */
function isAbortEnding(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted && (error === signal.reason || (error instanceof Error && error.name === 'AbortError'));
}

/** The promise `startAndWait` waits on; `settled` once resolved or rejected. */
interface StartWait<T> {
  readonly promise: Promise<T>;
  readonly settled: boolean;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function startWait<T>(): StartWait<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const wait = {
    promise,
    settled: false,
    resolve: (value: T) => {
      wait.settled = true;
      resolve(value);
    },
    reject: (error: unknown) => {
      wait.settled = true;
      reject(error);
    },
  };
  return wait;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One running task and its handle: runs `fn(signal, status)` in `host`, reports a failure on the
 * context's `taskFailed` (or to whoever is stopping it), and logs its start and end at debug.
 * With `waitForStart`, {@link TaskRun.whenStarted} settles on `status.started()` or on the task's
 * end. Internal: service tasks and task factories build on it.
 */
export class TaskRun<T> implements TaskHandle<T> {
  readonly name: string;
  readonly done: Promise<void>;
  readonly #what: string;
  readonly #controller = new AbortController();
  #running = true;
  /** Set by whoever stops the task: a failure from then on is theirs, not `taskFailed`'s. */
  #stopping = false;
  #stopFailure: ServiceTaskError | undefined;
  #started = false;
  #startValue: T | undefined;
  #start: StartWait<T> | undefined;

  constructor(host: TaskHost, identity: TaskIdentity, fn: TaskFunction<T>, waitForStart = false) {
    this.name = identity.name;
    this.#what = identity.what;
    if (waitForStart) this.#start = startWait<T>();
    const log = taskLog(host, identity.what, identity.fields);
    const status: TaskStatus<T> = { started: (...value) => this.#markStarted(value[0] as T) };
    this.done = this.#run(host, fn, status, log);
  }

  get running(): boolean {
    return this.#running;
  }

  get startValue(): T | undefined {
    return this.#startValue;
  }

  /** Resolves with the start value once `status.started()` is called (needs `waitForStart`). */
  get whenStarted(): Promise<T> {
    return this.#start!.promise;
  }

  cancel(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    this.beginStop();
    this.abort(new TaskAbortReason(`${this.#what} was cancelled through its handle`));
    return this.ended();
  }

  /** From now on a failure goes to whoever stops the task (through {@link TaskRun.ended}). */
  beginStop(): void {
    this.#stopping = true;
  }

  /** Aborts the task's signal with `reason`, unless it is aborted already. */
  abort(reason: unknown): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
  }

  /** Resolves when the task has ended; rejects with its failure while stopping (given to one caller). */
  async ended(): Promise<void> {
    await this.done;
    const failure = this.#stopFailure;
    this.#stopFailure = undefined;
    if (failure !== undefined) throw failure;
  }

  async #run(host: TaskHost, fn: TaskFunction<T>, status: TaskStatus<T>, log: TaskLog | undefined): Promise<void> {
    const signal = this.#controller.signal;
    let outcome: TaskOutcome = 'finished';
    log?.started();
    try {
      await host.run(() => fn(signal, status));
      if (signal.aborted) outcome = 'cancelled';
    } catch (error) {
      if (isAbortEnding(error, signal)) outcome = 'cancelled';
      else {
        outcome = 'failed';
        this.#fail(host, error);
      }
    } finally {
      this.#running = false;
      log?.ended(outcome);
      if (this.#start !== undefined && !this.#start.settled) {
        const ending = outcome === 'cancelled' ? 'was cancelled' : 'ended';
        this.#start.reject(
          new TaskStartError(
            `${this.#what} ${ending} before it called status.started(), so startAndWait has no start value; ` +
              'call status.started(value) once the task is ready, or start it with start() if nobody waits for it',
            this.name,
            { cause: outcome === 'cancelled' ? signal.reason : undefined },
          ),
        );
      }
    }
  }

  #fail(host: TaskHost, error: unknown): void {
    if (this.#start !== undefined && !this.#start.settled) {
      this.#start.reject(error); // the wait gets the task's own error, as a function call would
      return;
    }
    const failure = new ServiceTaskError(`${this.#what} failed: ${messageOf(error)}`, this.name, { cause: error });
    if (this.#stopping) this.#stopFailure = failure;
    else reportTaskFailure(host, { taskName: this.name, error: failure });
  }

  #markStarted(value: T): void {
    if (this.#started) {
      throw new TaskStartError(`${this.#what} called status.started() a second time; call it once, when the task is ready`, this.name);
    }
    this.#started = true;
    this.#startValue = value;
    this.#start?.resolve(value);
  }
}
