import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { formatRate, formatRatio, gcExposed, type Result } from './harness';
import { setScenario } from './isolate';
import { scenarios } from './scenarios';

// Usage: node --expose-gc dist/bench/run.js [SCENARIO...] [--json=FILE]
// Exits 0 even when a target is missed: the figures are informative; MISS lines say what missed.

function usage(): string {
  return `usage: npm run bench -- [SCENARIO...] [--json=FILE]\nscenarios:\n${scenarios
    .map((s) => `  ${s.name.padEnd(12)} ${s.description}`)
    .join('\n')}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const json = argv.find((arg) => arg.startsWith('--json='))?.slice('--json='.length);
  const names = argv.filter((arg) => !arg.startsWith('--'));
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage());
    return 0;
  }
  const unknown = names.filter((name) => !scenarios.some((s) => s.name === name));
  if (unknown.length > 0) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}\n${usage()}`);
    return 2;
  }
  const selected = names.length === 0 ? scenarios : scenarios.filter((s) => names.includes(s.name));

  const cpus = os.cpus();
  const machine = {
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
  console.log(`# asphalt-ts benchmarks`);
  console.log(
    `node ${machine.node} (v8 ${machine.v8}), ${machine.cpu}, ${machine.cores} cores, ` +
      `${machine.memoryGiB} GiB, ${machine.platform}`,
  );
  if (!gcExposed) console.log('warning: run with --expose-gc (npm run bench does) so GC runs between batches');

  const began = Date.now();
  const results: Array<Result & { scenario: string; seconds: number }> = [];
  for (const scenario of selected) {
    const start = Date.now();
    console.log(`\n# ${scenario.name}: ${scenario.description}`);
    setScenario(scenario.name);
    const scenarioResults = await scenario.run();
    const seconds = (Date.now() - start) / 1000;
    console.log(`(${scenario.name}: ${seconds.toFixed(1)} s)`);
    for (const result of scenarioResults) results.push({ ...result, scenario: scenario.name, seconds });
  }

  console.log('\n# Targets');
  let misses = 0;
  for (const result of results) {
    for (const t of result.targets) {
      const subject = result.rows.find((row) => row.name === t.subject);
      const versus = result.rows.find((row) => row.name === t.versus);
      if (!t.pass) misses++;
      console.log(
        `${t.pass ? 'PASS' : 'MISS'}  ${t.label}: ${formatRatio(t.ratio)} (need ${formatRatio(t.minRatio)}; ` +
          `${formatRate(subject?.median ?? NaN)} vs ${formatRate(versus?.median ?? NaN)} ops/s)`,
      );
    }
  }
  console.log(
    misses === 0
      ? `all targets met (${((Date.now() - began) / 1000).toFixed(1)} s)`
      : `*** ${misses} target(s) MISSED *** (${((Date.now() - began) / 1000).toFixed(1)} s)`,
  );
  if (json) writeFileSync(json, `${JSON.stringify({ machine, date: new Date().toISOString(), results }, null, 2)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
