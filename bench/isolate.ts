import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

// Each subject of a comparison (asphalt-ts, each peer, each baseline) is measured in a process of
// its own, so no subject pays for another's state: asphalt-ts's AsyncLocalStorage hooks, another
// framework's JIT feedback or heap. The parent runs the scenario as usual; where the scenario asks
// to measure subjects, it forks one child per subject (bench/child.ts), which runs the same
// scenario code up to that point with `BENCH_SUBJECT` naming the one subject it serves, warms it
// up, and then times one batch (or one rep) per request. The parent sends the requests round by
// round in a rotated order, one at a time, so no two subjects ever run at once.

/** What a child serves: `<scenario>|<measurement index>|<subject name>`. */
const served = process.env.BENCH_SUBJECT;

/** Whether this process is a child that serves one subject (see {@link servedSubject}). */
export const isChild = served !== undefined;

/** Counts the measurements (compare / timeSubjects calls) of this process, so both sides name them alike. */
let measurement = 0;

/** The key of the next measurement's subject `name` (call {@link nextMeasurement} once per measurement first). */
export function subjectKey(index: number, name: string): string {
  return `${index}|${name}`;
}

/** Starts a new measurement; returns its index. */
export function nextMeasurement(): number {
  return measurement++;
}

/** In a child: whether `key` is the subject it serves. */
export function servedSubject(key: string): boolean {
  return served !== undefined && served.slice(served.indexOf('|') + 1) === key;
}

/** A message from the parent to a child. */
export type Request = { readonly type: 'measure' } | { readonly type: 'exit' };

/**
 * In a child: reports `ready`, then answers every `measure` request with `measure()`'s result,
 * and exits on `exit`. Never returns.
 */
export async function serve<T>(ready: unknown, measure: () => Promise<T>): Promise<never> {
  const send = (message: unknown): Promise<void> =>
    new Promise((resolve, reject) => process.send!(message, undefined, undefined, (error) => (error ? reject(error) : resolve())));
  await send({ type: 'ready', value: ready });
  for (;;) {
    const request = await new Promise<Request>((resolve) => process.once('message', (message) => resolve(message as Request)));
    if (request.type === 'exit') process.exit(0);
    try {
      await send({ type: 'result', value: await measure() });
    } catch (error) {
      await send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
}

/** The parent's handle on one child. */
export interface Remote<R, T> {
  /** What the child reported once warmed up. */
  readonly ready: R;
  measure(): Promise<T>;
  close(): void;
}

/** The scenario being run (set by bench/run.ts), whose code the children re-run. */
let scenarioName = '';
export function setScenario(name: string): void {
  scenarioName = name;
  measurement = 0; // counted per scenario: a child runs its scenario alone
}

/** Forks the child that serves subject `key` of the running scenario and waits until it is warm. */
export async function spawnSubject<R, T>(key: string): Promise<Remote<R, T>> {
  const child: ChildProcess = fork(join(__dirname, 'child.js'), process.argv.includes('--quick') ? ['--quick'] : [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, BENCH_SUBJECT: `${scenarioName}|${key}` },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  type Reply = { type: 'ready' | 'result'; value: unknown } | { type: 'error'; message: string };
  const next = (): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`bench child for '${key}' exited (${code}) before it answered`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message as Reply);
      });
    });
  const unwrap = (reply: Reply): unknown => {
    if (reply.type === 'error') throw new Error(`bench child for '${key}': ${reply.message}`);
    return reply.value;
  };
  const ready = unwrap(await next()) as R;
  return {
    ready,
    async measure() {
      const reply = next();
      child.send({ type: 'measure' } satisfies Request);
      return unwrap(await reply) as T;
    },
    close() {
      if (child.connected) child.send({ type: 'exit' } satisfies Request);
    },
  };
}
