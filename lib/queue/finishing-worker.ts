import type { Job, Worker as BullWorker } from 'bullmq';

type WorkerClass = typeof import('bullmq').Worker;

/** What {@link finishingWorkerClass} needs from the component that runs the worker. */
export interface FinishingWorkerHooks {
  /** Whether the worker's Redis connection is up (node-redis `isReady`). */
  isReady(): boolean;
  /** Whether the worker is stopping: then a job whose finish failed is left to the stalled checker. */
  stopping(): boolean;
  /** Called each time finishing a job failed because the connection was lost, before it tries again. */
  onRetry(job: Job, error: Error): void;
}

/**
 * Errors of a command whose connection was lost (node-redis and BullMQ's adapter), and Redis
 * answering while it reloads its dataset: the command may or may not have run.
 */
const connectionLoss =
  /Socket closed unexpectedly|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|Connection is closed|The client is closed|Disconnects client|client is offline|LOADING/i;
const connectionLossNames = new Set(['SocketClosedUnexpectedlyError', 'ConnectionTimeoutError', 'ClientClosedError', 'ClientOfflineError', 'ConnectionClosedError']);

/** Whether `error` says the connection to Redis was lost (the command's outcome is unknown). */
export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return connectionLossNames.has(error.name) || connectionLoss.test(error.message) || connectionLoss.test(String((error as { code?: unknown }).code ?? ''));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A subclass of BullMQ's `Worker` that does not give up on a job whose completion (or failure)
 * could not be recorded because the connection to Redis was lost. BullMQ treats only a few
 * errors as connection errors; node-redis rejects the commands in flight when the socket dies
 * with `Socket closed unexpectedly`, which BullMQ took for a failure of the job (it failed the
 * job, or left it active when that failed too, until the stalled checker moved it back after
 * `lockDuration` + up to two `stalledInterval`s, or for good when it stalled too often).
 *
 * Here, once reconnected, it reads the job's state: already finished (the reply was lost; or
 * removed, by `removeOnComplete`) → it emits the event BullMQ skipped; still active → it records the outcome again (the lock is
 * the job's own, checked by BullMQ's script); anything else (the stalled checker gave it back)
 * → the job runs again elsewhere. Delivery stays at least once: a job may run twice.
 */
export function finishingWorkerClass(Base: WorkerClass, hooks: FinishingWorkerHooks): WorkerClass {
  return class FinishingWorker extends Base {
    protected override handleCompleted(result: unknown, job: Job, token: string, fetchNext?: () => boolean, span?: Parameters<BullWorker['handleCompleted']>[4]): Promise<Job> {
      return this.#finish(
        job,
        () => super.handleCompleted(result, job, token, fetchNext, span),
        (state) => (state === 'completed' || state === 'unknown') && this.emit('completed', job, result, 'active'),
      );
    }

    protected override handleFailed(error: Error, job: Job, token: string, fetchNext?: () => boolean, span?: Parameters<BullWorker['handleFailed']>[4]): Promise<Job> {
      return this.#finish(
        job,
        () => super.handleFailed(error, job, token, fetchNext, span),
        (state) => state !== 'completed' && this.emit('failed', job, error, 'active'),
      );
    }

    /** Runs `record`; on a connection loss, waits for the connection and tries again while the job is still active. */
    async #finish(job: Job, record: () => Promise<Job>, recorded: (state: string) => void): Promise<Job> {
      let pause = 50;
      for (;;) {
        try {
          return await record();
        } catch (error) {
          if (!isConnectionLoss(error) || hooks.stopping() || this.closing !== undefined) throw error;
          hooks.onRetry(job, error as Error);
        }
        const state = await this.#stateOnceReconnected(job);
        if (state === undefined) return undefined as unknown as Job;
        if (state !== 'active') {
          recorded(state);
          return undefined as unknown as Job;
        }
        await sleep(pause);
        pause = Math.min(pause * 2, 1_000);
      }
    }

    /** The job's state, read once the connection is back (undefined when the worker stops first). */
    async #stateOnceReconnected(job: Job): Promise<string | undefined> {
      let pause = 20;
      for (;;) {
        if (hooks.stopping() || this.closing !== undefined) return undefined;
        if (hooks.isReady()) {
          try {
            return await job.getState();
          } catch (error) {
            if (!isConnectionLoss(error)) throw error;
          }
        }
        await sleep(pause);
        pause = Math.min(pause * 2, 500);
      }
    }
  } as WorkerClass;
}
