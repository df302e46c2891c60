import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import type { FastifyInstance } from 'fastify';
import { bootstrap, Component, ContainerComponent, Context, requires, silentLogger } from '../../lib';
import { HttpAddress, HttpApp, HttpComponent, HttpRequest } from '../../lib/http';
import type { Result, Row, Scenario, TargetCheck } from '../harness';
import { formatMs, limitTarget, median, printTable, rateTarget } from '../dag';

// One JSON route served by bare fastify, by HttpComponent (a context per request), and by
// HttpComponent with one request-scoped factory resource looked up per request. Each server runs in
// its own child process; autocannon (as a library) loads them from this process in interleaved
// rounds. Then the drain: stop with 50 keep-alive connections and requests in flight.

const SUBJECT_ENV = 'ASPHALT_BENCH_HTTP_SUBJECT';
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS) || 2;
const CONNECTIONS = 50;
const DRAIN_CONNECTIONS = 50;
const SHUTDOWN_DELAY = 100;

const BARE = 'bare fastify';
const BARE_ALS = 'bare fastify + AsyncLocalStorage.run (floor)';
const COMPONENT = 'HttpComponent';
const WITH_RESOURCE = 'HttpComponent + request resource';
const SUBJECTS = [BARE, BARE_ALS, COMPONENT, WITH_RESOURCE] as const;
type Subject = (typeof SUBJECTS)[number] | 'drain';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number; p50: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number }) => Promise<AutocannonResult>;

function routes(register: (app: FastifyInstance) => void): new () => Component {
  class Routes extends Component {
    @requires(HttpApp) app!: FastifyInstance;
    override async start(): Promise<void> {
      register(this.app);
    }
  }
  return Routes;
}

/** In a child process: one server, its port on stdout; stops at stdin's end (the drain subject reports its stop). */
async function serve(subject: Subject): Promise<void> {
  let port: number;
  let stop: () => Promise<void>;
  const inFlight = new Map<number, number>(); // request n -> when it will end (performance.now())
  if (subject === BARE || subject === BARE_ALS) {
    const { default: fastify } = await import('fastify');
    const app = fastify({ logger: false });
    if (subject === BARE_ALS) {
      const storage = new AsyncLocalStorage<object>();
      app.addHook('onRequest', (_request, _reply, done) => storage.run({}, done));
    }
    app.get('/hello', async () => ({ hello: 'world' }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
    stop = () => app.close();
  } else {
    let n = 0;
    const register = (app: FastifyInstance): void => {
      if (subject === WITH_RESOURCE) {
        app.get('/hello', async () => ({ hello: (await Context.current().getResource(HttpRequest)).method }));
      } else app.get('/hello', async () => ({ hello: 'world' }));
      app.get<{ Querystring: { ms: string } }>('/slow', async (req) => {
        const ms = Number(req.query.ms);
        const id = n++;
        inFlight.set(id, performance.now() + ms);
        await new Promise((resolve) => setTimeout(resolve, ms));
        inFlight.delete(id);
        return { slept: ms };
      });
    };
    const app = await bootstrap(
      ContainerComponent,
      { components: { http: { type: HttpComponent, port: 0, shutdownDelay: subject === 'drain' ? SHUTDOWN_DELAY : 0, components: { routes: { type: routes(register) } } } } },
      { logger: silentLogger },
    );
    port = (await app.context.getResource(HttpAddress)).port;
    stop = () => app.stop();
  }
  process.stdout.write(`port ${port}\n`);
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.stdout.write(`cpu ${user + system}\n`);
      continue;
    }
    if (line !== 'stop') continue;
    const now = performance.now();
    const longestRemaining = Math.max(0, ...[...inFlight.values()].map((end) => end - now));
    const pending = inFlight.size;
    const began = performance.now();
    await stop();
    const stopMs = performance.now() - began;
    process.stdout.write(`${JSON.stringify({ stopMs, longestRemaining, pending })}\n`);
    process.exit(0);
  }
  await stop();
}

interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  readonly lines: AsyncIterator<string>;
}

async function startServer(subject: Subject): Promise<Server> {
  const child = spawn(process.execPath, [__filename], { env: { ...process.env, [SUBJECT_ENV]: subject }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  const match = /^port (\d+)$/.exec(String(first.value));
  if (!match) throw new Error(`the ${subject} bench server did not start (said ${String(first.value)})`);
  return { child, port: Number(match[1]), lines };
}

/** CPU time (user + system, µs) the server process has used so far. */
async function cpuOf(server: Server): Promise<number> {
  server.child.stdin!.write('cpu\n');
  const line = String((await server.lines.next()).value);
  return Number(/^cpu (\d+)$/.exec(line)?.[1] ?? NaN);
}

async function stopServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.stdin!.end();
  await exited;
}

function get(port: number, path: string, agent: Agent): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function throughput(autocannon: Autocannon): Promise<Result> {
  const servers = new Map<string, Server>();
  for (const subject of SUBJECTS) servers.set(subject, await startServer(subject));
  const rates = new Map<string, number[]>(SUBJECTS.map((s) => [s, []]));
  const p99s = new Map<string, number[]>(SUBJECTS.map((s) => [s, []]));
  const cpus = new Map<string, number[]>(SUBJECTS.map((s) => [s, []]));
  try {
    for (const [, server] of servers) await autocannon({ url: `http://127.0.0.1:${server.port}/hello`, connections: CONNECTIONS, duration: 1 });
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < SUBJECTS.length; k++) {
        const subject = SUBJECTS[(k + round) % SUBJECTS.length]!;
        const server = servers.get(subject)!;
        const cpuBefore = await cpuOf(server);
        const result = await autocannon({ url: `http://127.0.0.1:${server.port}/hello`, connections: CONNECTIONS, duration: SECONDS });
        cpus.get(subject)!.push(((await cpuOf(server)) - cpuBefore) / result.requests.total);
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`${subject}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
        rates.get(subject)!.push(result.requests.average);
        p99s.get(subject)!.push(result.latency.p99);
      }
    }
  } finally {
    await Promise.all([...servers.values()].map(stopServer));
  }
  const rows: Row[] = SUBJECTS.map((subject) => {
    const r = rates.get(subject)!;
    return { name: subject, peer: subject === BARE || subject === BARE_ALS ? 'fastify' : 'asphalt', median: median(r), p10: Math.min(...r), p90: Math.max(...r), samples: r.length, batchSize: SECONDS };
  });
  // The server's CPU time per request, a figure the other load on a shared machine disturbs far
  // less than req/s: as a rate, the requests one core could serve.
  const cpuRows: Row[] = SUBJECTS.map((subject) => {
    const c = cpus.get(subject)!;
    return { name: `${subject}, CPU`, peer: subject === BARE || subject === BARE_ALS ? 'fastify' : 'asphalt', median: 1e6 / median(c), p10: 1e6 / Math.max(...c), p90: 1e6 / Math.min(...c), samples: c.length, batchSize: SECONDS };
  });
  const bare = rows[0]!.median;
  const bareCpu = median(cpus.get(BARE)!);
  console.log(`\n## One JSON route, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s (autocannon)`);
  printTable(
    ['server', 'req/s (median)', 'min..max', 'p99 ms', 'vs bare', 'server CPU µs/req', 'CPU vs bare'],
    SUBJECTS.map((subject, i) => {
      const r = rates.get(subject)!;
      const cpu = median(cpus.get(subject)!);
      return [subject, rows[i]!.median.toFixed(0), `${Math.min(...r).toFixed(0)}..${Math.max(...r).toFixed(0)}`, formatMs(median(p99s.get(subject)!)), `${(rows[i]!.median / bare).toFixed(2)}x`, cpu.toFixed(1), `${(bareCpu / cpu).toFixed(2)}x`];
    }),
  );
  const targets: TargetCheck[] = [
    rateTarget('HttpComponent req/s >= 0.9x bare fastify', rows, COMPONENT, BARE, 0.9),
    rateTarget('HttpComponent + request resource req/s >= 0.85x bare fastify', rows, WITH_RESOURCE, BARE, 0.85),
    // What asphalt adds on top of AsyncLocalStorage, which Node 20 makes every context-per-request design pay.
    rateTarget('HttpComponent requests per CPU second >= 0.9x bare fastify + AsyncLocalStorage', cpuRows, `${COMPONENT}, CPU`, `${BARE_ALS}, CPU`, 0.9),
  ];
  return { title: 'HTTP one JSON route', rows: [...rows, ...cpuRows], targets };
}

async function drain(): Promise<Result> {
  const server = await startServer('drain');
  const agent = new Agent({ keepAlive: true, maxSockets: DRAIN_CONNECTIONS });
  try {
    await Promise.all(Array.from({ length: DRAIN_CONNECTIONS }, () => get(server.port, '/slow?ms=1', agent)));
    // Requests of known length, 100 to 590 ms, on the 50 warm keep-alive connections.
    const answers = Array.from({ length: DRAIN_CONNECTIONS }, (_, i) => get(server.port, `/slow?ms=${100 + i * 10}`, agent).catch(() => ({ status: 0, connection: undefined })));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopSent = performance.now();
    let lastAnswer = 0;
    for (const answer of answers) void answer.then(() => (lastAnswer = Math.max(lastAnswer, performance.now() - stopSent)));
    server.child.stdin!.write('stop\n');
    const reply = await server.lines.next();
    const { stopMs, longestRemaining, pending } = JSON.parse(String(reply.value)) as { stopMs: number; longestRemaining: number; pending: number };
    const responses = await Promise.all(answers);
    const ok = responses.filter((r) => r.status === 200).length;
    const expected = longestRemaining + SHUTDOWN_DELAY;
    console.log(`\n## Drain: stop with ${DRAIN_CONNECTIONS} keep-alive connections, ${pending} requests in flight, shutdownDelay ${SHUTDOWN_DELAY} ms, keepAliveTimeout 72 s`);
    printTable(
      ['stop ms', 'longest remaining ms', 'max(that, shutdownDelay)', 'that + shutdownDelay', 'last answer ms', 'answered', 'lost', 'Connection: close'],
      [[formatMs(stopMs), formatMs(longestRemaining), formatMs(Math.max(longestRemaining, SHUTDOWN_DELAY)), formatMs(expected), formatMs(lastAnswer), String(ok), String(DRAIN_CONNECTIONS - ok), String(responses.filter((r) => r.connection === 'close').length)]],
    );
    const row: Row = { name: 'drain stop', peer: 'asphalt', median: 1000 / stopMs, p10: 1000 / stopMs, p90: 1000 / stopMs, samples: 1, batchSize: 1 };
    return {
      title: 'HTTP drain',
      rows: [row],
      targets: [
        limitTarget('drain: stop within longest remaining request + shutdownDelay + 100 ms', 'drain stop', stopMs, expected + 100, 'ms'),
        limitTarget('drain: requests lost', 'drain stop', DRAIN_CONNECTIONS - ok, 0, 'requests'),
      ],
    };
  } finally {
    agent.destroy();
    server.child.kill();
  }
}

async function run(): Promise<Result[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon ships no types
  const autocannon = require('autocannon') as Autocannon;
  return [await throughput(autocannon), await drain()];
}

export const http: Scenario = {
  name: 'http',
  description: 'one JSON route: bare fastify vs HttpComponent (context per request) vs + a request resource; the drain at stop',
  run,
};

if (require.main === module && process.env[SUBJECT_ENV]) {
  serve(process.env[SUBJECT_ENV] as Subject).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
