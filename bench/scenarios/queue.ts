import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { Job, Queue as BullQueue, Worker as BullWorker } from 'bullmq';
import { bootstrap, ContainerComponent, silentLogger, type Application } from '../../lib';
import { defineJob, jobProcessor, Queue, QueueComponent, QueueWorker, QueueWorkerComponent, type QueueWorkerConfig } from '../../lib/queue';
import { createRedisClient, RedisComponent, RedisConnectionConfig } from '../../lib/redis';
import { every, scheduledJob, Scheduler, SchedulerComponent, type SchedulerConfig } from '../../lib/scheduler';
import { serveSubject, spawnSubject, startBenchRedis, subjectToServe, type SubjectImplementation } from '../child-subject';
import { formatMs, limitTarget, printTable, quantile, rateTarget, rowFromMs } from '../dag';
import type { Result, Scenario } from '../harness';
import { freePort } from '../support/free-port';

// Jobs through the queue battery (a `queue` and a `queue-worker` component: each job in its own
// context) against bare BullMQ (a Queue and a Worker on node-redis clients) on the same
// redis-server, each subject in its own child process, rounds interleaved. A round adds JOBS no-op
// jobs (WINDOW adds in flight) to a worker of concurrency 16 and waits for the last completion:
// jobs/s end to end, and each job's latency from add() to its worker's `completed` event.
// Then the scheduler's trigger precision: 1,000 schedules firing every second (spread over the
// second) in one process; lateness = run start - fire time.

const ROUNDS = Number(process.env.BENCH_QUEUE_ROUNDS) || 6;
const JOBS = 1_000;
const WINDOW = 50;
const CONCURRENCY = 16;
const SCHEDULES = 1_000;
const SCHEDULER_SECONDS = 4;
const BARE = 'bare BullMQ Queue + Worker';
const BARE_ALS = 'bare BullMQ, AsyncLocalStorage enabled';
const BATTERY = 'queue battery (queue + queue-worker)';
const Noop = defineJob<{ at: number }, number>('noop');


interface RoundResult {
  readonly ms: number;
  readonly latencies: number[];
}

/** Adds JOBS jobs with `add` (WINDOW in flight) and resolves once `completed` has seen them all. */
async function round(add: (at: number) => Promise<unknown>, onCompleted: (listener: (at: number) => void) => () => void): Promise<RoundResult> {
  const latencies: number[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const disconnect = onCompleted((at) => {
    latencies.push(performance.timeOrigin + performance.now() - at);
    if (latencies.length === JOBS) done();
  });
  const began = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: WINDOW }, async () => {
      while (next < JOBS) {
        next++;
        await add(performance.timeOrigin + performance.now());
      }
    }),
  );
  await all;
  const ms = performance.now() - began;
  disconnect();
  return { ms, latencies };
}

function bareSubject(port: number, withAls = false): SubjectImplementation {
  let queue: BullQueue | undefined;
  let worker: BullWorker | undefined;
  const listeners = new Set<(at: number) => void>();
  return {
    async setup() {
      // As in every asphalt-ts process once bootstrap has entered a context: AsyncLocalStorage's promise hooks.
      if (withAls) new AsyncLocalStorage().run(1, () => undefined);
      const bullmq = await import('bullmq');
      const settings = Object.assign(new RedisConnectionConfig(), { port });
      const producer = createRedisClient(settings);
      const consumer = createRedisClient(Object.assign(new RedisConnectionConfig(), { port, offlineQueue: true }));
      for (const client of [producer, consumer]) {
        client.on('error', () => undefined);
        await client.connect();
      }
      queue = new bullmq.Queue(`bench-${withAls ? 'bare-als' : 'bare'}`, { connection: producer });
      worker = new bullmq.Worker(`bench-${withAls ? 'bare-als' : 'bare'}`, async (job: Job<{ at: number }>) => job.data.at, { connection: consumer, concurrency: CONCURRENCY });
      worker.on('completed', (job: Job<{ at: number }>) => {
        for (const listener of listeners) listener(job.data.at);
      });
      await worker.waitUntilReady();
    },
    round: () =>
      round(
        (at) => queue!.add('noop', { at }, { removeOnComplete: true }),
        (listener) => (listeners.add(listener), () => listeners.delete(listener)),
      ),
    async teardown() {
      await worker?.close();
      await queue?.close();
    },
  };
}

class BenchWorker extends QueueWorkerComponent {
  constructor(config: QueueWorkerConfig) {
    super(config);
    this.addProcessor(jobProcessor(Noop, async ({ at }) => at));
  }
}

function batterySubject(port: number): SubjectImplementation {
  let app: Application | undefined;
  let queue: Queue | undefined;
  let worker: QueueWorker | undefined;
  return {
    async setup() {
      app = await bootstrap(
        ContainerComponent,
        {
          components: {
            redis: { type: RedisComponent, port },
            queue: { type: QueueComponent, queue: 'bench-battery', defaults: { removeOnComplete: true } },
            worker: { type: BenchWorker, queue: 'bench-battery', concurrency: CONCURRENCY },
          },
        },
        { logger: silentLogger },
      );
      queue = await app.context.getResource(Queue);
      worker = await app.context.getResource(QueueWorker);
    },
    round: () =>
      round(
        (at) => queue!.add(Noop, { at }),
        (listener) => worker!.events.connect((event) => event.type === 'completed' && listener(event.result as number)),
      ),
    async teardown() {
      await app?.stop();
    },
  };
}

/** How late each run started (ms), in the scheduler subject's process. */
const precisionLateness: number[] = [];

class PrecisionScheduler extends SchedulerComponent {
  constructor(config: SchedulerConfig) {
    super(config);
    this.scheduler.handle(scheduledJob('probe', async (_args, run) => void precisionLateness.push(Date.now() - run.fireTime.getTime())));
  }
}

function schedulerSubject(): SubjectImplementation {
  let app: Application | undefined;
  return {
    async setup() {},
    async round() {
      app = await bootstrap(ContainerComponent, { components: { scheduler: { type: PrecisionScheduler, misfireGraceTime: 5_000 } } }, { logger: silentLogger });
      const scheduler = await app.context.getResource(Scheduler);
      const base = Math.ceil(Date.now() / 1000) * 1000 + 1000;
      for (let i = 0; i < SCHEDULES; i++) scheduler.add({ id: `s${i}`, job: 'probe', trigger: every(1_000, { start: new Date(base + i) }) });
      await new Promise((resolve) => setTimeout(resolve, 1_000 + SCHEDULER_SECONDS * 1_000 + 200));
      await app.stop();
      return precisionLateness;
    },
    async teardown() {},
  };
}


export const queue: Scenario = {
  name: 'queue',
  description: 'jobs/s and latency through the queue battery vs bare BullMQ; scheduler trigger precision at 1,000 schedules',
  async run(): Promise<Result[]> {
    const port = await freePort();
    const server = await startBenchRedis(port);
    const results: Result[] = [];
    try {
      const names = ['bare', 'bare-als', 'battery'] as const;
      const subjects = await Promise.all(names.map((name) => spawnSubject(__filename, name, { port })));
      const ms: Record<string, number[]> = { bare: [], 'bare-als': [], battery: [] };
      const latencies: Record<string, number[]> = { bare: [], 'bare-als': [], battery: [] };
      try {
        for (let r = 0; r < 3; r++) for (const subject of subjects) await subject.round(0); // warm-up (BullMQ's first rounds run at half speed)
        for (let r = 0; r < ROUNDS; r++) {
          for (const subject of r % 2 === 0 ? subjects : [...subjects].reverse()) {
            const outcome = (await subject.round(0)) as RoundResult;
            ms[subject.name]!.push(outcome.ms / JOBS);
            latencies[subject.name]!.push(...outcome.latencies);
          }
        }
      } finally {
        for (const subject of subjects) await subject.close();
      }
      const labels = { bare: BARE, 'bare-als': BARE_ALS, battery: BATTERY } as const;
      const rows = names.map((name) => rowFromMs(labels[name], name === 'battery' ? 'asphalt' : 'bullmq', ms[name]!));
      printTable(
        ['subject', 'jobs/s (median)', 'latency p50 ms', 'latency p99 ms'],
        rows.map((row, i) => {
          const name = names[i]!;
          return [row.name, Math.round(row.median).toLocaleString('en-US'), formatMs(quantile(latencies[name]!, 0.5)), formatMs(quantile(latencies[name]!, 0.99))];
        }),
      );
      results.push({ title: 'queue jobs/s', rows, targets: [
          rateTarget('queue battery jobs/s >= 0.9x bare BullMQ', rows, BATTERY, BARE, 0.9),
          rateTarget('same, against bare BullMQ with AsyncLocalStorage enabled', rows, BATTERY, BARE_ALS, 0.9),
        ] });
    } finally {
      server.kill('SIGKILL');
    }

    const precision = await spawnSubject(__filename, 'scheduler');
    try {
      const lateness = (await precision.round(0)) as number[];
      const p50 = quantile(lateness, 0.5);
      const p99 = quantile(lateness, 0.99);
      const max = Math.max(...lateness);
      console.log(`\nscheduler: ${SCHEDULES} schedules every 1 s, ${lateness.length} runs: lateness p50 ${formatMs(p50)} ms, p99 ${formatMs(p99)} ms, max ${formatMs(max)} ms`);
      const row = rowFromMs('scheduler lateness p99', 'asphalt', [p99]);
      results.push({ title: 'scheduler precision', rows: [row], targets: [limitTarget('scheduler run starts within 50 ms of its time at 1,000 schedules (p99)', row.name, p99, 50, 'ms')] });
    } finally {
      await precision.close();
    }
    return results;
  },
};

const served = subjectToServe();
if (require.main === module && served !== undefined) {
  const port = served.options.port as number;
  serveSubject(served.name.startsWith('bare') ? bareSubject(port, served.name === 'bare-als') : served.name === 'battery' ? batterySubject(port) : schedulerSubject());
}
