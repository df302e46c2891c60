import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo, runCli, startCli, waitForOutput, writeConfigs } from './run-cli';

// Generous: each test runs real CLI processes, several in a row, and must pass on a loaded machine.
jest.setTimeout(90_000);

const hello = join(repo, 'samples', 'hello', 'config.yaml');

describe('asphalt run', () => {
  it('runs the hello sample and exits with 0', async () => {
    const result = await runCli(['run', hello]);
    expect(result).toMatchObject({ code: 0, stdout: 'Hello, asphalt-ts!\n' });
  });

  it('reads !Env tags, with their default when the variable is unset', async () => {
    expect((await runCli(['run', hello], { GREET_NAME: 'Ada' })).stdout).toBe('Hello, Ada!\n');
  });

  it('merges several files in order and lets --set win over all of them', async () => {
    const files = writeConfigs({
      'base.yaml': 'component:\n  type: FIXTURES/apps:ExitWith\n  message: from base\n  code: 4\n',
      'override.yaml': 'component:\n  message: from override\n',
      'name.txt': 'text file\n',
      'tags.yaml': 'component:\n  message: !TextFile name.txt\n',
    });
    let result = await runCli(['run', files['base.yaml']!, files['override.yaml']!]);
    expect(result).toMatchObject({ code: 4, stdout: 'from override\n' });
    result = await runCli(['run', files['base.yaml']!, files['override.yaml']!, '--set', 'component.message=from set', '--set', 'component.code=0']);
    expect(result).toMatchObject({ code: 0, stdout: 'from set\n' });
    result = await runCli(['run', files['base.yaml']!, files['tags.yaml']!, '--set', 'component.code=0']);
    expect(result.stdout).toBe('text file\n\n');
  });

  it('reads !BinaryFile as bytes, relative to the file that names it', async () => {
    const files = writeConfigs({ 'bytes.yaml': 'component: { type: FIXTURES/apps:PrintBytes, data: !BinaryFile blob.bin }\n' });
    writeFileSync(join(files.dir, 'blob.bin'), Buffer.from([0xff, 0, 1, 2]));
    const result = await runCli(['run', files['bytes.yaml']!]);
    expect(result).toMatchObject({ code: 0, stdout: 'Buffer of 4 bytes, first 255\n' });
  });

  it('selects a service by flag, by ASPHALT_SERVICE, and by default', async () => {
    const files = writeConfigs({
      'services.yaml': [
        'component: { type: FIXTURES/apps:ExitWith }',
        'services:',
        '  default: { component: { message: default service } }',
        '  other: { component: { message: other service } }',
      ].join('\n'),
    });
    expect((await runCli(['run', files['services.yaml']!, '-s', 'other'])).stdout).toBe('other service\n');
    expect((await runCli(['run', files['services.yaml']!], { ASPHALT_SERVICE: 'other' })).stdout).toBe('other service\n');
    expect((await runCli(['run', files['services.yaml']!])).stdout).toBe('default service\n');
    const wrong = await runCli(['run', files['services.yaml']!, '-s', 'othr']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('did you mean "other"?');
  });

  it('reports a bad config value with its path and where it came from, and starts nothing', async () => {
    const files = writeConfigs({
      'bad.yaml': 'component:\n  type: FIXTURES/apps:Server\n  startDelay: soon\n  stopDelai: 1\n',
    });
    const result = await runCli(['run', files['bad.yaml']!]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('starting');
    const output = result.stdout + result.stderr;
    expect(output).toContain('component.startDelay');
    expect(output).toContain('bad.yaml:3:15');
    expect(output).toMatch(/component\.stopDelai: unknown option; did you mean 'stopDelay'\?/);
    const viaSet = await runCli(['run', files['bad.yaml']!, '--set', 'component.startDelay=-1', '--set', 'component.stopDelai=0']);
    expect(viaSet.stdout + viaSet.stderr).toContain('--set component.startDelay=-1');
  });

  it.each(['pretty', 'json'])('prints a single config problem first and once, with no headers (%s logs)', async (format) => {
    const files = writeConfigs({ 'one.yaml': 'component:\n  type: FIXTURES/apps:Server\n  startDelay: soon\n' });
    const result = await runCli(['run', files['one.yaml']!], { ASPHALT_LOG_FORMAT: format });
    expect(result.code).toBe(1);
    const first = result.stderr.split('\n').find((line) => line.includes('component.startDelay'))!;
    expect(first).toMatch(/invalid configuration: component\.startDelay: .*one\.yaml:3:15/);
    expect(result.stderr.split('component.startDelay').length - 1).toBe(1);
    expect(result.stderr).not.toContain('problem(s)');
    expect(result.stderr).not.toContain('ASPHALT_CONFIG (1)');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stacks
  });

  it.each([
    ['returns a code from run()', 3, 3],
    ['reports a code outside 0-127, naming the component, and exits with 1', 300, 1],
    ['reports a non-number, naming the component and the expected type, and exits with 1', 'nope', 1],
    ['reports a non-integer number, naming the component and the expected type, and exits with 1', 2.5, 1],
  ])('%s', async (_title, code, expected) => {
    const files = writeConfigs({ 'exit.yaml': `component: { type: FIXTURES/apps:ExitWith, code: ${JSON.stringify(code)} }\n` });
    const result = await runCli(['run', files['exit.yaml']!]);
    expect(result.code).toBe(expected);
    if (expected === 1) {
      expect(result.stderr).toMatch(/ERROR +root \(ExitWith\): run\(\) returned .*, but it must return an exit code: an integer from 0 to 127/);
      expect(result.stderr).toContain(typeof code === 'string' ? '"nope" (a string)' : `${code} (a number)`);
    }
  });

  it('logs a failure in run() with its stack and exits with 1', async () => {
    const files = writeConfigs({ 'throws.yaml': 'component: { type: FIXTURES/apps:Throws }\n' });
    const result = await runCli(['run', files['throws.yaml']!]);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/run\(\) failed: Error: run exploded\n\s+at /);
  });
});

/** A config file running the Server fixture with these options. */
const server = (options: string) => writeConfigs({ 'server.yaml': `component: { type: FIXTURES/apps:Server, ${options} }\n` })['server.yaml']!;

describe('signals', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('stops gracefully on %s while running and exits with 0', async (signal) => {
    const cli = startCli(['run', server('stopDelay: 0')]);
    await waitForOutput(cli.output, 'ready');
    cli.child.kill(signal);
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ready[\s\S]*stopping[\s\S]*stopped/);
  });

  it('aborts a startup in progress on SIGINT and stops what had started', async () => {
    const cli = startCli(['run', server('startDelay: 60000')]);
    await waitForOutput(cli.output, 'starting');
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).toContain('startup aborted by SIGINT');
  });

  /** A config whose store has started and whose slow component never finishes starting. */
  const slowStartup = (fail: boolean) =>
    writeConfigs({
      'slow.yaml': [
        'component:',
        '  type: container',
        '  components:',
        `    store: { type: FIXTURES/apps:StopFails, fail: ${fail} }`,
        '    slow: { type: FIXTURES/apps:SlowStart }',
      ].join('\n'),
    })['slow.yaml']!;

  it('exits with 0 on SIGINT during startup when the rollback is clean, as after a clean stop', async () => {
    const cli = startCli(['run', slowStartup(false)]);
    await waitForOutput(cli.output, 'slow start began');
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stdout).toContain('store stopped');
    expect(result.stderr).toContain('startup aborted by SIGINT; everything that had started was stopped');
    expect(result.stderr).not.toContain('ERROR');
  });

  it('exits with 1 on SIGINT during startup when a component fails to stop in the rollback, and prints the error', async () => {
    const cli = startCli(['run', slowStartup(true)]);
    await waitForOutput(cli.output, 'slow start began');
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result).toMatchObject({ code: 1, signal: null });
    expect(result.stdout).not.toContain('store stopped');
    expect(result.stderr).toMatch(/ERROR +rolling back the failed startup also failed: [\s\S]*component root\.store failed to stop \(start phase\): .*rollback exploded/);
    expect(result.stderr).toMatch(/ERROR.*startup aborted by SIGINT, but stopping what had started failed \(logged above\); exiting with 1/);
  });

  it('forces the exit on a second signal during a slow stop, naming what had not stopped', async () => {
    const cli = startCli(['run', server('stopDelay: 60000')]);
    await waitForOutput(cli.output, 'ready');
    cli.child.kill('SIGTERM');
    await waitForOutput(cli.output, 'stopping');
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result.code).toBe(130);
    expect(result.stdout + result.stderr).toMatch(/received SIGINT again while stopping; forcing exit with code 130\. Components not stopped: root \(stopping\)/);
  });

  it('forces the exit when the shutdown deadline passes', async () => {
    const cli = startCli(['run', server('stopDelay: 60000'), '--shutdown-deadline', '300']);
    await waitForOutput(cli.output, 'ready');
    cli.child.kill('SIGTERM');
    const result = await cli.done;
    expect(result.code).toBe(143);
    expect(result.stdout + result.stderr).toContain('the shutdown deadline of 300 ms passed');
  });
});

describe('runner flags', () => {
  it('set the runner settings, win over the environment, and are named as the source of a bad value', async () => {
    const never = writeConfigs({ 'never.yaml': 'component: { type: FIXTURES/apps:NeverStarts }\n' })['never.yaml']!;
    const timedOut = await runCli(['run', never, '--start-timeout', '200'], { ASPHALT_START_TIMEOUT: '50000' });
    expect(timedOut.code).toBe(1);
    expect(timedOut.stderr).toContain('did not finish start() within its start timeout of 200 ms');

    const bad = await runCli(['run', hello, '--start-timeout', 'soon', '--log-level', 'verbose']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('runner.startTimeout: must be a whole number of milliseconds from 1 to 2147483647, got a string (got "soon") [--start-timeout soon]');
    expect(bad.stderr).toContain('runner.logLevel: must be one of trace, debug, info, warn, error, fatal, silent (got "verbose") [--log-level verbose]');
  });

  it('are refused by commands that start nothing', async () => {
    const result = await runCli(['check', hello, '--stop-timeout', '5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'asphalt check' does not take --stop-timeout");
  });
});

describe('asphalt check and graph', () => {
  const good = () =>
    writeConfigs({
      'app.yaml': [
        'component:',
        '  type: container',
        '  components:',
        '    server: { type: FIXTURES/apps:Server }',
        '    client: { type: FIXTURES/apps:Client }',
      ].join('\n'),
    })['app.yaml']!;

  it('prints one ok line for a good config and starts nothing', async () => {
    const result = await runCli(['check', good()]);
    expect(result).toMatchObject({ code: 0, stdout: 'ok: 3 component(s), 1 dependency edge(s)\n' });
  });

  it('prints every problem of a bad config and exits with 1', async () => {
    const files = writeConfigs({
      'bad.yaml': [
        'component:',
        '  type: FIXTURES/apps:ExitWith',
        '  components:',
        '    client: { type: FIXTURES/apps:Client }',
        '    ghost: { type: FIXTURES/apps:Nope }',
      ].join('\n'),
    });
    const result = await runCli(['check', files['bad.yaml']!]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("root.client requires token(Store) 'default', but nothing provides it");
    expect(result.stderr).toContain("has no export 'Nope'");
  });

  it('prints the graph as mermaid, dot and json', async () => {
    const file = good();
    expect((await runCli(['graph', file])).stdout).toMatch(/^flowchart LR/);
    expect((await runCli(['graph', file, '--format', 'dot'])).stdout).toMatch(/^digraph asphalt \{/);
    const json = JSON.parse((await runCli(['graph', file, '--format', 'json'])).stdout) as { nodes: { path: string }[] };
    expect(json.nodes.map((n) => n.path)).toEqual(['root', 'root.server', 'root.client']);
    const svg = await runCli(['graph', file, '--format', 'svg']);
    expect(svg.code).toBe(0);
    expect(svg.stdout).toContain('<svg');
    expect(svg.stdout).toContain('root.client');
    const out = join(writeConfigs({}).dir, 'graph.mmd');
    expect((await runCli(['graph', file, '-o', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^flowchart LR/);
  });

  it('draws a stopAfter from YAML as a "stops after" edge, and reports an unknown name with where it was set', async () => {
    const files = writeConfigs({
      'stop.yaml': [
        'component:',
        '  type: container',
        '  components:',
        '    server: { type: FIXTURES/apps:Server }',
        '    watcher: { type: container, stopAfter: [server] }',
        '    typo: { type: container, stopAfter: [sever] }',
      ].join('\n'),
    });
    const good = writeConfigs({ 'good.yaml': readFileSync(files['stop.yaml']!, 'utf8').split('\n').slice(0, 5).join('\n') })['good.yaml']!;
    expect((await runCli(['graph', good])).stdout).toContain('n_root_watcher -.->|"stops after"| n_root_server');
    expect((await runCli(['graph', good, '--format', 'dot'])).stdout).toContain('"root.watcher" -> "root.server" [label="stops after", style=dotted];');
    const bad = await runCli(['check', files['stop.yaml']!]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/component root\.typo: stopAfter 'sever' \(from component\.components\.typo\.stopAfter at .*stop\.yaml:6:\d+\) names no component: root has no child 'sever'; did you mean 'server'\?/);
  });

  it('describes a component type', async () => {
    const result = await runCli(['describe', join(__dirname, 'fixtures', 'apps') + ':Server']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("provides token(Store) 'default'");
    expect(result.stdout).toMatch(/startDelay: number; optional; default 0/);
  });
});

describe('usage errors', () => {
  it.each([
    [['rnu', 'x.yaml'], "unknown command 'rnu'", "did you mean 'run'?"],
    [['run'], 'needs at least one config file', 'e.g. asphalt run config.yaml'],
    [['run', 'x.yaml', '--sett', 'a=b'], "Unknown option '--sett'", 'did you mean --set?'],
    [['run', 'x.yaml', '--set', 'novalue'], 'expected path.to.key=value', 'e.g. --set component.port=8080'],
  ])('explains %j and exits with 2 (a usage error, found before any file is read)', async (args, text, hint) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(text);
    expect(result.stderr).toContain(hint);
    expect(result.stderr).not.toContain('no such file');
  });

  it('refuses an unknown graph format with 2, for a config file that exists', async () => {
    const file = writeConfigs({ 'app.yaml': 'component: { type: container }\n' })['app.yaml']!;
    const result = await runCli(['graph', file, '--format', 'png']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format png: expected one of mermaid, dot, json, svg');
  });

  it('prints help for the CLI and for each command', async () => {
    expect((await runCli(['--help'])).stdout).toContain('Usage: asphalt <command>');
    expect((await runCli(['run', '--help'])).stdout).toContain('Usage: asphalt run FILE...');
    expect((await runCli(['help', 'graph'])).stdout).toContain('--format mermaid|dot|json|svg');
  });

  it('reports a missing config file clearly', async () => {
    const result = await runCli(['run', 'does-not-exist.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('does-not-exist.yaml');
  });
});

describe('component types from packages', () => {
  it('uses the short names that installed packages declare in their package.json', async () => {
    const files = writeConfigs({
      'package.json': JSON.stringify({ name: 'my-app', dependencies: { 'fake-db': '1.0.0' } }),
      'app.yaml': 'component:\n  type: container\n  components:\n    db: { type: fakedb }\n    client: { type: FIXTURES/apps:Client }\n',
      'typo.yaml': 'component:\n  type: container\n  components:\n    db: { type: fakdb }\n',
    });
    const pkg = join(files.dir, 'node_modules', 'fake-db');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'fake-db', asphalt: { components: { fakedb: `${join(__dirname, 'fixtures', 'apps')}:Server` } } }),
    );
    expect(await runCli(['check', files['app.yaml']!])).toMatchObject({ code: 0, stdout: 'ok: 3 component(s), 1 dependency edge(s)\n' });
    const typo = await runCli(['check', files['typo.yaml']!]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("unknown component type 'fakdb'");
    expect(typo.stderr).toContain('fakedb (fake-db)');
  });
});

describe('the blocked-loop detector', () => {
  it('is on by default in asphalt run and names where the loop was blocked', async () => {
    const files = writeConfigs({ 'block.yaml': 'component: { type: FIXTURES/apps:Blocker }\n' });
    const result = await runCli(['run', files['block.yaml']!]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/event loop blocked for \d+ ms \(threshold 100 ms\)/);
    expect(result.stderr).toMatch(/in root run\(\) at Blocker\.run \(/);
    const off = await runCli(['run', files['block.yaml']!, '--blocked-loop-threshold', '0']);
    expect(off.stderr).not.toContain('event loop blocked');
  });
});
