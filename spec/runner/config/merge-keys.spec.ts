import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../lib/errors';
import { loadConfig } from '../../../lib/runner/config/load-config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'asphalt-merge-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Loads `text` as `config.yaml` (lines joined with newlines) with an empty environment. */
function load(lines: readonly string[], options: { service?: string; env?: Record<string, string> } = {}) {
  writeFileSync(join(dir, 'config.yaml'), `${lines.join('\n')}\n`);
  return loadConfig({ files: ['config.yaml'], cwd: dir, env: options.env ?? {}, service: options.service });
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('YAML merge keys', () => {
  it('<<: *anchor adds the anchored keys; the mapping’s own keys win wherever they are written', () => {
    const config = load([
      'component:', //                                  1
      '  type: App', //                                 2
      '  components:', //                               3
      '    primary: &db', //                            4
      '      host: db.local', //                        5
      '      port: 5432', //                            6
      '    replica:', //                                7
      '      port: 6432', //                            8
      '      <<: *db', //                               9
      '      readonly: true', //                        10
    ]);
    expect(config.component.components).toEqual({
      primary: { host: 'db.local', port: 5432 },
      replica: { host: 'db.local', port: 6432, readonly: true },
    });
    expect(config.sourceOf('component.components.replica.host')).toBe('config.yaml:5:13, merged by <<: *db at config.yaml:9:7');
    expect(config.sourceOf('component.components.replica.port')).toBe('config.yaml:8:13');
    expect(Object.keys(config.component.components as object)).not.toContain('<<');
  });

  it('<<: [*a, *b] merges several mappings, the earlier one winning, and a merged mapping’s own merges count', () => {
    const config = load([
      'x-base: &base { timeout: 1, retries: 3, level: base }',
      'x-fast: &fast { timeout: 0.1, level: fast }',
      'x-layered: &layered',
      '  <<: *base',
      '  level: layered',
      'component:',
      '  type: App',
      '  a: { <<: [*fast, *base] }',
      '  b: { <<: [*base, *fast] }',
      '  c: { <<: *layered, retries: 9 }',
      '  d: { <<: { inline: yes } }',
    ]);
    expect(config.component.a).toEqual({ timeout: 0.1, level: 'fast', retries: 3 });
    expect(config.component.b).toEqual({ timeout: 1, retries: 3, level: 'base' });
    expect(config.component.c).toEqual({ level: 'layered', timeout: 1, retries: 9 });
    expect(config.component.d).toEqual({ inline: 'yes' });
  });

  it('is shallow, as YAML specifies: an own nested mapping replaces the merged one', () => {
    const config = load([
      'x-pool: &pool { pool: { min: 1, max: 5 }, name: p }',
      'component: { type: App, db: { <<: *pool, pool: { max: 10 } } }',
    ]);
    expect(config.component.db).toEqual({ pool: { max: 10 }, name: 'p' });
  });

  it('shares settings between services through an anchor in one of them', () => {
    const lines = [
      'services:',
      '  a:',
      '    component:',
      '      type: App',
      '      components:',
      '        wamp: &wamp { host: router.local, realm: shared }',
      '  b:',
      '    component:',
      '      type: App',
      '      components:',
      '        wamp: { <<: *wamp, realm: b-only }',
    ];
    expect(load(lines, { service: 'a' }).component.components).toEqual({ wamp: { host: 'router.local', realm: 'shared' } });
    expect(load(lines, { service: 'b' }).component.components).toEqual({ wamp: { host: 'router.local', realm: 'b-only' } });
  });

  it('keeps tags in merged values, with the source of the anchor', () => {
    const error = configError(() => load(['x-db: &db { password: !Env DB_PASSWORD }', 'component: { type: App, db: { <<: *db } }']));
    // Written once, used once: one problem, at the path where it is used (x- keys hold anchors only).
    expect(error.issues).toEqual([
      {
        path: 'component.db.password',
        message: expect.stringContaining('environment variable DB_PASSWORD is not set'),
        source: 'config.yaml:1:23, merged by <<: *db at config.yaml:2:31',
      },
    ]);
    const config = load(['x-db: &db { password: !Env DB_PASSWORD }', 'component: { type: App, db: { <<: *db } }'], { env: { DB_PASSWORD: 's3cret' } });
    expect(config.component.db).toEqual({ password: 's3cret' });
    expect(config.sourceOf('component.db.password')).toBe('!Env DB_PASSWORD (config.yaml:1:23, merged by <<: *db at config.yaml:2:31)');
  });

  it('a quoted "<<" is an ordinary key', () => {
    expect(load(['component: { type: App, opts: { "<<": 1 } }']).component.opts).toEqual({ '<<': 1 });
  });

  it('refuses what cannot be merged, a second << in one mapping, and a mapping merged into itself', () => {
    const error = configError(() =>
      load([
        'x-x: &x { k: 1 }',
        'component:',
        '  type: App',
        '  a: { <<: 5 }',
        '  b: { <<: [*x, [1]] }',
        '  c: { <<: *x, <<: *x }',
      ]),
    );
    expect(error.issues).toEqual([
      { path: 'component.a.<<', message: expect.stringMatching(/^the merge key << takes a mapping: .*; got a number$/), source: 'config.yaml:4:12' },
      { path: 'component.b.<<', message: expect.stringMatching(/got a list inside the list$/), source: 'config.yaml:5:17' },
      { path: 'component.c.<<', message: expect.stringContaining('duplicate merge key <<'), source: 'config.yaml:6:16' },
    ]);
    const self = configError(() => load(['component: &c { type: App, <<: *c }']));
    expect(self.message).toMatch(/merges a mapping into itself|nested more than/);
  });
});
