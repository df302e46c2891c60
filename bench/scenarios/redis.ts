import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { bootstrap, ContainerComponent, silentLogger, type Application } from '../../lib';
import { createRedisClient, RedisClient, RedisComponent, RedisConnectionConfig, type RedisClient as Client } from '../../lib/redis';
import { serveSubject, spawnSubject, startBenchRedis, subjectToServe } from '../child-subject';
import { formatMs, median, printTable, rateTarget, rowFromMs } from '../dag';
import type { Result, Scenario } from '../harness';
import { freePort } from '../support/free-port';

// A GET through the client the `redis` component publishes, looked up and used inside a
// request-like child context (child(), getResourceNowait, close(); and the same inside run()), against a GET on a bare
// node-redis client. Each subject runs in its own child process; rounds are interleaved.

const ROUNDS = Number(process.env.BENCH_REDIS_ROUNDS) || 40;
const GETS = 500;
const BARE = 'bare node-redis GET';
const BARE_ALS = 'bare node-redis GET, AsyncLocalStorage enabled';
const DIRECT = 'redis battery client, GET (no context)';
const BATTERY = 'redis battery GET in a request context';
const IN_RUN = 'same, inside ctx.run() (AsyncLocalStorage)';


function bareSubject(port: number, withAls: boolean): Parameters<typeof serveSubject>[0] {
  let client: Client | undefined;
  return {
    async setup() {
      // What every asphalt-ts process has once bootstrap has entered a context: AsyncLocalStorage's
      // promise hooks, which tax every promise in the process.
      if (withAls) new AsyncLocalStorage().run(1, () => undefined);
      client = createRedisClient(Object.assign(new RedisConnectionConfig(), { port }));
      client.on('error', () => undefined);
      await client.connect();
      await client.set('bench:key', 'value');
    },
    async round(n) {
      const c = client!;
      const began = performance.now();
      let length = 0;
      for (let i = 0; i < n; i++) length += (await c.get('bench:key'))!.length;
      if (length !== n * 5) throw new Error('wrong replies');
      return performance.now() - began;
    },
    async teardown() {
      await client?.quit();
    },
  };
}

type Mode = 'direct' | 'context' | 'run';

function batterySubject(port: number, mode: Mode): Parameters<typeof serveSubject>[0] {
  let app: Application | undefined;
  return {
    async setup() {
      app = await bootstrap(ContainerComponent, { components: { redis: { type: RedisComponent, port } } }, { logger: silentLogger });
      await (await app.context.getResource(RedisClient)).set('bench:key', 'value');
    },
    async round(n) {
      const root = app!.context;
      const began = performance.now();
      let length = 0;
      if (mode === 'direct') {
        const client = await root.getResource(RedisClient);
        for (let i = 0; i < n; i++) length += (await client.get('bench:key'))!.length;
      } else if (mode === 'context') {
        for (let i = 0; i < n; i++) {
          const request = root.child();
          length += (await request.getResourceNowait(RedisClient).get('bench:key'))!.length;
          await request.close();
        }
      } else {
        for (let i = 0; i < n; i++) {
          const request = root.child();
          length += await request.run(async () => (await request.getResourceNowait(RedisClient).get('bench:key'))!.length);
          await request.close();
        }
      }
      if (length !== n * 5) throw new Error('wrong replies');
      return performance.now() - began;
    },
    async teardown() {
      await app?.stop();
    },
  };
}

export const redis: Scenario = {
  name: 'redis',
  description: 'GET through the redis battery (in a request context) vs a bare node-redis client, each in its own process',
  async run(): Promise<Result[]> {
    const port = await freePort();
    const server = await startBenchRedis(port);
    try {
      const names = ['bare', 'bare-als', 'direct', 'context', 'run'] as const;
      const subjects = await Promise.all(names.map((name) => spawnSubject(__filename, name, { port })));
      const ms: Record<string, number[]> = { bare: [], 'bare-als': [], direct: [], context: [], run: [] };
      try {
        for (const subject of subjects) await subject.round(GETS); // warm-up
        for (let round = 0; round < ROUNDS; round++) {
          const order = round % 2 === 0 ? subjects : [...subjects].reverse();
          for (const subject of order) ms[subject.name]!.push((await subject.round(GETS)) as number);
        }
      } finally {
        for (const subject of subjects) await subject.close();
      }
      const perGet = (name: string): number[] => ms[name]!.map((total) => total / GETS);
      const labels: Record<string, string> = { bare: BARE, 'bare-als': BARE_ALS, direct: DIRECT, context: BATTERY, run: IN_RUN };
      const rows = names.map((name) => rowFromMs(labels[name]!, name.startsWith('bare') ? 'node-redis' : 'asphalt', perGet(name)));
      printTable(
        ['subject', 'µs per GET (median)', 'GETs/s'],
        rows.map((row, i) => [row.name, formatMs(median(perGet(names[i]!)) * 1000), Math.round(row.median).toLocaleString('en-US')]),
      );
      return [{ title: 'redis GET', rows, targets: [
          rateTarget('redis battery GET in a request context within 5% of bare node-redis', rows, BATTERY, BARE, 0.95),
          rateTarget('same, against bare node-redis with AsyncLocalStorage enabled', rows, BATTERY, BARE_ALS, 0.95),
        ] }];
    } finally {
      server.kill('SIGKILL');
    }
  },
};

const served = subjectToServe();
if (require.main === module && served !== undefined) {
  const port = served.options.port as number;
  serveSubject(served.name.startsWith('bare') ? bareSubject(port, served.name === 'bare-als') : batterySubject(port, served.name as Mode));
}
