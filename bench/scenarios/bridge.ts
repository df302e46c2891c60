import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, type NatsConnection } from 'nats';
import { bootstrap, Component, ContainerComponent, provides, silentLogger, token, type Application, type Context } from '../../lib';
import '../../lib/bridge/bridge-component';
import { declareRemote } from '../../lib/bridge/remote-registry';
import { compare, formatRatio, type Case, type Result, type Row, type Scenario } from '../harness';
import { formatMs, printTable, quantile, rateTarget, rowFromMs } from '../dag';
import { freePort } from '../support/free-port';

// Remote calls through the bridge against a bare `nats` request/reply on the same server, with the
// same payload and the same JSON work a hand-written NATS RPC does (stringify, parse, reply). The
// providers (bridge export and bare responder side by side) run in child processes, as in a
// deployment; the caller runs here.
// - Latency: sequential calls timed one by one, bridge and bare interleaved in blocks.
// - Throughput: 64 calls kept in flight, with 1 and then 2 provider processes.

interface EchoService {
  echo(message: Message): Promise<Message>;
  serial(message: Message): Promise<Message>;
}
interface Message {
  readonly to: string;
  readonly subject: string;
  readonly n: number;
}

const Echo = token<EchoService>('BenchEcho');
declareRemote(Echo, { methods: ['echo', 'serial'] });

const BARE_SUBJECT = 'bench.bare';
const SERIAL_SUBJECT = 'bench.serial';
/**
 * A `serial` call waits 1 ms (a timer, no CPU) and each provider runs them one at a time, like a
 * mailer with one SMTP connection: a provider's capacity is bounded without loading the CPU, so
 * what a second provider adds shows even on a 2-core machine.
 */
const SERIAL_MS = 1;
const WINDOW = 64;
const LATENCY_ROUNDS = 20;
const LATENCY_BLOCK = 150;
const PROVIDER_ENV = 'ASPHALT_BENCH_BRIDGE_PROVIDER';

@provides(Echo)
class EchoComponent extends Component {
  override async start(ctx: Context): Promise<void> {
    const serial = oneAtATime();
    ctx.addResource<EchoService>({ echo: async (message) => message, serial: (message) => serial(message) }, { types: [Echo] });
  }
}

/** Calls that each wait SERIAL_MS, one after the other. */
function oneAtATime(): <T>(value: T) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(value: T): Promise<T> => {
    const next = queue.then(() => sleep(SERIAL_MS)).then(() => value);
    queue = next;
    return next;
  };
}

/** In a child process: the bridge export and the bare responder, until stdin closes. */
async function runProvider(url: string): Promise<void> {
  const app = await bootstrap(
    ContainerComponent,
    { components: { echo: { type: EchoComponent }, bridge: { type: 'bridge', servers: [url], export: [{ key: 'BenchEcho' }] } } },
    { logger: silentLogger },
  );
  const nc = await connect({ servers: url });
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  nc.subscribe(BARE_SUBJECT, {
    queue: BARE_SUBJECT,
    callback: (_error, msg) => msg.respond(encoder.encode(JSON.stringify(JSON.parse(decoder.decode(msg.data)) as Message))),
  });
  const bareSerial = oneAtATime();
  nc.subscribe(SERIAL_SUBJECT, {
    queue: SERIAL_SUBJECT,
    callback: (_error, msg) => {
      void bareSerial(JSON.parse(decoder.decode(msg.data)) as Message).then((message) => msg.respond(encoder.encode(JSON.stringify(message))));
    },
  });
  await nc.flush();
  process.stdout.write('ready\n');
  process.stdin.resume();
  process.stdin.on('end', () => {
    void Promise.all([app.stop(), nc.drain()]).then(() => process.exit(0));
  });
}

function natsServerBinary(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((dir) => join(dir, 'nats-server')).find((path) => existsSync(path));
}


async function startServer(binary: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  for (let i = 0; i < 500; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return { url: `nats://127.0.0.1:${port}`, child };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  child.kill();
  throw new Error(`nats-server did not start on 127.0.0.1:${port}`);
}

async function startProviderProcess(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [__filename], { env: { ...process.env, [PROVIDER_ENV]: url }, stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (data: Buffer) => data.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`the bench provider exited with ${code}`)));
  });
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin?.end();
  await exited;
}

const BRIDGE = 'asphalt bridge call';
const BARE = 'bare nats request/reply';
const BARE_LEAN = 'bare nats, noAsyncTraces';

type Call = (n: number) => Promise<number>;

/** `n` calls with `WINDOW` of them in flight at any time. */
function windowed(name: string, peer: string, call: Call): Case {
  return {
    name,
    peer,
    checksumPerOp: 1,
    async run(n) {
      let next = 0;
      let done = 0;
      const worker = async (): Promise<void> => {
        while (next < n) {
          const i = next++;
          if ((await call(i)) === i) done++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(WINDOW, n) }, worker));
      return done;
    },
  };
}

/** Sequential calls timed one by one, the cases interleaved in blocks so drift spreads over all. */
async function latencies(calls: ReadonlyMap<string, Call>): Promise<Map<string, number[]>> {
  const times = new Map([...calls.keys()].map((name) => [name, [] as number[]]));
  const entries = [...calls];
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    for (let k = 0; k < entries.length; k++) {
      const [name, call] = entries[(k + round) % entries.length]!;
      for (let i = 0; i < LATENCY_BLOCK; i++) {
        const began = process.hrtime.bigint();
        if ((await call(i)) !== i) throw new Error(`${name}: wrong reply`);
        times.get(name)!.push(Number(process.hrtime.bigint() - began) / 1e6);
      }
    }
  }
  return times;
}

async function run(): Promise<Result[]> {
  const binary = natsServerBinary();
  if (binary === undefined) {
    console.log('skipped: nats-server is not installed (Debian: apt-get install nats-server)');
    return [];
  }
  const server = await startServer(binary);
  const providers: ChildProcess[] = [];
  const connections: NatsConnection[] = [];
  let consumer: Application | undefined;
  try {
    providers.push(await startProviderProcess(server.url));
    consumer = await bootstrap(
      ContainerComponent,
      { components: { bridge: { type: 'bridge', servers: [server.url], import: [{ key: 'BenchEcho' }] } } },
      { logger: silentLogger },
    );
    const remote = await consumer.context.getResource(Echo);
    const bare = await connect({ servers: server.url });
    const lean = await connect({ servers: server.url, noAsyncTraces: true });
    connections.push(bare, lean);
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    const message = (n: number): Message => ({ to: 'ann@example.com', subject: 'Welcome!', n });
    const viaBridge = (method: 'echo' | 'serial'): Call => async (n) => (await remote[method](message(n))).n;
    const viaNats = (nc: NatsConnection, subject: string): Call => async (n) => {
      const reply = await nc.request(subject, encoder.encode(JSON.stringify(message(n))), { timeout: 5_000 });
      return (JSON.parse(decoder.decode(reply.data)) as Message).n;
    };
    const echo = new Map<string, Call>([
      [BRIDGE, viaBridge('echo')],
      [BARE, viaNats(bare, BARE_SUBJECT)],
      [BARE_LEAN, viaNats(lean, BARE_SUBJECT)],
    ]);

    for (let i = 0; i < 1_000; i++) await Promise.all([...echo.values()].map((call) => call(i)));
    const times = await latencies(echo);
    const bareP50 = quantile(times.get(BARE)!, 0.5);
    console.log(`\n## Remote call latency (sequential, 1 provider process, ${LATENCY_ROUNDS * LATENCY_BLOCK} calls each)`);
    printTable(
      ['case', 'p50 ms', 'p90 ms', 'p99 ms', 'p50 vs bare'],
      [...times].map(([name, ms]) => [
        name,
        formatMs(quantile(ms, 0.5)),
        formatMs(quantile(ms, 0.9)),
        formatMs(quantile(ms, 0.99)),
        formatRatio(quantile(ms, 0.5) / bareP50),
      ]),
    );
    const latencyRows: Row[] = [...times].map(([name, ms]) => rowFromMs(`${name} latency`, name === BRIDGE ? 'asphalt' : 'nats', ms));
    const latency: Result = {
      title: 'Remote call latency (sequential)',
      rows: latencyRows,
      targets: [
        rateTarget('bridge call p50 latency <= 1.3x bare request/reply', latencyRows, `${BRIDGE} latency`, `${BARE} latency`, 1 / 1.3),
        rateTarget('bridge call p50 latency <= 1.3x bare with noAsyncTraces', latencyRows, `${BRIDGE} latency`, `${BARE_LEAN} latency`, 1 / 1.3),
      ],
    };

    const throughput = async (count: number): Promise<Result> => {
      const label = count === 1 ? '1 provider' : `${count} providers`;
      const comparison = await compare(
        `Remote call throughput, ${WINDOW} in flight, ${label}`,
        [
          ...[...echo].map(([name, call]) => windowed(`${name}, ${label}`, name === BRIDGE ? 'asphalt' : 'nats', call)),
          windowed(`${BRIDGE}, serial 1 ms, ${label}`, 'asphalt', viaBridge('serial')),
          windowed(`${BARE}, serial 1 ms, ${label}`, 'nats', viaNats(bare, SERIAL_SUBJECT)),
        ],
        `${BARE}, ${label}`,
        // In one process: every case calls the providers this scenario started (a broker and
        // provider processes already outside this one); a child per case would start its own set.
        { samples: 9, batchMs: 60, warmupMs: 300, isolate: false },
      );
      return comparison.result();
    };
    const one = await throughput(1);
    providers.push(await startProviderProcess(server.url));
    const two = await throughput(2);
    const scale = (prefix: string): string => {
      const rate = (result: Result, label: string): number => result.rows.find((row) => row.name === `${prefix}, ${label}`)!.median;
      return formatRatio(rate(two, '2 providers') / rate(one, '1 provider'));
    };
    console.log(
      `  2 providers vs 1: bridge ${scale(BRIDGE)}, bare ${scale(BARE)}; ` +
        `serial 1 ms calls: bridge ${scale(`${BRIDGE}, serial 1 ms`)}, bare ${scale(`${BARE}, serial 1 ms`)}`,
    );
    return [latency, one, two];
  } finally {
    await consumer?.stop();
    await Promise.all(connections.map((nc) => nc.close()));
    await Promise.all(providers.map(stopProcess));
    server.child.kill();
  }
}

export const bridge: Scenario = {
  name: 'bridge',
  description: 'remote calls over NATS (bridge) vs bare nats request/reply: latency, throughput with 1 and 2 providers',
  run,
};

if (require.main === module && process.env[PROVIDER_ENV]) {
  runProvider(process.env[PROVIDER_ENV]!).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
