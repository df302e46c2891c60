import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

// Runs a benchmark subject in a child process of its own, so that the subjects compared in a
// scenario share no heap, JIT state or event loop. The scenario file is the child's entry point:
// it calls `serveSubject` when `process.env[ENV]` names a subject, and the parent asks it for
// timed rounds, interleaving the subjects.

const ENV = 'ASPHALT_BENCH_SUBJECT';

/** What a subject does in its child process: set up once, then run rounds (each returns a figure). */
export interface SubjectImplementation {
  setup(): Promise<void>;
  /** Runs one round of `n` operations and returns what it measured (ms, or a list of latencies). */
  round(n: number): Promise<unknown>;
  teardown(): Promise<void>;
}

/** A subject running in its own child process. */
export interface SubjectProcess {
  readonly name: string;
  round(n: number): Promise<unknown>;
  close(): Promise<void>;
}

/** Spawns `entry` (a compiled scenario file) as the subject `name`, with `options` as JSON. */
export async function spawnSubject(entry: string, name: string, options: object = {}): Promise<SubjectProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', entry], {
    env: { ...process.env, [ENV]: name, ASPHALT_BENCH_OPTIONS: JSON.stringify(options) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<{ resolve: (value: unknown) => void; reject: (error: Error) => void }> = [];
  lines.on('line', (line) => {
    const next = waiting.shift();
    const message = JSON.parse(line) as { ok: boolean; value?: unknown; error?: string };
    if (next === undefined) return;
    if (message.ok) next.resolve(message.value);
    else next.reject(new Error(`${name}: ${message.error}`));
  });
  child.once('exit', (code) => {
    for (const next of waiting.splice(0)) next.reject(new Error(`${name}: the subject process exited (${code})`));
  });
  const ask = (command: object): Promise<unknown> =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      child.stdin!.write(JSON.stringify(command) + '\n');
    });
  await ask({ type: 'setup' });
  return {
    name,
    round: (n) => ask({ type: 'round', n }),
    close: async () => {
      await ask({ type: 'teardown' }).catch(() => undefined);
      child.stdin!.end();
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** The subject this process should serve (set by `spawnSubject`), if it is a subject process. */
export function subjectToServe(): { name: string; options: Record<string, unknown> } | undefined {
  const name = process.env[ENV];
  if (name === undefined) return undefined;
  return { name, options: JSON.parse(process.env.ASPHALT_BENCH_OPTIONS ?? '{}') as Record<string, unknown> };
}

/** In the child: answers the parent's commands with `implementation`, until stdin closes. */
export function serveSubject(implementation: SubjectImplementation): void {
  const lines = createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    const command = JSON.parse(line) as { type: 'setup' | 'round' | 'teardown'; n?: number };
    queue = queue.then(async () => {
      try {
        const value =
          command.type === 'setup' ? await implementation.setup() : command.type === 'round' ? await implementation.round(command.n!) : await implementation.teardown();
        process.stdout.write(JSON.stringify({ ok: true, value: value ?? null }) + '\n');
      } catch (error) {
        process.stdout.write(JSON.stringify({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }) + '\n');
      }
    });
  });
  lines.on('close', () => void queue.then(() => process.exit(0)));
}

/** Starts a `redis-server` with no persistence on `port` and resolves once it answers PING. */
export async function startBenchRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
  const { connect } = await import('node:net');
  for (let i = 0; i < 500; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on 127.0.0.1:${port}`);
}
