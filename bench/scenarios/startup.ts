import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Scenario } from '../harness';
import { formatMs, limitTarget, median, printTable, quantile, rowFromMs } from '../dag';
import { quick } from '../options';

// Each measurement is a fresh `node` process (wall time from spawn to exit, so module loading,
// compilation and exit all count), the three commands interleaved round by round so that a busy
// machine slows all of them alike. The targets are differences of medians against `node -e 0`
// measured in the same rounds. Runs the build (dist/), as users do.

/** The checkout (this file runs from dist/bench/scenarios, or bench/scenarios under ts tooling). */
function checkout(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}
const root = checkout();
const index = join(root, 'dist', 'lib', 'index.js');
const bin = join(root, 'dist', 'lib', 'runner', 'cli', 'bin.js');
const sample = join(root, 'samples', 'hello', 'config.yaml');

const commands: ReadonlyArray<{ name: string; args: string[] }> = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: "require('asphalt-ts')", args: ['-e', `require(${JSON.stringify(index)})`] },
  { name: 'asphalt run samples/hello/config.yaml', args: [bin, 'run', sample] },
];

/** Packages that `require('asphalt-ts')` must not load (the CLI is matched by its folder). */
const forbidden = ['nats', 'piscina', 'pino', 'yaml', 'convict', '@swc/core', 'class-validator', 'class-transformer'];

function timeOnce(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`bench startup: '${args.join(' ')}' exited ${result.status}: ${String(result.stderr)}`);
  return ms;
}

/** What `require('asphalt-ts')` loads, read in a child: every file resolved by require, by package. */
function loadedBy(entry: string): { files: number; packages: string[]; cli: boolean } {
  const probe = `
    const Module = require('node:module');
    const seen = new Set();
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (...args) { const f = resolve.apply(this, args); seen.add(f); return f; };
    require(${JSON.stringify(entry)});
    process.stdout.write(JSON.stringify([...seen]));`;
  const result = spawnSync(process.execPath, ['-e', probe], { cwd: root, encoding: 'utf8' });
  const files = JSON.parse(result.stdout) as string[];
  const packages = new Set<string>();
  for (const file of files) {
    const at = file.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const parts = file.slice(at + 'node_modules/'.length).split('/');
    packages.add(parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
  }
  return { files: files.filter((f) => f.startsWith('/')).length, packages: [...packages].sort(), cli: files.some((f) => f.includes('/runner/')) };
}

export const startup: Scenario = {
  name: 'startup',
  description: "require('asphalt-ts') and `asphalt run samples/hello` cold start, fresh processes, vs node -e 0",
  async run() {
    const rounds = quick ? 7 : 25;
    const ms: number[][] = commands.map(() => []);
    for (const c of commands) timeOnce(c.args); // warm the file-system cache
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < commands.length; k++) {
        const i = (k + round) % commands.length;
        ms[i]!.push(timeOnce(commands[i]!.args));
      }
    }
    const medians = ms.map(median);
    console.log(`\n## Startup: fresh processes, ${rounds} interleaved rounds (ms)`);
    printTable(
      ['command', 'median', 'p10..p90', 'minus node -e 0'],
      commands.map((c, i) => [
        c.name,
        formatMs(medians[i]!),
        `${formatMs(quantile(ms[i]!, 0.1))}..${formatMs(quantile(ms[i]!, 0.9))}`,
        i === 0 ? '-' : `+${formatMs(medians[i]! - medians[0]!)}`,
      ]),
    );
    const loaded = loadedBy(index);
    const heavy = forbidden.filter((p) => loaded.packages.includes(p));
    console.log(`require('asphalt-ts') resolves ${loaded.files} files; packages: ${loaded.packages.join(', ') || 'none'}`);
    console.log(
      `  none of ${forbidden.join(', ')} nor the CLI: ${heavy.length === 0 && !loaded.cli ? 'PASS' : `MISS (loads ${[...heavy, ...(loaded.cli ? ['the CLI'] : [])].join(', ')})`}`,
    );
    const rows = commands.map((c, i) => rowFromMs(c.name, i === 0 ? 'baseline' : 'asphalt', ms[i]!));
    const targets = [
      limitTarget("require('asphalt-ts') minus node -e 0", commands[1]!.name, medians[1]! - medians[0]!, 60, 'ms'),
      limitTarget('asphalt run samples/hello cold start minus node -e 0', commands[2]!.name, medians[2]! - medians[0]!, 150, 'ms'),
      {
        label: `require('asphalt-ts') loads none of ${forbidden.join(', ')}, nor the CLI${heavy.length || loaded.cli ? ` (loads ${heavy.join(', ')}${loaded.cli ? ' the CLI' : ''})` : ''}`,
        subject: commands[1]!.name,
        versus: commands[1]!.name,
        ratio: 1,
        minRatio: 1,
        pass: heavy.length === 0 && !loaded.cli,
      },
    ];
    return [{ title: 'Startup (fresh processes)', rows, targets }];
  },
};
