import { quick } from '../options';
import type { Result, Row, Scenario } from '../harness';
import {
  asphaltSubject,
  avvioSubject,
  effectSubject,
  formatMs,
  layeredDag,
  limitTarget,
  median,
  nestModulesSubject,
  printTable,
  promisesBaseline,
  rowFromMs,
  timeSubjects,
  type Behaviour,
  type Plan,
} from '../dag';

/** Every subject gets the same warm-up and reps (NestJS and avvio included); --quick halves the work. */
const SAME = quick ? { warmup: 0, reps: 1 } : { warmup: 1, reps: 3 };

// 200 components in 10 layers of 20 (each requiring 2-3 of the previous layer), each start
// awaiting 20 ms before it publishes: the critical path is 10 x 20 ms = 200 ms. Timed: bootstrap
// call to resolved. avvio and NestJS onModuleInit run one node at a time (~4 s each); every subject
// still gets the same warm-up and reps (SAME). NestJS async factories (resolved concurrently) are
// shown too.

export const ASYNC_N = 200;
export const ASYNC_LAYERS = 10;
export const STEP_MS = 20;
const CRITICAL_MS = ASYNC_LAYERS * STEP_MS;

async function run(): Promise<Result[]> {
  const dag = layeredDag(ASYNC_N, ASYNC_N / ASYNC_LAYERS);
  const slow: Behaviour = { startMs: STEP_MS, stopMs: 0 };
  const plans: Plan[] = [
    { make: () => asphaltSubject(dag, slow), ...SAME },
    { make: () => promisesBaseline(dag, slow), ...SAME },
    { make: () => effectSubject(dag, slow), ...SAME },
    { make: () => nestModulesSubject(dag, slow, 'asyncFactory', 'NestJS N modules, async factories'), ...SAME },
    { make: () => nestModulesSubject(dag, slow, 'onModuleInit', 'NestJS N modules, onModuleInit'), ...SAME },
    { make: () => avvioSubject(dag, slow), ...SAME },
  ];
  const timings = await timeSubjects(plans);
  const asphalt = median(timings[0]!.boot);
  console.log(`\n## async start: ${ASYNC_N} components, ${ASYNC_LAYERS} layers, start awaits ${STEP_MS} ms (critical path ${CRITICAL_MS} ms)`);
  printTable(
    ['case', 'boot ms', 'reps', 'x critical path', 'asphalt faster by'],
    timings.map((t, i) => [
      t.name,
      formatMs(median(t.boot)),
      String(t.boot.length),
      `${(median(t.boot) / CRITICAL_MS).toFixed(2)}x`,
      i === 0 ? '' : `${(median(t.boot) / asphalt).toFixed(2)}x`,
    ]),
  );
  const rows: Row[] = timings.map((t) => rowFromMs(t.name, t.peer, t.boot));
  rows.push(rowFromMs(`critical path (${ASYNC_LAYERS} x ${STEP_MS} ms)`, 'baseline', [CRITICAL_MS]));
  return [
    {
      title: 'Async start (200 components, 10 layers, 20 ms each)',
      rows,
      targets: [limitTarget('async start within 1.1x critical path', timings[0]!.name, asphalt / CRITICAL_MS, 1.1, 'x')],
    },
  ];
}

export const asyncStart: Scenario = {
  name: 'async-start',
  description: '200 components in 10 layers, each start() awaiting 20 ms, vs avvio, NestJS, Effect',
  run,
};
