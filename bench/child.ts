import { setScenario } from './isolate';
import type { Scenario } from './harness';

// A benchmark child: runs the scenario named in BENCH_SUBJECT until it reaches the subject this
// process serves (bench/isolate.ts), which then answers the parent's requests until told to exit.
// It loads only that scenario's file (bench/scenarios/<name>), so a child pays for the modules of
// its own scenario, not for every peer of every scenario.
const [name = ''] = (process.env.BENCH_SUBJECT ?? '').split('|');

function load(): Scenario {
  const found = (module: Record<string, unknown>): Scenario | undefined =>
    Object.values(module).find((value): value is Scenario => (value as Scenario | null)?.name === name && typeof (value as Scenario).run === 'function');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the one scenario this child runs
    const own = found(require(`./scenarios/${name}`) as Record<string, unknown>);
    if (own) return own;
  } catch {
    // a scenario whose file is named otherwise: look it up in the list
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { scenarios } = require('./scenarios') as { scenarios: readonly Scenario[] };
  const listed = scenarios.find((s) => s.name === name);
  if (listed === undefined) throw new Error(`bench child: no scenario '${name}'`);
  return listed;
}

const scenario = load();
setScenario(scenario.name);
scenario.run().then(
  () => {
    console.error(`bench child: scenario '${name}' ended without reaching subject ${process.env.BENCH_SUBJECT}`);
    process.exit(1);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
