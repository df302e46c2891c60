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
import { ASYNC_LAYERS, ASYNC_N, STEP_MS } from './async-start';

/** Every subject gets the same warm-up and reps (NestJS and avvio included); --quick halves the work. */
const SAME = quick ? { warmup: 0, reps: 1 } : { warmup: 1, reps: 3 };
const TRIVIAL = quick ? { warmup: 1, reps: 3 } : { warmup: 2, reps: 9 };

// Stop, timed from the stop call to its resolution (each rep boots the app first, untimed).
// 1. The 1,000-component DAG of `boot`, trivial (no teardown work anywhere): asphalt app.stop() vs
//    avvio close(), NestJS app.close(), Effect Scope.close.
// 2. The async graph of `async-start` (200 components, 10 layers) where every component's teardown
//    awaits 20 ms and must run after everything that requires it has stopped: critical path 200 ms.
//    Effect releases its layers in reverse order one at a time by default (a sequential scope), so
//    it is shown with a parallel scope as well. avvio onClose and NestJS onModuleDestroy run one at a
//    time (~4 s) and are left out to keep the suite short.

const TRIVIAL_N = 1_000;
const CRITICAL_MS = ASYNC_LAYERS * STEP_MS;

async function run(): Promise<Result[]> {
  const trivialDag = layeredDag(TRIVIAL_N);
  const trivial = await timeSubjects([
    { make: () => asphaltSubject(trivialDag), ...TRIVIAL },
    { make: () => avvioSubject(trivialDag), ...TRIVIAL },
    { make: () => nestModulesSubject(trivialDag), ...TRIVIAL },
    { make: () => effectSubject(trivialDag), ...TRIVIAL },
  ]);
  const trivialMs = median(trivial[0]!.stop);
  console.log(`\n## stop ${TRIVIAL_N.toLocaleString('en-US')} trivial components (median ms)`);
  printTable(
    ['case', 'stop ms', 'reps', 'asphalt faster by'],
    trivial.map((t, i) => [
      `${t.name} -> stop`,
      formatMs(median(t.stop)),
      String(t.stop.length),
      i === 0 ? '' : `${(median(t.stop) / trivialMs).toFixed(2)}x`,
    ]),
  );

  const dag = layeredDag(ASYNC_N, ASYNC_N / ASYNC_LAYERS);
  const slow: Behaviour = { startMs: 0, stopMs: STEP_MS };
  const plans: Plan[] = [
    { make: () => asphaltSubject(dag, slow), ...SAME },
    { make: () => promisesBaseline(dag, slow), ...SAME },
    { make: () => effectSubject(dag, slow, 'Effect Scope.close (parallel scope)', 'parallel'), ...SAME },
    { make: () => effectSubject(dag, slow, 'Effect Scope.close (default scope)'), ...SAME },
  ];
  const timings = await timeSubjects(plans);
  const asphalt = median(timings[0]!.stop);
  console.log(`\n## stop ${ASYNC_N} components, ${ASYNC_LAYERS} layers, teardown awaits ${STEP_MS} ms (critical path ${CRITICAL_MS} ms)`);
  printTable(
    ['case', 'stop ms', 'reps', 'x critical path'],
    timings.map((t) => [`${t.name} -> stop`, formatMs(median(t.stop)), String(t.stop.length), `${(median(t.stop) / CRITICAL_MS).toFixed(2)}x`]),
  );

  const trivialRows: Row[] = trivial.map((t) => rowFromMs(`${t.name} -> stop`, t.peer, t.stop));
  const asyncRows: Row[] = timings.map((t) => rowFromMs(`${t.name} -> stop`, t.peer, t.stop));
  return [
    {
      title: `Stop ${TRIVIAL_N} trivial components`,
      rows: trivialRows,
      targets: [limitTarget('stop 1,000 trivial components', trivialRows[0]!.name, trivialMs, 5, 'ms')],
    },
    {
      title: 'Stop the async graph (20 ms teardowns)',
      rows: asyncRows,
      targets: [limitTarget('async stop within 1.1x critical path', asyncRows[0]!.name, asphalt / CRITICAL_MS, 1.1, 'x')],
    },
  ];
}

export const stop: Scenario = {
  name: 'stop',
  description: 'stop 1,000 trivial components, and the async graph with 20 ms teardowns',
  run,
};
