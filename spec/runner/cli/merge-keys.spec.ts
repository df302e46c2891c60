import { runCli, writeConfigs } from './run-cli';

// Each test runs real CLI processes, several in a row, and must pass on a loaded machine.
jest.setTimeout(90_000);

describe('asphalt run with YAML merge keys', () => {
  it('gives two services the settings of one anchor (-s a and -s b), each keeping its own keys', async () => {
    const files = writeConfigs({
      'config.yaml': [
        'services:',
        '  a:',
        '    component: &app',
        '      type: FIXTURES/apps:ExitWith',
        '      message: shared by a and b',
        '      code: 3',
        '  b:',
        '    component:',
        '      <<: *app',
        '      code: 0',
      ].join('\n'),
    });
    const a = await runCli(['run', files['config.yaml']!, '-s', 'a']);
    expect(a).toMatchObject({ code: 3, stdout: 'shared by a and b\n' });
    const b = await runCli(['run', files['config.yaml']!, '-s', 'b']);
    expect(b).toMatchObject({ code: 0, stdout: 'shared by a and b\n' });
    expect(b.stderr).not.toContain('<<');
  });

  it('reports a bad merged value once, at the line of the anchor where it is written, through the merge', async () => {
    const files = writeConfigs({
      'config.yaml': [
        'x-server: &server', //                 1
        '  type: FIXTURES/apps:Server', //      2
        '  startDelay: soon', //                3
        'services:', //                         4
        '  a:', //                              5
        '    component:', //                    6
        '      <<: *server', //                 7
        '      stopDelay: 1', //                8
        '  b:', //                              9
        '    component: { <<: *server }', //    10
      ].join('\n'),
    });
    for (const service of ['a', 'b']) {
      const result = await runCli(['run', files['config.yaml']!, '-s', service]);
      expect(result.code).toBe(1);
      expect(result.stdout).not.toContain('starting');
      const merge = service === 'a' ? 'config.yaml:7:7' : 'config.yaml:10:18';
      expect(result.stderr).toMatch(
        new RegExp(`invalid configuration: component\\.startDelay: .*integer.*\\[\\S*config\\.yaml:3:15, merged by <<: \\*server at \\S*${merge}\\]`),
      );
      expect(result.stderr.split('component.startDelay').length - 1).toBe(1);
      expect(result.stderr).not.toMatch(/unknown option/);
    }
  });
});
