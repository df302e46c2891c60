import { gcExposed, type Result, type Row, type Scenario, type TargetCheck } from '../harness';
import { quick } from '../options';
import {
  asphaltSubject,
  avvioSubject,
  effectSubject,
  formatBytes,
  formatMs,
  inversifyBindOnlySubject,
  inversifySubject,
  layeredDag,
  limitTarget,
  mapBaseline,
  median,
  nestModulesSubject,
  nestOneModuleSubject,
  printTable,
  rateTarget,
  rowFromMs,
  timeSubjects,
  type Plan,
  type Subject,
} from '../dag';

// Boot N trivial components in a layered DAG (layers of round(sqrt(N)), each node requiring 2-3
// nodes of the previous layer; see ../dag for the DAG and for how each framework builds it).
// Timed: bootstrap call to resolved app (and, separately, its stop). Same DAG, same checks for
// every framework. Slow peers get fewer reps at large N so the whole suite stays short; the
// asphalt figures are the median of more reps. The heap per component is the heap retained while
// the app is alive (full GC before the boot and after it), divided by N.

/** `--quick` leaves out N=10,000 (where NestJS takes ~20 s per boot), and with it its targets. */
const SIZES: readonly number[] = quick ? [100, 1_000] : [100, 1_000, 10_000];

/**
 * Reps per size, [warmup, timed]: the same for every subject, NestJS included (at N=10,000 its
 * ~20 s boots make this scenario take a few minutes; --quick skips that size).
 */
function reps(n: number): [number, number] {
  if (n <= 100) return quick ? [2, 7] : [5, 15];
  if (n <= 1_000) return quick ? [1, 3] : [3, 9];
  return [1, 3];
}

const ASPHALT = 'asphalt bootstrap';

function rowName(subject: string, n: number): string {
  return `${subject} N=${n.toLocaleString('en-US')}`;
}

async function run(): Promise<Result[]> {
  const rows: Row[] = [];
  const targets: TargetCheck[] = [];
  const asphaltMs = new Map<number, number>();
  const asphaltHeap = new Map<number, number>();
  for (const n of SIZES) {
    const dag = layeredDag(n);
    const makers: [string, () => Subject][] = [
      ['asphalt', () => asphaltSubject(dag)],
      // Both NestJS layouts at every size: a target compares with the module-per-component one.
      ['nestjs', () => nestModulesSubject(dag)],
      ['nestjs', () => nestOneModuleSubject(dag)],
      ['avvio', () => avvioSubject(dag)],
      ['effect', () => effectSubject(dag)],
      ['inversify', () => inversifySubject(dag)],
      ['floor', () => inversifyBindOnlySubject(dag)],
      ['baseline', () => mapBaseline(dag)],
    ];
    const plans: Plan[] = makers.map(([, make]) => {
      const [warmup, timed] = reps(n);
      return { make, warmup, reps: timed, heap: n >= 1_000 };
    });
    const timings = await timeSubjects(plans);
    const asphalt = timings.find((t) => t.name === ASPHALT)!;
    const a = median(asphalt.boot);
    asphaltMs.set(n, a);
    asphaltHeap.set(n, median(asphalt.heap) / n);

    console.log(`\n## boot N=${n.toLocaleString('en-US')} (${dag.layers} layers of ${dag.width}; median ms)`);
    printTable(
      ['case', 'boot ms', 'p10..p90', 'reps', 'stop ms', 'heap/component', 'asphalt faster by'],
      timings.map((t) => {
        const sorted = [...t.boot].sort((x, y) => x - y);
        return [
          t.name,
          formatMs(median(t.boot)),
          `${formatMs(sorted[Math.floor((sorted.length - 1) * 0.1)]!)}..${formatMs(sorted[Math.ceil((sorted.length - 1) * 0.9)]!)}`,
          String(t.boot.length),
          formatMs(median(t.stop)),
          t.heap.length > 0 ? formatBytes(median(t.heap) / n) : '-',
          t.name === ASPHALT ? '' : `${(median(t.boot) / a).toFixed(2)}x`,
        ];
      }),
    );
    for (const t of timings) {
      rows.push(rowFromMs(rowName(t.name, n), t.peer, t.boot));
      rows.push(rowFromMs(rowName(`${t.name} stop`, n), t.peer, t.stop));
    }
  }

  const big = SIZES[SIZES.length - 1]!;
  const subjectRow = rowName(ASPHALT, big);
  const at = `boot N=${big.toLocaleString('en-US')}`;
  const peers = ['NestJS N modules', 'NestJS one module', 'avvio use + ready', 'Effect Layer.buildWithScope', 'inversify bind + get all'];
  for (const peer of peers) targets.push(rateTarget(`${at}: asphalt faster than ${peer}`, rows, subjectRow, rowName(peer, big), 1));
  targets.push(rateTarget(`${at}: asphalt >= 4x faster than avvio`, rows, subjectRow, rowName('avvio use + ready', big), 4));
  targets.push(rateTarget(`${at}: asphalt >= 25x faster than NestJS modules`, rows, subjectRow, rowName('NestJS N modules', big), 25));
  if (asphaltMs.has(10_000)) {
    const growth = asphaltMs.get(10_000)! / asphaltMs.get(1_000)!;
    targets.push(limitTarget('boot time growth N=1,000 -> 10,000', subjectRow, growth, 12, 'x'));
    console.log(`\nasphalt growth N=1,000 -> 10,000: ${growth.toFixed(1)}x time for 10x components`);
  }
  if (gcExposed) {
    targets.push(limitTarget(`boot heap per component at N=${big.toLocaleString('en-US')}`, subjectRow, asphaltHeap.get(big)! / 1024, 2, 'KB'));
  }
  return [{ title: 'Boot N trivial components (layered DAG)', rows, targets }];
}

export const boot: Scenario = {
  name: 'boot',
  description: 'bootstrap N = 100 / 1,000 / 10,000 trivial components in a layered DAG vs NestJS, avvio, Effect, inversify',
  run,
};
