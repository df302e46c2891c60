import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// Each run blurs three images (~1.2 s of CPU); on a loaded machine a run takes many times that
// (over 60 s each with 8 busy loops on a shared 2-core machine).
jest.setTimeout(300_000);

const repo = join(__dirname, '..', '..');

/** Runs the compiled sample (worker threads load compiled task modules) and returns its stdout. */
async function runSample(mode: 'inline' | 'pool'): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(repo, 'dist', 'samples', 'offload', 'main.js'), mode], { cwd: repo });
  return stdout;
}

const slowestPing = (output: string): number => Number(/slowest (\d+) ms/.exec(output)?.[1]);

// One run of each mode, one after the other (run at once, they would slow each other down); every
// test reads both outputs, so none depends on another test having run.
let inline: string;
let pool: string;
beforeAll(async () => {
  inline = await runSample('inline');
  pool = await runSample('pool');
});

describe('the offload sample', () => {
  it('with the blur inline: the detector reports the block with the request and the blurring function, and pings wait', () => {
    expect(inline).toMatch(/^blurred 3 images \(checksums \d+, \d+, \d+\)/m);
    const reports = inline.match(/^warn: event loop blocked for \d+ ms \(threshold 100 ms\) in .*$/gm) ?? [];
    // Each blur blocks ~400 ms here; blocks longer than threshold + interval (150 ms) are always
    // captured. Another block (a GC pause under load) may be reported too, so look for the blurs'.
    // The request's context is labelled by the component; the stack was captured while the loop was blocked.
    const blurReports = reports.filter((line) => /ms \(threshold 100 ms\) in root\.images > GET \/blur at /.test(line));
    expect(blurReports.length).toBeGreaterThanOrEqual(1);
    expect(inline).toMatch(/^\s+at blurImage \(.*offload[/\\]tasks[/\\]pixels\.js:\d+:\d+\)$/m);
    expect(inline).toContain('progress reports from workers: 0');
    expect(slowestPing(inline)).toBeGreaterThanOrEqual(300); // a ping waited for at least most of a blur
  });

  it('with the worker pool: no block is reported for the blur, pings are answered while it runs, workers report progress', () => {
    expect(pool).toMatch(/^blurred 3 images \(checksums \d+, \d+, \d+\)/m);
    // The blur never runs on the main thread. (A loaded machine stalls the whole process now and
    // then, and the detector reports that too, in whatever request was running: so look for the
    // blurring function, not for any report in GET /blur.)
    expect(pool).not.toMatch(/^\s+at blurImage \(/m);
    expect(pool).not.toMatch(/in root\.images > GET \/blur at blurImage/);
    expect(pool).toContain('progress reports from workers: 600'); // 3 images x 200 rounds, each a Signal dispatch on the main thread
    expect(Number(/answered while blurring: (\d+)/.exec(pool)?.[1])).toBeGreaterThanOrEqual(3);
    // (No bound on how slow a ping may be: a loaded machine stalls the process at random; that
    // pings were answered while the blurs ran is the event that shows the loop was free.)
  });

  it('blurs the same images either way', () => {
    const checksums = (output: string) => /checksums ([\d, ]+)\)/.exec(output)?.[1];
    expect(checksums(inline)).toMatch(/^\d+, \d+, \d+$/);
    expect(checksums(pool)).toBe(checksums(inline));
  });
});
