import { performance } from 'node:perf_hooks';
import avvio from 'avvio';
import { bootstrap, Component, component, silentLogger } from '../../lib';
import type { Result, Scenario } from '../harness';
import { formatMs, limitTarget, median, printTable, rowFromMs } from '../dag';

// A component whose start() never resolves, with startTimeout 200 ms: the time from the bootstrap
// call to its rejection, minus 200 ms, is how late the timeout is reported (rollback included).
// avvio (the only peer with a startup timeout) is shown with `timeout: 200` and a plugin that never
// calls done(). NestJS, Effect and inversify have no startup timeout.

const TIMEOUT_MS = 200;
const REPS = 5;

class Hanging extends Component {
  override start(): Promise<void> {
    return new Promise(() => undefined);
  }
}
component({ startTimeout: TIMEOUT_MS })(Hanging);

class Quick extends Component {}

class Root extends Component {
  constructor() {
    super();
    this.addComponent('quick', Quick);
    this.addComponent('hanging', Hanging);
  }
}

async function asphaltOnce(): Promise<number> {
  const t = performance.now();
  const error = await bootstrap(Root, {}, { logger: silentLogger }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const ms = performance.now() - t;
  if ((error as { phase?: string } | undefined)?.phase !== 'timeout') throw new Error(`timeout bench: expected a timeout, got ${String(error)}`);
  return ms - TIMEOUT_MS;
}

async function avvioOnce(): Promise<number> {
  const t = performance.now();
  const app = avvio({}, { autostart: false, timeout: TIMEOUT_MS });
  app.use(function quick(_server: unknown, _options: unknown, done: () => void) {
    done();
  } as never);
  app.use(function hanging(_server: unknown, _options: unknown, _done: () => void) {
    // never calls done()
  } as never);
  const error = await app.ready().then(
    () => undefined,
    (e: unknown) => e,
  );
  const ms = performance.now() - t;
  if ((error as { code?: string } | undefined)?.code !== 'AVV_ERR_PLUGIN_EXEC_TIMEOUT') {
    throw new Error(`timeout bench: expected an avvio timeout, got ${String(error)}`);
  }
  return ms - TIMEOUT_MS;
}

async function run(): Promise<Result[]> {
  const asphalt: number[] = [];
  const peer: number[] = [];
  await asphaltOnce(); // warm-up
  for (let i = 0; i < REPS; i++) {
    asphalt.push(await asphaltOnce());
    peer.push(await avvioOnce());
  }
  console.log(`\n## timeout precision: start() never resolves, startTimeout ${TIMEOUT_MS} ms (${REPS} reps)`);
  printTable(
    ['case', 'late by (median ms)', 'min..max'],
    [
      ['asphalt bootstrap rejects', formatMs(median(asphalt)), `${formatMs(Math.min(...asphalt))}..${formatMs(Math.max(...asphalt))}`],
      ['avvio ready() rejects (timeout: 200)', formatMs(median(peer)), `${formatMs(Math.min(...peer))}..${formatMs(Math.max(...peer))}`],
    ],
  );
  // Rows hold the whole bootstrap-to-rejection time (a timer may fire a fraction of a ms early).
  const name = 'asphalt bootstrap to rejection';
  const total = (late: readonly number[]): number[] => late.map((ms) => ms + TIMEOUT_MS);
  return [
    {
      title: 'Start timeout precision',
      rows: [rowFromMs(name, 'asphalt', total(asphalt)), rowFromMs('avvio ready() to rejection', 'avvio', total(peer))],
      targets: [limitTarget('start timeout reported within 50 ms', name, median(asphalt), 50, 'ms')],
    },
  ];
}

export const timeout: Scenario = {
  name: 'timeout',
  description: 'a start() that never resolves, startTimeout 200 ms: how late the rejection comes',
  run,
};
