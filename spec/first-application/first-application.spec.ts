import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readmeSteps } from './readme-steps';
import { runCommand, squeeze, userEnv, type CommandResult } from './run-command';

// One npm install from the registry (cold cache on CI): minutes, not seconds.
jest.setTimeout(900_000);

const repo = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'asphalt-first-app-'));
const project = join(work, 'hello');
// The registry's cache is used when it is warm; the inner npm must not see this repository's npm config.
const env = userEnv({ npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' });
let tarball = '';

beforeAll(() => {
  mkdirSync(project);
  // dist/ is built by spec/global-setup.js; `npm pack` packs it as the registry would get it.
  execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: repo, env, stdio: ['ignore', 'ignore', 'inherit'] });
  tarball = join(work, readdirSync(work).find((name) => name.endsWith('.tgz'))!);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** The README's `npm i asphalt-ts ...` installs the packed tarball instead of the registry's version. */
function withTarball(line: string): string {
  return /^npm (i|install) /.test(line) ? line.replace(/(?<=\s)asphalt-ts(?=\s|$)/, tarball) : line;
}

/** The message of the error the runner logged (JSON lines when its output is not a terminal), else the whole output. */
function loggedError(output: string): string {
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { level?: number; msg?: string };
    if (entry.level !== undefined && entry.level >= 50 && entry.msg !== undefined) return entry.msg;
  }
  return output;
}

async function succeeds(command: string): Promise<CommandResult> {
  const result = await runCommand(command, project, env);
  expect({ command, status: result.status, output: result.status === 0 ? '' : result.output }).toEqual({ command, status: 0, output: '' });
  return result;
}

describe("the README's first application", () => {
  it('runs as written in a fresh folder on the packed package: asphalt run prints its greeting, its test passes', async () => {
    const steps = readmeSteps('Your first application');
    expect(steps.filter((s) => s.kind === 'file').map((s) => (s.kind === 'file' ? s.path : ''))).toEqual(
      expect.arrayContaining(['tsconfig.json', 'jest.config.js', 'config.yaml']),
    );
    let printed = '';
    const expected: string[] = [];
    for (const step of steps) {
      if (step.kind === 'file') {
        mkdirSync(dirname(join(project, step.path)), { recursive: true });
        writeFileSync(join(project, step.path), step.content);
      } else if (step.kind === 'commands') {
        printed = '';
        for (const line of step.lines) printed += (await succeeds(withTarball(line))).output;
      } else {
        for (const line of step.lines) expect(squeeze(printed)).toContain(squeeze(line));
        expected.push(...step.lines);
      }
    }
    expect(expected).toEqual(expect.arrayContaining(['Hi, Ada!', 'Tests: 1 passed, 1 total']));
  });

  it('tells a project without @swc/core that its .ts component type needs it, and how to install it', async () => {
    const swc = join(project, 'node_modules', '@swc', 'core');
    renameSync(swc, `${swc}.hidden`);
    try {
      const result = await runCommand('npx asphalt run config.yaml', project, env);
      expect(result.status).toBe(1);
      expect(result.output).toContain("component type './src/app:App' is the TypeScript file");
      expect(result.output).toContain(join(project, 'src', 'app.ts'));
      expect(result.output).toContain("npm i -D @swc/core");
      expect(result.output).not.toContain('Cannot find module');
    } finally {
      renameSync(`${swc}.hidden`, swc);
    }
  });

  it('names the component, its parameter and the tsconfig option when tsc compiled it without emitDecoratorMetadata', async () => {
    writeFileSync(
      join(project, 'tsconfig.no-metadata.json'),
      JSON.stringify({ extends: './tsconfig.json', include: ['src'], compilerOptions: { emitDecoratorMetadata: false, noEmit: false, rootDir: 'src', outDir: 'build' } }),
    );
    await succeeds('npx tsc -p tsconfig.no-metadata.json');
    writeFileSync(join(project, 'built.yaml'), 'component:\n  type: ./build/app.js:App\nrunner:\n  logLevel: warn\n');
    const result = await runCommand('npx asphalt run built.yaml', project, env);
    expect(result.status).toBe(1);
    const message = loggedError(result.output);
    expect(message).toContain("component root (App): its constructor's parameter 'config' has no recorded type");
    expect(message).toContain('Set "emitDecoratorMetadata": true');
    expect(message).toContain('tsconfig.json');
    expect(message).not.toContain('AppConfig'); // the message invents no class name
  });
});
