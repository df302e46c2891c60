import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

jest.setTimeout(30_000);

const repo = join(__dirname, '..', '..');

/** Runs the compiled sample (worker threads load compiled task modules) and returns its stdout. */
async function runSample(mode: 'inline' | 'pool'): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(repo, 'dist', 'samples', 'offload', 'main.js'), mode], { cwd: repo });
  return stdout;
}

const slowestPing = (output: string): number => Number(/slowest (\d+) ms/.exec(output)?.[1]);

describe('the offload sample', () => {
  it('with the blur inline: the detector reports the block with the request and the blurring function, and pings wait', async () => {
    const output = await runSample('inline');
    expect(output).toMatch(/^blurred 3 images \(checksums \d+, \d+, \d+\)/m);
    const reports = output.match(/^warn: event loop blocked for \d+ ms \(threshold 100 ms\) in .*$/gm) ?? [];
    // Each blur blocks ~400 ms here; blocks longer than threshold + interval (150 ms) are always
    // captured. Another block (a GC pause under load) may be reported too, so look for the blurs'.
    // The request's context is labelled by the component; the stack was captured while the loop was blocked.
    const blurReports = reports.filter((line) => /ms \(threshold 100 ms\) in root\.images > GET \/blur at /.test(line));
    expect(blurReports.length).toBeGreaterThanOrEqual(1);
    expect(output).toMatch(/^\s+at blurImage \(.*offload[/\\]tasks[/\\]pixels\.js:\d+:\d+\)$/m);
    expect(output).toContain('progress reports from workers: 0');
    expect(slowestPing(output)).toBeGreaterThanOrEqual(300);
  });

  it('with the worker pool: no block is reported for the blur, pings are answered while it runs, workers report progress', async () => {
    const output = await runSample('pool');
    expect(output).toMatch(/^blurred 3 images \(checksums \d+, \d+, \d+\)/m);
    expect(output).not.toMatch(/event loop blocked .* in (root\.images > )?GET \/blur/);
    expect(output).toContain('progress reports from workers: 600'); // 3 images x 200 rounds, each a Signal dispatch on the main thread
    expect(Number(/answered while blurring: (\d+)/.exec(output)?.[1])).toBeGreaterThanOrEqual(3);
    expect(slowestPing(output)).toBeLessThan(250);
  });

  it('blurs the same images either way', async () => {
    const [inline, pool] = await Promise.all([runSample('inline'), runSample('pool')]);
    const checksums = (output: string) => /checksums ([\d, ]+)\)/.exec(output)?.[1];
    expect(checksums(pool)).toBe(checksums(inline));
  });
});
