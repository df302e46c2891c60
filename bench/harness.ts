import { performance } from 'node:perf_hooks';
import { isChild, nextMeasurement, serve, servedSubject, spawnSubject, subjectKey } from './isolate';

/**
 * One measured thing. `run(n)` performs `n` operations in its own loop and returns a checksum
 * built from every operation's result; the harness checks it against `n * checksumPerOp`, so an
 * engine that skipped work (dead-code elimination) or a lookup that returned the wrong value
 * fails loudly instead of producing a fast figure.
 *
 * Each case writes its own loop (rather than the harness calling `op()` n times) so that every
 * call site stays monomorphic and no case pays for a closure call that the others do not.
 */
export interface Case {
  readonly name: string;
  /** `'asphalt'` marks the subject; any other value is a peer or a baseline. */
  readonly peer: string;
  readonly checksumPerOp: number;
  run(n: number): number | Promise<number>;
}

/** The figures of one case: operations per second over the timed batches. */
export interface Row {
  readonly name: string;
  readonly peer: string;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly samples: number;
  readonly batchSize: number;
}

/** A required ratio between two rows of a comparison, checked after it ran. */
export interface TargetCheck {
  readonly label: string;
  readonly subject: string;
  readonly versus: string;
  readonly ratio: number;
  readonly minRatio: number;
  readonly pass: boolean;
}

/** What a scenario hands back: one comparison table and the targets checked against it. */
export interface Result {
  readonly title: string;
  readonly rows: readonly Row[];
  readonly targets: readonly TargetCheck[];
}

/** A benchmark scenario: one file in `bench/scenarios/`, listed in `bench/scenarios/index.ts`. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  run(): Promise<Result[]>;
}

export interface HarnessOptions {
  /** Timed batches per case. */
  samples: number;
  /** Wall time one batch should take; the batch size is calibrated to it. */
  batchMs: number;
  /** Untimed running before the first timed batch (calibration counts towards it). */
  warmupMs: number;
  /**
   * Each case in its own child process (the default). `false` runs them all here: only for cases
   * that share something that cannot cross a process (say so where it is used).
   */
  isolate: boolean;
}

const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';

const defaults: HarnessOptions = {
  samples: Number(process.env.BENCH_SAMPLES) || (quick ? 7 : 15),
  batchMs: Number(process.env.BENCH_BATCH_MS) || 15,
  warmupMs: Number(process.env.BENCH_WARMUP_MS) || 150,
  isolate: process.env.BENCH_ISOLATE !== '0',
};

const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** Whether the process runs with `--expose-gc` (collections between batches keep them comparable). */
export const gcExposed = typeof (globalThis as { gc?: unknown }).gc === 'function';

async function timeBatch(c: Case, n: number): Promise<number> {
  const start = process.hrtime.bigint();
  let checksum = c.run(n);
  if (typeof checksum !== 'number') checksum = await checksum;
  const ns = Number(process.hrtime.bigint() - start);
  const expected = n * c.checksumPerOp;
  if (checksum !== expected) {
    throw new Error(`bench case '${c.name}': checksum ${checksum} after ${n} ops, expected ${expected}`);
  }
  return ns;
}

/** Doubles the batch size until one batch takes `batchMs`; keeps running until `warmupMs` has passed. */
async function calibrate(c: Case, options: HarnessOptions): Promise<number> {
  const began = performance.now();
  let n = 1;
  for (;;) {
    const ns = await timeBatch(c, n);
    if (ns >= options.batchMs * 1e6) break;
    n = ns < 1e5 ? n * 10 : Math.ceil(n * Math.min(10, Math.max(1.5, (options.batchMs * 1e6) / ns)));
  }
  while (performance.now() - began < options.warmupMs) await timeBatch(c, n);
  return n;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * Measures every case. Each case runs in a child process of its own (see ./isolate): the children
 * are started and warmed up one after the other, then the timed batches run in interleaved rounds
 * (each round runs one batch of every case, in a rotated order, one process at a time) so that
 * drift in the machine's speed spreads over all cases instead of favouring the one that ran first.
 * A full GC runs before every timed batch, outside the timing.
 */
export async function measure(cases: readonly Case[], overrides: Partial<HarnessOptions> = {}): Promise<Row[]> {
  const options = { ...defaults, ...overrides };
  const index = nextMeasurement();
  if (isChild) {
    const mine = cases.find((c) => servedSubject(subjectKey(index, c.name)));
    if (mine === undefined) return cases.map((c) => unmeasured(c));
    gc();
    const size = await calibrate(mine, options);
    return serve(size, async () => {
      gc();
      return timeBatch(mine, size);
    });
  }
  const batch: Array<() => Promise<number>> = [];
  const sizes: number[] = [];
  const remotes: Array<{ close(): void }> = [];
  try {
    for (const c of cases) {
      if (options.isolate) {
        const remote = await spawnSubject<number, number>(subjectKey(index, c.name));
        remotes.push(remote);
        sizes.push(remote.ready);
        batch.push(() => remote.measure());
      } else {
        gc();
        const size = await calibrate(c, options);
        sizes.push(size);
        batch.push(() => {
          gc();
          return timeBatch(c, size);
        });
      }
    }
    const rates: number[][] = cases.map(() => []);
    for (let round = 0; round < options.samples; round++) {
      for (let k = 0; k < cases.length; k++) {
        const i = (k + round) % cases.length;
        const ns = await batch[i]!();
        rates[i]!.push((sizes[i]! * 1e9) / ns);
      }
    }
    return cases.map((c, i) => {
      const sorted = [...rates[i]!].sort((a, b) => a - b);
      return {
        name: c.name,
        peer: c.peer,
        median: quantile(sorted, 0.5),
        p10: quantile(sorted, 0.1),
        p90: quantile(sorted, 0.9),
        samples: sorted.length,
        batchSize: sizes[i]!,
      };
    });
  } finally {
    for (const remote of remotes) remote.close();
  }
}

/** A row for a case this process does not measure (in a child serving another subject). */
function unmeasured(c: Case): Row {
  return { name: c.name, peer: c.peer, median: NaN, p10: NaN, p90: NaN, samples: 0, batchSize: 0 };
}

/** `95.1M`, `812k`, `4.20k`: three significant digits. */
export function formatRate(opsPerSecond: number): string {
  const [value, unit] =
    opsPerSecond >= 1e9
      ? [opsPerSecond / 1e9, 'G']
      : opsPerSecond >= 1e6
        ? [opsPerSecond / 1e6, 'M']
        : opsPerSecond >= 1e3
          ? [opsPerSecond / 1e3, 'k']
          : [opsPerSecond, ''];
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)}${unit}`;
}

function formatTime(opsPerSecond: number): string {
  const ns = 1e9 / opsPerSecond;
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(1)} ns`;
}

/** `1.62x` */
export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}x`;
}

function table(header: readonly string[], body: readonly (readonly string[])[], rightAligned: readonly boolean[]): string {
  const widths = header.map((h, col) => Math.max(h.length, ...body.map((row) => row[col].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, col) => (rightAligned[col] ? cell.padStart(widths[col]) : cell.padEnd(widths[col]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** A comparison: its rows, and the ratio of any two of them by name. */
export interface Comparison {
  readonly title: string;
  readonly rows: readonly Row[];
  ratio(subject: string, versus: string): number;
  /** Checks `subject >= minRatio * versus` (medians) and records it for the PASS/MISS summary. */
  target(label: string, subject: string, versus: string, minRatio: number): TargetCheck;
  result(): Result;
}

/**
 * Measures `cases`, prints a table of medians (p10-p90, time per op, ratio to `baselineName`) and,
 * for each asphalt case, its ratio to every other case; returns the figures.
 */
export async function compare(
  title: string,
  cases: readonly Case[],
  baselineName: string,
  overrides: Partial<HarnessOptions> = {},
): Promise<Comparison> {
  if (!cases.some((c) => c.name === baselineName)) {
    throw new Error(`compare('${title}'): no case named '${baselineName}'`);
  }
  const rows = await measure(cases, overrides);
  const byName = new Map(rows.map((row) => [row.name, row]));
  const get = (name: string): Row => {
    const row = byName.get(name);
    if (row === undefined) throw new Error(`compare('${title}'): no case named '${name}'`);
    return row;
  };
  const ratio = (subject: string, versus: string): number => get(subject).median / get(versus).median;
  const baseline = get(baselineName);

  console.log(`\n## ${title}`);
  console.log(
    table(
      ['case', 'median ops/s', 'p10..p90', 'per op', `vs ${baselineName}`],
      rows.map((row) => [
        row.name,
        formatRate(row.median),
        `${formatRate(row.p10)}..${formatRate(row.p90)}`,
        formatTime(row.median),
        formatRatio(row.median / baseline.median),
      ]),
      [false, true, true, true, true],
    ),
  );
  for (const subject of rows.filter((row) => row.peer === 'asphalt')) {
    const others = rows.filter((row) => row.peer !== 'asphalt');
    const parts = others.map((other) => `${formatRatio(subject.median / other.median)} ${other.name}`);
    console.log(`  ${subject.name} ${formatRate(subject.median)} ops/s: ${parts.join(', ')}`);
  }

  const targets: TargetCheck[] = [];
  return {
    title,
    rows,
    ratio,
    target(label, subject, versus, minRatio) {
      const r = ratio(subject, versus);
      const check = { label, subject, versus, ratio: r, minRatio, pass: r >= minRatio };
      targets.push(check);
      return check;
    },
    result: () => ({ title, rows, targets }),
  };
}
