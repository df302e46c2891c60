import { performance } from 'node:perf_hooks';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { Context, token } from '../../lib';
import { exposeToWorkers } from '../../lib/workers/expose-to-workers';
import { LoopMonitor } from '../../lib/workers/loop-monitor';
import { defineTask } from '../../lib/workers/task';
import { WorkerPool } from '../../lib/workers/worker-pool';
import { resource } from '../../lib/workers/worker-resource';
import { compare, type Case, type Result, type Scenario } from '../harness';

// Fairness: both pools have one thread (same piscina options: started on demand, 30 s idle
// timeout), are warmed up alike, run the same trivial function from this very module
// (dist/bench/scenarios/workers.js) and are awaited one task at a time, so the figure is the
// round-trip latency of one task. piscina calls its handler with one argument, asphalt spreads
// the arguments: each side gets the export shaped as it calls it.

/** Task functions, loaded by the worker threads from the compiled copy of this module. */
export const addTask = (a: number, b: number): number => a + b;
export const piscinaAdd = ({ a, b }: { a: number; b: number }): number => a + b;
export async function callMain(calls: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < calls; i++) sum += await resource(Counter).one();
  return sum;
}

/** The like operation of a worker-to-main call: `calls` MessagePort round trips to the main thread, in one task. */
export async function portPing({ port, calls }: { port: MessagePort; calls: number }): Promise<number> {
  let sum = 0;
  for (let i = 0; i < calls; i++) {
    sum += await new Promise<number>((resolve) => {
      port.once('message', resolve);
      port.postMessage(1);
    });
  }
  port.close();
  return sum;
}

interface Counter {
  one(): number;
}
const Counter = token<Counter>('bench.Counter');

/** Tasks submitted at once in the queueing comparison. */
const BURST = 64;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU time (user + system, every thread of the process) per second of wall time, in %. */
async function idleCpu(ms: number): Promise<number> {
  const cpu = process.cpuUsage();
  const began = performance.now();
  await sleep(ms);
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) / 1000 / (performance.now() - began)) * 100;
}

/** A CPU-bound workload run in 1 ms slices (so the heartbeat timer gets its turns), as work per ms. */
async function throughput(ms: number): Promise<number> {
  let work = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const slice = performance.now() + 1;
    while (performance.now() < slice) work += Math.sqrt(work + 1) > 0 ? 1 : 0;
    await new Promise<void>((r) => setImmediate(r));
  }
  return work / ms;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function detectorOverhead(): Promise<void> {
  const idle: Record<'off' | 'on', number[]> = { off: [], on: [] };
  const busy: Record<'off' | 'on', number[]> = { off: [], on: [] };
  for (let round = 0; round < 5; round++) {
    idle.off.push(await idleCpu(1_000));
    busy.off.push(await throughput(300));
    const monitor = new LoopMonitor({ threshold: 100 });
    await sleep(100);
    idle.on.push(await idleCpu(1_000));
    busy.on.push(await throughput(300));
    await monitor.stop();
  }
  const [off, on] = [median(idle.off), median(idle.on)];
  console.log('\n## Blocked-loop detector overhead (threshold 100 ms, heartbeat 50 ms), medians of 5 rounds');
  console.log(`idle process CPU: ${off.toFixed(3)}% without the detector, ${on.toFixed(3)}% with it: +${(on - off).toFixed(3)}% of one core`);
  const ratio = median(busy.on) / median(busy.off);
  console.log(`CPU-bound throughput with the detector: ${(ratio * 100).toFixed(1)}% of without`);
  console.log(`${on - off < 1 ? 'PASS' : 'MISS'}  detector idle overhead < 1% CPU: +${(on - off).toFixed(3)}%`);
}

export const workers: Scenario = {
  name: 'workers',
  description: 'WorkerPool task round trip vs bare piscina; a worker-to-main resource call; detector overhead',
  async run(): Promise<Result[]> {
    const file = __filename;
    const pool = new WorkerPool({ size: 1 });
    const bare = new Piscina({ filename: file, maxThreads: 1, minThreads: 0, idleTimeout: 30_000 });
    const add = defineTask<typeof addTask>(`${file}:addTask`);
    const call = defineTask<typeof callMain>(`${file}:callMain`);
    exposeToWorkers(Counter);
    const ctx = new Context();
    ctx.addResource<Counter>({ one: () => 1 }, { types: [Counter] });
    const results: Result[] = [];
    try {
      // Both threads started and the module loaded before the harness calibrates its batch sizes.
      for (let i = 0; i < 100; i++) await Promise.all([pool.run(add, 1, 0), bare.run({ a: 1, b: 0 }, { name: 'piscinaAdd' })]);
      await ctx.run(() => pool.run(call, 1_000)); // and the worker's call port connected
      const roundTrip: Case[] = [
        {
          name: 'asphalt pool.run(task, 1, 0)',
          peer: 'asphalt',
          checksumPerOp: 1,
          async run(n) {
            let sum = 0;
            for (let i = 0; i < n; i++) sum += await pool.run(add, 1, 0);
            return sum;
          },
        },
        {
          name: 'piscina.run({ a: 1, b: 0 })',
          peer: 'piscina',
          checksumPerOp: 1,
          async run(n) {
            let sum = 0;
            for (let i = 0; i < n; i++) sum += (await bare.run({ a: 1, b: 0 }, { name: 'piscinaAdd' })) as number;
            return sum;
          },
        },
      ];
      const tasks = await compare('Worker task round trip (1 thread, one task at a time)', roundTrip, 'piscina.run({ a: 1, b: 0 })');
      tasks.target('pool.run round trip >= 1/1.2 of bare piscina', 'asphalt pool.run(task, 1, 0)', 'piscina.run({ a: 1, b: 0 })', 1 / 1.2);
      results.push(tasks.result());

      // Tasks that wait for the thread: the pool hands every task to piscina at once and lets
      // piscina's queue hold them (an own queue in front of it, which gave piscina `size` tasks at
      // a time, measured 0.59x of this peer: the thread idled between tasks).
      const burst: Case[] = [
        {
          name: `asphalt pool.run x${BURST} at once`,
          peer: 'asphalt',
          checksumPerOp: 1,
          async run(n) {
            let sum = 0;
            for (let done = 0; done < n; done += BURST) {
              const batch = Math.min(BURST, n - done);
              const all = await Promise.all(Array.from({ length: batch }, () => pool.run(add, 1, 0)));
              for (const value of all) sum += value;
            }
            return sum;
          },
        },
        {
          name: `piscina.run x${BURST} at once (piscina's queue)`,
          peer: 'piscina',
          checksumPerOp: 1,
          async run(n) {
            let sum = 0;
            for (let done = 0; done < n; done += BURST) {
              const batch = Math.min(BURST, n - done);
              const all = await Promise.all(Array.from({ length: batch }, () => bare.run({ a: 1, b: 0 }, { name: 'piscinaAdd' }) as Promise<number>));
              for (const value of all) sum += value;
            }
            return sum;
          },
        },
      ];
      const burstResult = await compare(`Worker tasks waiting in a queue (${BURST} submitted at once, 1 thread)`, burst, burst[1]!.name);
      results.push(burstResult.result());

      const calls: Case[] = [
        {
          name: 'asphalt resource(Counter).one() from a worker',
          peer: 'asphalt',
          checksumPerOp: 1,
          run: (n) => ctx.run(() => pool.run(call, n)),
        },
        {
          // The same threads, the same direction (worker asks, main answers), no framework: what
          // the call costs at least. (Not a main-to-worker task, which is a different operation.)
          name: 'bare MessagePort round trip worker -> main -> worker (in one piscina task)',
          peer: 'piscina',
          checksumPerOp: 1,
          async run(n) {
            const { port1, port2 } = new MessageChannel();
            port1.on('message', (message: number) => port1.postMessage(message));
            try {
              return (await bare.run({ port: port2, calls: n }, { name: 'portPing', transferList: [port2] })) as number;
            } finally {
              port1.close();
            }
          },
        },
      ];
      const callResult = await compare(
        'Worker-to-main resource call round trip (calls in one task)',
        calls,
        'bare MessagePort round trip worker -> main -> worker (in one piscina task)',
      );
      results.push(callResult.result());
    } finally {
      await pool.close();
      await bare.destroy();
      await ctx.close();
    }
    await detectorOverhead();
    return results;
  },
};
