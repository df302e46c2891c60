import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createClient } from 'redis';
import { startRedisServer, type RedisServer } from '../redis/redis-server';

jest.setTimeout(60_000);

interface Line {
  readonly event: string;
  readonly fireTime?: number;
  readonly reason?: string;
  readonly pid: number;
}

function startSchedulerProcess(config: object, port: number): { lines: Line[]; ready: Promise<void>; add: (schedule: object) => void; stop: () => Promise<void> } {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'scheduler-process.js'), JSON.stringify(config), String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Line[] = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as Line;
    lines.push(line);
    if (line.event === 'ready') markReady();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    lines,
    ready,
    add: (schedule) => void child.stdin!.write(JSON.stringify(schedule) + '\n'),
    stop: async () => {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

let server: RedisServer | undefined;
afterAll(async () => {
  await server?.stop();
});

describe('the scheduler with a Redis store', () => {
  it('runs each of 20 fire times exactly once across three instances sharing the schedule', async () => {
    server = await startRedisServer();
    const interval = 250;
    // No fire time may be missed under any load: grace beyond the test, no coalescing, a cap above the fire times;
    // the subject is that each fire time runs once across the instances.
    const instances = [0, 1, 2].map(() => startSchedulerProcess({ misfireGraceTime: 30_000, coalesce: false, maxInstances: 20 }, server!.port));
    try {
      await Promise.all(instances.map((instance) => instance.ready));
      // The same schedule, given to all three once they run; the first fire time two seconds later.
      const start = Math.ceil((Date.now() + 2_000) / interval) * interval;
      const end = start + 19 * interval;
      const schedule = { id: 'shared', job: 'record', args: { list: 'runs' }, trigger: { every: interval, start: new Date(start).toISOString(), end: new Date(end).toISOString() } };
      for (const instance of instances) instance.add(schedule);
      const client = createClient({ socket: { port: server.port } });
      client.on('error', () => undefined);
      await client.connect();
      const until = Date.now() + 30_000;
      let runs: string[] = [];
      while (Date.now() < until) {
        runs = await client.lRange('runs', 0, -1);
        if (runs.length >= 20 && Date.now() > end + 1_000) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await client.quit();
      const fireTimes = runs.map((run) => Number(run.split(':')[0]));
      expect(runs).toHaveLength(20);
      expect(new Set(fireTimes).size).toBe(20);
      expect([...fireTimes].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => start + i * interval));
      const submitted = instances.flatMap((instance) => instance.lines.filter((line) => line.event === 'submitted'));
      const succeeded = instances.flatMap((instance) => instance.lines.filter((line) => line.event === 'succeeded'));
      expect(submitted).toHaveLength(20);
      expect(succeeded).toHaveLength(20);
      expect(instances.flatMap((instance) => instance.lines.filter((line) => line.event === 'missed'))).toEqual([]);
    } finally {
      await Promise.all(instances.map((instance) => instance.stop()));
    }
  });
});
