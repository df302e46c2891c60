import { join } from 'node:path';
import { startNatsServer, type NatsServer } from '../bridge/nats-server';
import { repo, runCli, startCli, waitForOutput } from '../runner/cli/run-cli';

jest.setTimeout(60_000);

const config = join(repo, 'samples', 'bridge', 'config.yaml');

let nats: NatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats.stop();
});

/** The signups the consumer printed after `from` (an offset in its output), by provider. */
function signupsSince(output: string, from: number): string[] {
  return [...output.slice(from).matchAll(/^signup \d+: welcome mail sent by (\S+)$/gm)].map((m) => m[1]!);
}

describe('the bridge sample', () => {
  it('shows the imported Mailer as provided by the bridge, remote, without connecting', async () => {
    const result = await runCli(['graph', config, '-s', 'consumer', '--format', 'json'], { NATS_URL: 'nats://127.0.0.1:1' });
    expect(result.code).toBe(0);
    const graph = JSON.parse(result.stdout) as { nodes: { path: string; type: string }[]; edges: { provider: string; consumer: string }[] };
    expect(graph.nodes).toContainEqual(expect.objectContaining({ path: 'root.bridge.import-Mailer', type: "remote Mailer 'default' (bridge import)" }));
    expect(graph.edges).toContainEqual(expect.objectContaining({ provider: 'root.bridge.import-Mailer', consumer: 'root.signup' }));
  });

  it('serves a consumer from two providers, and from the other one when one is stopped, losing no call', async () => {
    const env = { NATS_URL: nats.url };
    const a = startCli(['run', config, '-s', 'provider'], { ...env, PROVIDER_ID: 'provider-a' });
    const b = startCli(['run', config, '-s', 'provider'], { ...env, PROVIDER_ID: 'provider-b' });
    const consumer = startCli(['run', config, '-s', 'consumer'], env);
    try {
      await waitForOutput(consumer.output, 'sent by provider-a', 30_000);
      await waitForOutput(consumer.output, 'sent by provider-b', 30_000);

      a.child.kill('SIGTERM');
      const stopped = await a.done;
      expect(stopped.code).toBe(0);
      expect(stopped.stdout).toMatch(/^provider-a: stopped after \d+ mail\(s\)$/m);

      const mark = consumer.output().length;
      const until = Date.now() + 15_000;
      while (signupsSince(consumer.output(), mark).length < 10 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(new Set(signupsSince(consumer.output(), mark))).toEqual(new Set(['provider-b']));
    } finally {
      consumer.child.kill('SIGTERM');
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
    }
    const result = await consumer.done;
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('failed:');
    const summary = /^signup: (\d+) sent, 0 failed, (\d+) sent event\(s\) heard$/m.exec(result.stdout);
    expect(summary).not.toBeNull();
    expect(Number(summary![1])).toBeGreaterThanOrEqual(12);
    expect((await b.done).code).toBe(0);
  });
});
