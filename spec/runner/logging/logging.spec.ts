import { join } from 'node:path';
import { runCli, writeConfigs } from '../cli/run-cli';

// Each test runs a real `asphalt run` process; generous for a loaded machine.
jest.setTimeout(90_000);

const fixtures = join(__dirname, 'fixtures');
const relativeFixtures = 'spec/runner/logging/fixtures.ts';

/** A config file whose root is LoggingApp with these children (alias: export name). */
function app(children: Record<string, string>): string {
  const lines = ['component:', `  type: ${fixtures}:LoggingApp`, '  components:'];
  for (const [alias, type] of Object.entries(children)) lines.push(`    ${alias}: { type: ${fixtures}:${type} }`);
  return writeConfigs({ 'app.yaml': `${lines.join('\n')}\n` })['app.yaml']!;
}

/** The pretty format's lines without their time stamps. */
const untimed = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter((line) => /^\d\d:\d\d:\d\d\.\d{3} /.test(line))
    .map((line) => line.slice(13));

describe('asphalt run logging', () => {
  it('logs, at info, the start, a line per component started and stopped in the order it happens, and a component’s own line tagged with its path', async () => {
    const result = await runCli(['run', app({ listener: 'Listener', greeter: 'Greeter' }), '--log-level', 'info', '--log-format', 'pretty']);
    expect(result.code).toBe(0);
    const lines = untimed(result.stderr).map((line) => line.replace(/ in [\d.]+ ms.*$/, ''));
    expect(lines).toEqual([
      'INFO  starting the application: 3 component(s) under root (LoggingApp)',
      'INFO  [root.greeter] hello from the greeter',
      'INFO  root.greeter started',
      'INFO  root.listener started',
      'INFO  root started',
      'INFO  started 3 component(s)',
      'INFO  root.listener stopped',
      'INFO  root.greeter stopped',
      'INFO  root stopped',
      'INFO  stopped',
    ]);
  });

  it('gives a component’s line its path as the component field in the JSON format, with the runner’s level', async () => {
    const config = app({ listener: 'Listener', greeter: 'Greeter' });
    const json = await runCli(['run', config, '--log-level', 'info', '--log-format', 'json']);
    expect(json.code).toBe(0);
    const records = json.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.find((r) => r['msg'] === 'hello from the greeter')).toMatchObject({ level: 30, component: 'root.greeter', step: 'start' });
    const quiet = await runCli(['run', config, '--log-level', 'warn', '--log-format', 'json']);
    expect(quiet.stderr).not.toContain('hello from the greeter');
  });

  it('logs the waits and publishes at debug', async () => {
    const result = await runCli(['run', app({ listener: 'Listener', greeter: 'Greeter' }), '--log-level', 'debug', '--log-format', 'pretty']);
    const lines = untimed(result.stderr);
    const at = (text: string) => lines.findIndex((line) => line.startsWith(text));
    const waits = at("DEBUG root.listener is waiting for token(Greeting) 'default' from root.greeter");
    const published = at("DEBUG root.greeter published token(Greeting) 'default' (the greeting) in start()");
    const got = at("DEBUG root.listener got token(Greeting) 'default' from root.greeter after waiting");
    expect(waits).toBeGreaterThan(0);
    expect(published).toBeGreaterThan(waits);
    expect(got).toBeGreaterThan(published);
  });

  it.each(['info', 'error'])('prints the stack of a start failure’s cause in the pretty format (--log-level %s)', async (level) => {
    const result = await runCli(['run', app({ db: 'FailingDb' }), '--log-level', level, '--log-format', 'pretty']);
    expect(result.code).toBe(1);
    const stderr = result.stderr;
    expect(stderr).toMatch(/ERROR component root\.db \(FailingDb\) failed in start\(\): connection refused by db\.example:5432\n/);
    const cause = stderr.slice(stderr.indexOf('caused by: Error\n'));
    expect(cause).toMatch(
      new RegExp(`^caused by: Error\\n\\s+at openDatabase \\(${fixtures.replace(/[.\\/]/g, '\\$&')}\\.ts:\\d+:\\d+\\)\\n\\s+at async FailingDb\\.start \\(`),
    );
    // The core's own frames (the lifecycle that called start()) are not the cause: left out.
    expect(stderr).not.toMatch(/lib\/lifecycle\//);
  });

  it('prints the stall report with the class and the frame of the helper a start() is suspended in', async () => {
    const result = await runCli(['run', app({ client: 'StallingClient' }), '--log-format', 'pretty']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ {2}root\.client \(StallingClient\) \[starting [\d.]+ s, start timeout 300 ms\] in start\(\)\s+<-- timed out\n/);
    expect(result.stderr).toMatch(new RegExp(` {6}suspended at waitForHandshake \\(${relativeFixtures.replace(/[.\\/]/g, '\\$&')}:\\d+:\\d+\\)\\n {16}at StallingClient\\.start \\(`));
  });
});
