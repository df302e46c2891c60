import { runCli, writeConfigs } from './run-cli';

// Each test runs real CLI processes and must pass on a loaded machine.
jest.setTimeout(90_000);

const app = (components: string) =>
  writeConfigs({ 'config.yaml': `component:\n  type: container\n  components:\n${components}` })['config.yaml']!;

const withDb = app(
  [
    '    db: { type: FIXTURES/db-apps:PgDb, port: !Env DB_PORT }',
    '    users: { type: FIXTURES/db-apps:Users }',
    '    reports: { type: FIXTURES/db-apps:Reports, pageSize: !Env [PAGE_SIZE, 20] }',
    '',
  ].join('\n'),
);

describe('one config error, one problem', () => {
  it('DB_PORT=abc is one problem, not also "nothing provides Pool" for each consumer of the database', async () => {
    const result = await runCli(['check', withDb], { DB_PORT: 'abc' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^asphalt: invalid configuration: component\.components\.db\.port: .*integer.*\[!Env DB_PORT \(\S*config\.yaml:4:\d+\)\]/);
    expect(result.stderr).not.toContain('nothing provides');
    expect(result.stderr).not.toContain('problem(s)');
  });

  it('an unset !Env variable does not hide the other problems of the files: all are in one report', async () => {
    const result = await runCli(['check', withDb], { PAGE_SIZE: 'many' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid configuration (2 problems):');
    expect(result.stderr).toMatch(/component\.components\.db\.port: environment variable DB_PORT is not set/);
    expect(result.stderr).toMatch(/component\.components\.reports\.pageSize: .*integer/);
    // The null left for DB_PORT is not reported a second time by validation.
    expect(result.stderr.split('component.components.db.port').length - 1).toBe(1);
    expect(result.stderr).not.toContain('nothing provides');
  });

  it('an unset !Env variable in the selected service is reported once, with the other problems', async () => {
    const config = writeConfigs({
      'services.yaml': [
        'component: { type: container }',
        'services:',
        '  api:',
        '    component:',
        '      components:',
        '        db: { type: FIXTURES/db-apps:PgDb, port: !Env DB_PORT }',
        '        reports: { type: FIXTURES/db-apps:Reports, pageSize: many }',
      ].join('\n'),
    })['services.yaml']!;
    const result = await runCli(['check', config, '-s', 'api']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid configuration (2 problems):');
    expect(result.stderr).toMatch(/services\.api\.component\.components\.db\.port: environment variable DB_PORT is not set/);
    expect(result.stderr).toMatch(/component\.components\.reports\.pageSize: .*integer/);
    expect(result.stderr).not.toMatch(/^\s+- component\.components\.db\.port/m);
  });

  it('with the variables right, the same config checks ok', async () => {
    const result = await runCli(['check', withDb], { DB_PORT: '5432' });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('ok: 4 component(s)');
  });
});

describe('keys as the user wrote them', () => {
  it("names pg's Pool as Pool (its class is BoundPool) and prints a fix that is code: @provides(Cache), not token(Cache)", async () => {
    const config = app(['    users: { type: FIXTURES/db-apps:Users }', '    cache: { type: FIXTURES/db-apps:NeedsCache }', ''].join('\n'));
    const result = await runCli(['check', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("root.users requires Pool 'default', but nothing provides it");
    expect(result.stderr).toContain('Add a component that @provides(Pool)');
    expect(result.stderr).not.toContain('BoundPool');
    expect(result.stderr).toContain("root.cache requires token(Cache) 'default', but nothing provides it");
    expect(result.stderr).toContain('Add a component that @provides(Cache)');
    expect(result.stderr).not.toMatch(/@provides\(token\(/);
  });
});
