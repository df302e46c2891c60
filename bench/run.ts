import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { formatRate, formatRatio, gcExposed, type Result } from './harness';
import { setScenario } from './isolate';
import { scenarios } from './scenarios';

// Usage: node --expose-gc dist/bench/run.js [SCENARIO...] [--quick] [--json=FILE] [--markdown[=FILE]]
// Exits 0 even when a target is missed: the figures are informative; MISS lines say what missed.

function usage(): string {
  return `usage: npm run bench -- [SCENARIO...] [--quick] [--json=FILE] [--markdown[=FILE]]\n  --quick     fewer rounds and sizes\n  --markdown  also print (or write to FILE) the tables for BENCHMARKS.md\nscenarios:\n${scenarios
    .map((s) => `  ${s.name.padEnd(12)} ${s.description}`)
    .join('\n')}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const json = argv.find((arg) => arg.startsWith('--json='))?.slice('--json='.length);
  const markdownArg = argv.find((arg) => arg === '--markdown' || arg.startsWith('--markdown='));
  const markdownFile = markdownArg?.startsWith('--markdown=') ? markdownArg.slice('--markdown='.length) : undefined;
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
  if (markdownArg !== undefined) {
    const text = markdown(machine, results, argv);
    if (markdownFile) writeMarkdown(markdownFile, text);
    else console.log(`\n${text}`);
  }
  if (json) writeFileSync(json, `${JSON.stringify({ machine, date: new Date().toISOString(), results }, null, 2)}\n`);
  return 0;
}

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

/**
 * Writes the figures to `file`: between its `<!-- bench:begin -->` and `<!-- bench:end -->` lines
 * when it has them (BENCHMARKS.md keeps its prose around them), else as the whole file.
 */
function writeMarkdown(file: string, text: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const begin = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (begin < 0 || end < begin) return writeFileSync(file, text);
  writeFileSync(file, `${current.slice(0, begin + BEGIN.length)}\n${text}${current.slice(end)}`);
}

/** The BENCHMARKS.md text of a run: one table per result and the targets, written from the figures. */
function markdown(machine: Record<string, unknown>, results: ReadonlyArray<Result & { scenario: string }>, argv: readonly string[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = [
    `<!-- written by: npm run bench -- ${argv.join(' ')} (${new Date().toISOString().slice(0, 10)}); do not edit by hand -->`,
    '',
    `Node ${String(machine.node)}, ${String(machine.cpu)}, ${String(machine.cores)} cores, ${String(machine.platform)}.`,
  ];
  for (const result of results) {
    lines.push('', `### ${result.scenario}: ${result.title}`, '', '| case | median ops/s | p10..p90 | per op | samples |', '|---|---:|---:|---:|---:|');
    for (const row of result.rows) {
      const perOp = 1e9 / row.median;
      const time = perOp >= 1e6 ? `${(perOp / 1e6).toFixed(2)} ms` : perOp >= 1e3 ? `${(perOp / 1e3).toFixed(2)} µs` : `${perOp.toFixed(1)} ns`;
      lines.push(`| ${cell(row.name)} | ${formatRate(row.median)} | ${formatRate(row.p10)}..${formatRate(row.p90)} | ${time} | ${row.samples} |`);
    }
    if (result.targets.length > 0) {
      lines.push('');
      for (const t of result.targets) lines.push(`- ${t.pass ? 'PASS' : 'MISS'} ${cell(t.label)}: ${formatRatio(t.ratio)} (need ${formatRatio(t.minRatio)})`);
    }
  }
  return `${lines.join('\n')}\n`;
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
