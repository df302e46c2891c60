import { join } from 'node:path';
import { freePort } from '../bridge/nats-server';
import { repo, runCli, startCli, waitForOutput } from '../runner/cli/run-cli';

jest.setTimeout(30_000);

describe('the echo sample', () => {
  it('runs a server and a client from one config file as two processes and echoes through TCP', async () => {
    const config = join(repo, 'samples', 'echo', 'config.yaml');
    const env = { ECHO_PORT: String(await freePort()) };
    const server = startCli(['run', config, '-s', 'server'], env);
    try {
      await waitForOutput(server.output, `echo server listening on 127.0.0.1:${env.ECHO_PORT}`);
      const client = await runCli(['run', config, '-s', 'client'], env);
      expect(client).toMatchObject({ code: 0, stdout: 'echo: hello\necho: asphalt-ts\n' });
    } finally {
      server.child.kill('SIGTERM');
    }
    const result = await server.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('echo server closed');
  });
});
