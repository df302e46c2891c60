import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../lib/errors';
import { loadConfig, type LoadConfigOptions } from '../../../lib/runner/config/load-config';
import { DEFAULT_RUNNER_SETTINGS } from '../../../lib/runner/config/runner-settings';

const fixtures = join(__dirname, 'fixtures');

/** Loads from the fixtures directory with an empty environment unless one is given. */
function load(options: Partial<LoadConfigOptions> & { files: readonly string[] }) {
  return loadConfig({ cwd: fixtures, env: {}, ...options });
}

/** Runs `fn`, expects a ConfigError and returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'asphalt-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `text` to `name` in the temporary directory and returns the name (relative to it). */
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

function loadTemp(options: Partial<LoadConfigOptions> & { files: readonly string[] }) {
  return loadConfig({ cwd: dir, env: {}, ...options });
}

describe('loadConfig: files', () => {
  it('deep-merges files in order; mappings merge, lists and scalars are replaced', () => {
    const config = load({ files: ['base.yaml', 'production.yaml'] });
    expect(config.component).toEqual({
      type: './app.js:App',
      greeting: 'hi from production',
      components: {
        db: { type: './db.js:Db', host: 'db.internal', port: 5432 },
        cache: { type: './cache.js:Cache', sizes: [9] },
      },
    });
    expect(config.runner).toEqual({ ...DEFAULT_RUNNER_SETTINGS, logLevel: 'warn', startTimeout: 5000 });
    expect(config.service).toBeUndefined();
    expect(config.basedir).toBe(fixtures);
    expect(config.files).toEqual([join(fixtures, 'base.yaml'), join(fixtures, 'production.yaml')]);
  });

  it('knows the file, line and column of every value (the last file that set it)', () => {
    const config = load({ files: ['base.yaml', 'production.yaml'] });
    expect(config.sourceOf('component.greeting')).toBe('production.yaml:2:13');
    expect(config.sourceOf('component.components.db.port')).toBe('base.yaml:9:13');
    expect(config.sourceOf('component.components.db.host')).toBe('production.yaml:5:13');
    expect(config.sourceOf('component.components.cache.sizes.0')).toBe('production.yaml:6:22');
    expect(config.sourceOf('component.components.cache.sizes.1')).toBeUndefined(); // replaced list
    expect(config.sourceOf('runner.logLevel')).toBe('production.yaml:8:13');
    expect(config.sourceOf('runner.startTimeout')).toBe('base.yaml:13:17');
    expect(config.sourceOf('runner.stopTimeout')).toBeUndefined(); // default
    expect(config.sourceOf('component.nope')).toBeUndefined();
  });

  it('resolves relative module types from the directory of the file that set them', () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    file('sub/child.yaml', 'component:\n  components:\n    db: { type: ./db.js:Db }\n');
    file('main.yaml', 'component:\n  type: ./app.js:App\n');
    const config = loadTemp({ files: ['main.yaml', 'sub/child.yaml'], sets: ['component.components.x.type=./x.js:X'] });
    expect(config.typeBasedir('component.type')).toBe(dir);
    expect(config.typeBasedir('component.components.db.type')).toBe(sub);
    expect(config.typeBasedir('component.components.db')).toBe(sub);
    expect(config.typeBasedir('component.components.x')).toBe(dir);
    expect(config.typeBasedir('component.nothing')).toBe(dir);
  });

  it('treats an empty file as an empty mapping', () => {
    const config = loadTemp({ files: [file('empty.yaml', '# nothing\n'), file('c.yaml', 'component: { type: a }\n')] });
    expect(config.component).toEqual({ type: 'a' });
  });
});

describe('loadConfig: --set', () => {
  it('parses values as YAML, creates missing mappings, and \\. escapes a dot', () => {
    const config = load({
      files: ['base.yaml'],
      sets: [
        'component.greeting=bonjour',
        'component.components.db.port=6543',
        'component.components.db.host="5"',
        'component.tags=[a, b]',
        'component.nested={ x: 1, y: [true, null] }',
        'component.log\\.level=debug',
        'component.new.deep.key=1.5',
        'component.empty=',
        'component.nothing=null',
        'component.components.cache.sizes.1=20',
      ],
    });
    const { component } = config;
    expect(component.greeting).toBe('bonjour');
    expect(component.components).toMatchObject({ db: { port: 6543, host: '5' }, cache: { sizes: [1, 20, 3] } });
    expect(component.tags).toEqual(['a', 'b']);
    expect(component.nested).toEqual({ x: 1, y: [true, null] });
    expect(component['log.level']).toBe('debug');
    expect(component.new).toEqual({ deep: { key: 1.5 } });
    expect(component.empty).toBe('');
    expect(component.nothing).toBeNull();
    expect(config.sourceOf('component.greeting')).toBe('--set component.greeting=bonjour');
    expect(config.sourceOf('component.log\\.level')).toBe('--set component.log\\.level=debug');
    expect(config.sourceOf('component.nested.y.1')).toBe('--set component.nested={ x: 1, y: [true, null] }');
    expect(config.sourceOf('component.components.db.type')).toBe('base.yaml:7:13');
  });

  it('the last --set wins, and a --set replaces rather than merges', () => {
    const config = load({ files: ['base.yaml'], sets: ['component.greeting=a', 'component.greeting=b', 'component.components={ db: { type: x } }'] });
    expect(config.component.greeting).toBe('b');
    expect(config.component.components).toEqual({ db: { type: 'x' } });
    expect(config.sourceOf('component.greeting')).toBe('--set component.greeting=b');
    expect(config.sourceOf('component.components.db.port')).toBeUndefined();
  });

  it('works without files and accepts tags in values (relative to cwd)', () => {
    const config = load({ files: [], sets: ['component.type=./a.js:A', 'component.motd=!TextFile sub/motd.txt', 'component.port=!Env [PORT, 80]'], env: { PORT: '81' } });
    expect(config.component).toEqual({ type: './a.js:A', motd: 'Welcome!\nSecond line\n', port: '81' });
    expect(config.sourceOf('component.port')).toBe('!Env PORT (--set component.port=!Env [PORT, 80])');
    expect(config.basedir).toBe(fixtures);
  });
});

describe('loadConfig: tags', () => {
  it('!Env, !Env with a default, !TextFile and !BinaryFile (paths relative to the file)', () => {
    const config = load({ files: ['sub/tags.yaml'], env: { DB_PASSWORD: 's3cret' } });
    expect(config.component).toEqual({
      type: './app.js:App',
      password: 's3cret',
      port: 5432,
      name: { first: 'a', second: 'b' },
      motd: 'Welcome!\nSecond line\n',
      key: Buffer.from([0, 1, 2, 255]),
    });
    expect(Buffer.isBuffer(config.component.key)).toBe(true);
    expect(config.sourceOf('component.password')).toBe('!Env DB_PASSWORD (sub/tags.yaml:3:13)');
    expect(config.sourceOf('component.port')).toBe('sub/tags.yaml:4:24');
    expect(config.sourceOf('component.name.second')).toBe('sub/tags.yaml:5:45');
    expect(config.sourceOf('component.motd')).toBe('!TextFile ./motd.txt (sub/tags.yaml:6:9)');
    expect(config.sourceOf('component.key')).toBe('!BinaryFile ../key.bin (sub/tags.yaml:7:8)');
  });

  it('!Env with a default takes the variable when it is set (as a string)', () => {
    const config = load({ files: ['sub/tags.yaml'], env: { DB_PASSWORD: 'x', DB_PORT: '6000', APP_NAME: 'app' } });
    expect(config.component).toMatchObject({ port: '6000', name: 'app' });
    expect(config.sourceOf('component.port')).toBe('!Env DB_PORT (sub/tags.yaml:4:9)');
    expect(config.sourceOf('component.name.first')).toBeUndefined();
  });

  it('aliases and standard tags work', () => {
    const config = loadTemp({ files: [file('a.yaml', 'component:\n  type: &t app\n  copy: *t\n  port: !!str 80\n')] });
    expect(config.component).toEqual({ type: 'app', copy: 'app', port: '80' });
    expect(config.sourceOf('component.copy')).toBe('a.yaml:3:9');
  });
});

describe('loadConfig: services', () => {
  it('selects the service given in the options; its keys win over the shared ones', () => {
    const config = load({ files: ['services.yaml'], service: 'client' });
    expect(config.service).toBe('client');
    expect(config.component).toEqual({
      type: './client.js:Client',
      greeting: 'client hello',
      components: { db: { type: './db.js:Db', port: 5432 } },
    });
    expect(config.runner.logLevel).toBe('debug');
    expect(config.sourceOf('component.greeting')).toBe('services.yaml:16:17');
    expect(config.sourceOf('component.components.db.port')).toBe('services.yaml:5:35');
    expect(config.sourceOf('runner.logLevel')).toBe('services.yaml:18:17');
  });

  it('selects the service named by ASPHALT_SERVICE; the option beats it', () => {
    const byEnv = load({ files: ['services.yaml'], env: { ASPHALT_SERVICE: 'server' } });
    expect(byEnv.service).toBe('server');
    expect(byEnv.component.components).toEqual({
      db: { type: './db.js:Db', port: 5432 },
      listener: { type: './listener.js:Listener', port: 7000 },
    });
    expect(load({ files: ['services.yaml'], env: { ASPHALT_SERVICE: 'server' }, service: 'client' }).service).toBe('client');
  });

  it('selects the only service, else the one named default', () => {
    const only = loadTemp({ files: [file('one.yaml', 'services:\n  web:\n    component: { type: w }\n')] });
    expect(only.service).toBe('web');
    expect(only.component).toEqual({ type: 'w' });
    const byDefault = loadTemp({
      files: [file('two.yaml', 'component: { type: shared }\nservices:\n  other: { component: { type: o } }\n  default:\n')],
    });
    expect(byDefault.service).toBe('default');
    expect(byDefault.component).toEqual({ type: 'shared' });
  });

  it('--set services.X changes a service before it is merged; --set component wins over the service', () => {
    const config = load({
      files: ['services.yaml'],
      service: 'client',
      sets: ['services.client.component.greeting=from set', 'component.type=./other.js:Other'],
    });
    expect(config.component).toMatchObject({ greeting: 'from set', type: './other.js:Other' });
    expect(config.sourceOf('component.greeting')).toBe('--set services.client.component.greeting=from set');
  });
});

describe('loadConfig: runner settings', () => {
  it('has defaults', () => {
    expect(loadTemp({ files: [file('c.yaml', 'component: { type: a }\n')] }).runner).toEqual({
      logLevel: 'info',
      logFormat: 'auto',
      startTimeout: 10000,
      stopTimeout: 10000,
      shutdownDeadline: 15000,
      blockedLoopThreshold: 100,
    });
  });

  it('file < environment < --set', () => {
    const files = [file('c.yaml', 'component: { type: a }\nrunner: { logLevel: warn, logFormat: json, stopTimeout: 3000, startTimeout: 2000 }\n')];
    const env = { ASPHALT_LOG_LEVEL: 'debug', ASPHALT_STOP_TIMEOUT: '4000', ASPHALT_BLOCKED_LOOP_THRESHOLD: '0' };
    const config = loadTemp({ files, env, sets: ['runner.logLevel=error', 'runner={ shutdownDeadline: 1000 }'] });
    expect(config.runner).toEqual({
      logLevel: 'error',
      logFormat: 'json',
      startTimeout: 2000,
      stopTimeout: 4000,
      shutdownDeadline: 1000,
      blockedLoopThreshold: 0,
    });
    expect(config.sourceOf('runner.logLevel')).toBe('--set runner.logLevel=error');
    expect(config.sourceOf('runner.stopTimeout')).toBe('env ASPHALT_STOP_TIMEOUT');
    expect(config.sourceOf('runner.logFormat')).toBe('c.yaml:2:38');
    expect(config.sourceOf('runner.shutdownDeadline')).toBe('--set runner={ shutdownDeadline: 1000 }');
    const fileAndEnv = loadTemp({ files, env });
    expect(fileAndEnv.runner.logLevel).toBe('debug');
    expect(fileAndEnv.sourceOf('runner.logLevel')).toBe('env ASPHALT_LOG_LEVEL');
  });

  it('millisecond settings accept digit strings, so !Env works for them', () => {
    const files = [file('c.yaml', 'component: { type: a }\nrunner: { startTimeout: !Env [START, 5000], stopTimeout: !Env [STOP, 6000] }\n')];
    const config = loadTemp({ files, env: { START: '3000' } });
    expect(config.runner).toMatchObject({ startTimeout: 3000, stopTimeout: 6000 });
    expect(config.sourceOf('runner.startTimeout')).toBe('!Env START (c.yaml:2:25)');
  });
});

describe('loadConfig: errors', () => {
  it('a YAML syntax error gives file, line, column, the line and a caret', () => {
    const name = file('bad.yaml', 'component:\n  type: app\n  greeting: "unterminated\nrunner: {}\n');
    const error = configError(() => loadTemp({ files: [name] }));
    expect(error.message).toMatch(/bad\.yaml:3:13: YAML syntax error: /);
    expect(error.message).toContain('      3 |   greeting: "unterminated\n');
    expect(error.message).toContain('        |             ^');
  });

  it('a missing file says "no such file" with its path', () => {
    const error = configError(() => loadTemp({ files: ['missing.yaml'] }));
    expect(error.issues).toEqual([
      expect.objectContaining({ message: `cannot read config file missing.yaml: no such file (${join(dir, 'missing.yaml')})`, source: 'missing.yaml' }),
    ]);
  });

  it('an unset !Env variable without default is named with the tag location', () => {
    const error = configError(() => load({ files: ['sub/tags.yaml'] }));
    expect(error.issues).toEqual([
      {
        path: 'component.password',
        message: 'environment variable DB_PASSWORD is not set (give a default with !Env [DB_PASSWORD, default])',
        source: 'sub/tags.yaml:3:13',
      },
    ]);
    expect(error.message).toContain('component.password: environment variable DB_PASSWORD is not set');
  });

  it('unknown tags (including code-loading ones), missing tag files and bad tag arguments', () => {
    const name = file(
      'tags.yaml',
      [
        'component:',
        '  type: !!js/function "function () {}"',
        '  a: !Include other.yaml',
        '  b: !TextFile ./nope.txt',
        '  c: !Env [ONLY_NAME]',
        '  d: !BinaryFile',
        '  e: !!python/name:os.system',
        '',
      ].join('\n'),
    );
    const error = configError(() => loadTemp({ files: [name] }));
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'component.type', message: expect.stringMatching(/^unknown tag tag:yaml.org,2002:js\/function/), source: 'tags.yaml:2:9' }),
      expect.objectContaining({ path: 'component.a', message: expect.stringMatching(/^unknown tag !Include: the tags available are !Env, !TextFile, !BinaryFile/), source: 'tags.yaml:3:6' }),
      expect.objectContaining({ path: 'component.b', message: `!TextFile ./nope.txt: no such file (${join(dir, 'nope.txt')})`, source: 'tags.yaml:4:6' }),
      expect.objectContaining({ path: 'component.c', message: expect.stringMatching(/^!Env takes a variable name/), source: 'tags.yaml:5:6' }),
      expect.objectContaining({ path: 'component.d', message: expect.stringMatching(/^!BinaryFile needs a file path/), source: 'tags.yaml:6:6' }),
      expect.objectContaining({ path: 'component.e', message: expect.stringMatching(/^unknown tag/), source: 'tags.yaml:7:6' }),
    ]);
  });

  it('unknown top-level keys, runner settings and wrong runner types: did-you-mean, expected type, source', () => {
    const name = file('c.yaml', 'componnt: { type: a }\nrunner:\n  logLevl: info\n  startTimeout: soon\n  logFormat: jsn\n');
    const error = configError(() => loadTemp({ files: [name] }));
    expect(error.issues).toEqual([
      { path: 'componnt', message: 'unknown top-level key (did you mean "component"?); the top level may have component, runner, services (and x-* keys for anchors)', source: 'c.yaml:1:11' },
      expect.objectContaining({ path: 'component', message: expect.stringMatching(/^missing: /) }),
      { path: 'runner.logLevl', message: expect.stringMatching(/^unknown runner setting \(did you mean "logLevel"\?\)/), source: 'c.yaml:3:12' },
      { path: 'runner.startTimeout', message: 'must be a whole number of milliseconds from 1 to 2147483647, got a string', value: 'soon', source: 'c.yaml:4:17' },
      { path: 'runner.logFormat', message: 'must be one of json, pretty, auto (did you mean "json"?)', value: 'jsn', source: 'c.yaml:5:14' },
    ]);
    expect(error.message).toContain('runner.startTimeout: must be a whole number of milliseconds from 1 to 2147483647, got a string (got "soon") [c.yaml:4:17]');
  });

  it('invalid runner settings from the environment and --set name their source', () => {
    const error = configError(() =>
      loadTemp({ files: [file('c.yaml', 'component: { type: a }\n')], env: { ASPHALT_START_TIMEOUT: '10s' }, sets: ['runner.logLevel=loud', 'runner.colour=red'] }),
    );
    expect(error.issues).toEqual([
      { path: 'runner.startTimeout', message: expect.stringMatching(/^must be a whole number/), value: '10s', source: 'env ASPHALT_START_TIMEOUT' },
      { path: 'runner.logLevel', message: expect.stringMatching(/^must be one of trace, debug/), value: 'loud', source: '--set runner.logLevel=loud' },
      { path: 'runner.colour', message: expect.stringMatching(/^unknown runner setting/), source: '--set runner.colour=red' },
    ]);
  });

  it('malformed --set flags', () => {
    const error = configError(() =>
      load({ files: ['base.yaml'], sets: ['component.port', 'component..x=1', 'component.x=[1, 2', 'component.greeting.x=1', 'compnent.x=1'] }),
    );
    expect(error.issues).toEqual([
      { path: '', message: '--set needs key.path=value, got "component.port" (no "=")', source: '--set component.port' },
      expect.objectContaining({ path: 'component..x', message: expect.stringMatching(/no empty keys/), source: '--set component..x=1' }),
      expect.objectContaining({ path: 'component.x', message: expect.stringMatching(/^--set component.x=\[1, 2: YAML syntax error/) }),
      { path: 'component.greeting.x', message: 'cannot set: component.greeting is a string, not a mapping', source: '--set component.greeting.x=1' },
      expect.objectContaining({ path: 'compnent', message: expect.stringMatching(/did you mean "component"/), source: '--set compnent.x=1' }),
    ]);
  });

  it('an unknown service lists the services with did-you-mean; several without a selection says to pass -s', () => {
    const unknown = configError(() => load({ files: ['services.yaml'], service: 'clinet' }));
    expect(unknown.issues).toEqual([
      { path: 'services', message: 'service "clinet" is not defined (did you mean "client"?); the services are server, client', source: '-s clinet' },
    ]);
    const fromEnv = configError(() => load({ files: ['services.yaml'], env: { ASPHALT_SERVICE: 'x' } }));
    expect(fromEnv.issues[0]).toMatchObject({ source: 'env ASPHALT_SERVICE' });
    const none = configError(() => load({ files: ['services.yaml'] }));
    expect(none.issues).toEqual([
      expect.objectContaining({ path: 'services', message: expect.stringContaining('none is selected: pass -s NAME'), source: 'services.yaml:9:3' }),
    ]);
    const badKey = configError(() => loadTemp({ files: [file('s.yaml', 'services:\n  a: { componet: {} }\n')] }));
    expect(badKey.issues[0]).toMatchObject({ path: 'services.a.componet', message: expect.stringContaining('did you mean "component"'), source: 's.yaml:2:18' });
  });

  it('collects the problems of every file and flag into one error', () => {
    const a = file('a.yaml', 'component:\n  type: [unclosed\n');
    const b = file('b.yaml', 'component: { type: x }\nrunners: {}\n');
    const error = configError(() => loadTemp({ files: [a, b, 'gone.yaml'], sets: ['nope'] }));
    expect(error.issues.map((issue) => issue.source ?? issue.message.split(':').slice(0, 3).join(':'))).toEqual([
      'a.yaml:3:1',
      'gone.yaml',
      '--set nope',
      'b.yaml:2:10',
    ]);
    expect(error.message.startsWith('invalid configuration (4 problems):')).toBe(true);
  });

  it('refuses non-mapping roots, duplicate keys, __proto__ keys and absurd nesting', () => {
    expect(configError(() => loadTemp({ files: [file('l.yaml', '- a\n- b\n')] })).issues[0]).toMatchObject({
      message: expect.stringMatching(/^the top level of a config file must be a mapping/),
      source: 'l.yaml:1:1',
    });
    expect(configError(() => loadTemp({ files: [file('d.yaml', 'component: { type: a, 1: x, "1": y }\n')] })).issues[0]).toMatchObject({
      path: 'component.1',
    });
    const proto = configError(() => loadTemp({ files: [file('p.yaml', 'component: { type: a, __proto__: { polluted: 1 } }\n')] }));
    expect(proto.issues[0]).toMatchObject({ path: 'component.__proto__', message: 'the key __proto__ is not allowed' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const deep = configError(() => loadTemp({ files: [file('n.yaml', `component: ${'['.repeat(300)}${']'.repeat(300)}\n`)] }));
    expect(deep.issues[0]!.message).toMatch(/nested more than 200 levels deep/);
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) laughs.push(`${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(10).fill(`*${'abcdefgh'[i - 1]}`).join(', ')}]`);
    const bomb = configError(() => loadTemp({ files: [file('bomb.yaml', `component:\n  ${laughs.join('\n  ')}\n`)] }));
    expect(bomb.issues[0]!.message).toMatch(/more than 100000 values/);
  });
});
