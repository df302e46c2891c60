import { setScenario } from './isolate';
import { scenarios } from './scenarios';

// A benchmark child: runs the scenario named in BENCH_SUBJECT until it reaches the subject this
// process serves (bench/isolate.ts), which then answers the parent's requests until told to exit.
const [name] = (process.env.BENCH_SUBJECT ?? '').split('|');
const scenario = scenarios.find((s) => s.name === name);
if (scenario === undefined) throw new Error(`bench child: no scenario '${name}'`);
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
