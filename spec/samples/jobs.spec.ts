import { join } from 'node:path';
import { startRedisServer } from '../redis/redis-server';
import { repo, runCli } from '../runner/cli/run-cli';

jest.setTimeout(60_000);

describe('the jobs sample', () => {
  it('renders queued reports on the worker pool and runs the digest schedule, which queues more', async () => {
    const server = await startRedisServer();
    try {
      const result = await runCli(['run', join(repo, 'samples', 'jobs', 'config.yaml')], { JOBS_REDIS_PORT: String(server.port), JOBS_QUEUE: `jobs-spec-${process.pid}` });
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          'completed announce: reports are on their way (job announce, attempt 1)',
          expect.stringMatching(/^completed render-report 2026-10: checksum [0-9a-f]{12}, on a worker thread: true$/),
          expect.stringMatching(/^completed render-report 2026-11: checksum [0-9a-f]{12}, on a worker thread: true$/),
          expect.stringMatching(/^digest demo-digest: queued the report of \d{4}-\d{2}$/),
          expect.stringMatching(/^schedule nightly-digest \(cron 0 3 \* \* \* \(Europe\/Paris\)\): next \S+T0[12]:00:00\.000Z, \S+T0[12]:00:00\.000Z$/),
        ]),
      );
      expect(lines.filter((line) => line.startsWith('digest demo-digest')).length).toBeGreaterThanOrEqual(2);
      expect(lines.at(-1)).toMatch(/^done: \d+ jobs completed$/);
    } finally {
      await server.stop();
    }
  });

  it('is listed by asphalt schedules with the next run times, starting nothing', async () => {
    const result = await runCli(['schedules', join(repo, 'samples', 'jobs', 'config.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^root\.scheduler: 2 schedule\(s\)\n  nightly-digest  job nightly-digest  cron 0 3 \* \* \* \(Europe\/Paris\)  next: (\S+T0[12]:00:00\.000Z(, )?){3}\n  demo-digest  job nightly-digest  every 700 ms  next: /);
  });
});
