import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** One line a worker process printed. */
export interface WorkerLine {
  readonly event: string;
  readonly id?: string;
  readonly attempt?: number;
  readonly pid: number;
  readonly error?: string;
}

/** A `queue-worker` running in a child process of its own (spec/queue/fixtures/worker-process.js). */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly lines: WorkerLine[];
  /** Resolves with the first line (already printed or to come) that matches. */
  waitFor(match: (line: WorkerLine) => boolean, ms?: number): Promise<WorkerLine>;
  /** SIGKILL, as a crash would; resolves once it has exited. */
  kill(): Promise<void>;
  /** Closes its stdin (a graceful stop) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** Starts a worker process for `worker` config against the Redis on `port`, resolved once it is taking jobs. */
export async function startWorkerProcess(worker: Record<string, unknown>, port: number): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'worker-process.js'), JSON.stringify(worker), String(port)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: WorkerLine[] = [];
  const waiters: Array<{ match: (line: WorkerLine) => boolean; resolve: (line: WorkerLine) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as WorkerLine;
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = (): Promise<void> => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  const waitFor = (match: (line: WorkerLine) => boolean, ms = 20_000): Promise<WorkerLine> => {
    const found = lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker ${child.pid}: no matching line within ${ms} ms; lines: ${JSON.stringify(lines)}`)), ms);
      waiters.push({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  };
  const handle: WorkerProcess = {
    child,
    lines,
    waitFor,
    kill: async () => {
      const done = exited();
      child.kill('SIGKILL');
      await done;
    },
    stop: async () => {
      const done = exited();
      child.stdin!.end();
      await done;
    },
  };
  await waitFor((line) => line.event === 'ready');
  return handle;
}
