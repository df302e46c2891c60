import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap, ContainerComponent, silentLogger, type Application } from '../../lib';
import { defineJob, Queue, QueueComponent, QueueUnavailableError } from '../../lib/queue';
import { RedisComponent } from '../../lib/redis';
import { startRedisServer, type RedisServer } from '../redis/redis-server';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

jest.setTimeout(60_000);

const Hold = defineJob<{ ms: number }, { by: number }>('hold');
const Count = defineJob<{ n: number }, number>('count');

const servers: RedisServer[] = [];
const workers: WorkerProcess[] = [];
const apps: Application[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop().catch(() => undefined);
  for (const worker of workers.splice(0)) await worker.kill();
  for (const server of servers.splice(0)) await server.stop();
});

async function producer(port: number, queue: string): Promise<Queue> {
  const app = await bootstrap(
    ContainerComponent,
    { components: { redis: { type: RedisComponent, port, reconnect: { initialDelay: 20, maxDelay: 200 } }, queue: { type: QueueComponent, queue } } },
    { logger: silentLogger },
  );
  apps.push(app);
  return app.context.getResource(Queue);
}

describe('queue workers in processes of their own', () => {
  it('retries on another worker a job whose worker was killed with SIGKILL mid-job', async () => {
    const server = await startRedisServer();
    servers.push(server);
    const queue = await producer(server.port, 'killed');
    const settings = { queue: 'killed', lockDuration: 1_000, stalledInterval: 300, maxStalledCount: 1 };
    const first = await startWorkerProcess(settings, server.port);
    workers.push(first);
    const id = await queue.add(Hold, { ms: 1_500 });
    await first.waitFor((line) => line.event === 'started' && line.id === id);
    await first.kill();

    const second = await startWorkerProcess(settings, server.port);
    workers.push(second);
    const completed = await second.waitFor((line) => line.event === 'completed' && line.id === id);
    expect(completed.pid).toBe(second.child.pid);
    expect(second.lines.filter((line) => line.event === 'started' && line.id === id)).toHaveLength(1);
    expect(first.lines.some((line) => line.event === 'completed')).toBe(false);
    const job = await queue.bull.getJob(id);
    expect(job?.returnvalue).toEqual({ by: second.child.pid });
  });

  it('loses no acknowledged job and hangs nothing when Redis is killed and restarted mid-traffic', async () => {
    // Persistence on (fsync on every write), so what Redis acknowledged survives its crash.
    const dir = mkdtempSync(join(tmpdir(), 'asphalt-redis-aof-'));
    const server = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]);
    servers.push(server);
    const queue = await producer(server.port, 'restarted');
    const settings = { queue: 'restarted', concurrency: 8, stalledInterval: 500, lockDuration: 2_000, connectionRetryDelay: 200 };
    const worker = await startWorkerProcess(settings, server.port);
    workers.push(worker);

    const acknowledged: string[] = [];
    const order = new Map<string, number>();
    const refused: unknown[] = [];
    let pending = 0;
    let running = true;
    const traffic = (async () => {
      for (let n = 0; running; n++) {
        pending++;
        try {
          const id = await queue.add(Count, { n });
          acknowledged.push(id);
          order.set(id, n);
        } catch (error) {
          refused.push(error);
          await new Promise((resolve) => setTimeout(resolve, 10));
        } finally {
          pending--;
        }
        if (n % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    const count = (): number => acknowledged.length;
    while (count() < 200) await new Promise((resolve) => setTimeout(resolve, 10));
    await server.kill();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.restart();
    const after = count();
    while (count() < after + 200) await new Promise((resolve) => setTimeout(resolve, 10));
    running = false;
    await traffic;
    expect(pending).toBe(0);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((error) => error instanceof QueueUnavailableError)).toBe(true);

    // Every acknowledged job completes: reported by the worker (also when the reply to its
    // completion was lost with the connection), and completed in Redis with its result. A job the
    // worker held when Redis died completes once the worker records it again, or once the stalled
    // checker gives it back: within lockDuration + 2 stalledIntervals, allowed 10x that here.
    const completedIds = (): Set<string> => new Set(worker.lines.filter((line) => line.event === 'completed').map((line) => line.id!));
    const until = Date.now() + 10 * (settings.lockDuration + 2 * settings.stalledInterval + settings.connectionRetryDelay);
    while (acknowledged.some((id) => !completedIds().has(id)) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    const notCompleted: Array<{ id: string; state: string; returnvalue: unknown }> = [];
    for (const id of acknowledged) {
      const job = await queue.bull.getJob(id);
      const state = job ? await job.getState() : 'missing';
      if (state !== 'completed' || job?.returnvalue !== order.get(id)) notCompleted.push({ id, state, returnvalue: job?.returnvalue });
    }
    expect(notCompleted).toEqual([]);
    expect(acknowledged.filter((id) => !completedIds().has(id))).toEqual([]);
    await worker.stop();
    expect(worker.lines.at(-1)?.event).toBe('stopped');
  }, 120_000);

  it('stops gracefully, without hanging, while Redis is down with a job in flight', async () => {
    const server = await startRedisServer();
    servers.push(server);
    const queue = await producer(server.port, 'down');
    const worker = await startWorkerProcess({ queue: 'down', drainTimeout: 300, lockDuration: 1_000, stalledInterval: 300 }, server.port);
    workers.push(worker);
    const id = await queue.add(Hold, { ms: 60_000 });
    await worker.waitFor((line) => line.event === 'started' && line.id === id);
    await server.kill();
    await worker.stop();
    expect(worker.lines.at(-1)?.event).toBe('stopped');
    expect(worker.child.exitCode).toBe(0);
  });
});
