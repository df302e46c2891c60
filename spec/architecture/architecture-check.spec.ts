import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

/** Runs `npm run arch`'s command in `dir`; resolves with its exit code and output. */
async function cruise(dir: string): Promise<{ code: number; output: string }> {
  const bin = join(root, 'node_modules', '.bin', 'depcruise');
  try {
    const { stdout, stderr } = await run(bin, ['lib', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: dir });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the architecture check (dependency-cruiser, run by npm test)', () => {
  let copy: string;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'asphalt-arch-'));
    cpSync(join(root, 'lib'), join(copy, 'lib'), { recursive: true });
    for (const file of ['.dependency-cruiser.cjs', 'tsconfig.json', 'package.json']) cpSync(join(root, file), join(copy, file));
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  });

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('fails, naming the rule and the file, for each kind of forbidden import', async () => {
    const write = (path: string, text: string): void => writeFileSync(join(copy, 'lib', path), text);
    write('util/cycle-a.ts', "import { b } from './cycle-b';\nexport const a = (): number => b() + 1;\n");
    write('util/cycle-b.ts', "import { a } from './cycle-a';\nexport const b = (): number => a() - 1;\n");
    write('util/type-cycle-a.ts', "import type { B } from './type-cycle-b';\nexport interface A { b?: B }\n");
    write('util/type-cycle-b.ts', "import type { A } from './type-cycle-a';\nexport interface B { a?: A }\n");
    write('resources/uses-runner.ts', "export { runApplication } from '../runner/index';\n");
    write('resources/uses-health.ts', "export { HealthRegistry } from '../health/index';\n");
    write('bridge/reach-in.ts', "export { Context } from '../context/context';\n");
    write('health/reach-in.ts', "export { startLoopMonitor } from '../workers/start-loop-monitor';\n");
    write('runner/reach-in.ts', "export { HealthRegistry } from '../health/health-registry';\n");

    const { code, output } = await cruise(copy);

    expect(code).not.toBe(0);
    const violations = output.split('\n').filter((line) => line.includes('error '));
    const rule = (name: string, file: string): boolean => violations.some((line) => line.includes(`error ${name}:`) && line.includes(file));
    expect(rule('no-cycles', 'lib/util/cycle-')).toBe(true);
    expect(rule('no-type-only-cycles', 'lib/util/type-cycle-')).toBe(true);
    expect(rule('core-imports-no-battery', 'lib/resources/uses-runner.ts')).toBe(true);
    expect(rule('core-imports-no-battery', 'lib/resources/uses-health.ts')).toBe(true);
    expect(rule('battery-imports-public-entries-only', 'lib/bridge/reach-in.ts')).toBe(true);
    expect(rule('battery-imports-public-entries-only', 'lib/health/reach-in.ts')).toBe(true);
    expect(rule('runner-imports-no-battery-internals', 'lib/runner/reach-in.ts')).toBe(true);
  });
});
