import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../lib/errors';
import { loadConfig, type LoadConfigOptions } from '../../../lib/runner/config/load-config';
import { MAX_TAG_FILE_BYTES } from '../../../lib/runner/config/tag-files';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'asphalt-hostile-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** A file of `bytes` zero bytes that takes no disk space (sparse). */
function sparse(name: string, bytes: number): string {
  writeFileSync(join(dir, name), '');
  truncateSync(join(dir, name), bytes);
  return name;
}

function load(options: Partial<LoadConfigOptions> & { files: readonly string[] }) {
  return loadConfig({ cwd: dir, env: {}, ...options });
}

function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error) {
    return error;
  }
}

function configError(fn: () => unknown): ConfigError {
  const error = outcome(fn);
  if (error instanceof ConfigError) return error;
  throw new Error(`expected a ConfigError, got ${error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : 'no error'}`);
}

describe('!TextFile and !BinaryFile behind aliases', () => {
  it('read each file once, however many aliases and tags name it', () => {
    sparse('ten-mb.bin', 10 * 1024 * 1024);
    file('motd.txt', 'hello\n');
    const aliases = Array.from({ length: 100 }, () => '    - *blob').join('\n');
    const name = file(
      'aliases.yaml',
      `component:\n  type: x\n  blob: &blob !BinaryFile ten-mb.bin\n  text: &text !TextFile motd.txt\n  again: !TextFile ./motd.txt\n  copies:\n${aliases}\n  texts: [*text, *text, *text]\n`,
    );
    const config = load({ files: [name] });
    const component = config.component as { blob: Buffer; copies: Buffer[]; texts: string[]; again: string };
    expect(component.copies).toHaveLength(100);
    expect(component.blob).toHaveLength(10 * 1024 * 1024);
    // One read: every alias is the very Buffer read (re-reading made a new 10 MB Buffer per alias).
    expect(component.copies.every((copy) => copy === component.blob)).toBe(true);
    expect(component.texts).toEqual(['hello\n', 'hello\n', 'hello\n']);
    expect(component.again).toBe('hello\n');
  });

  it('may load at most MAX_TAG_FILE_BYTES in total: a bigger file is a ConfigError, unread', () => {
    expect(MAX_TAG_FILE_BYTES).toBe(32 * 1024 * 1024);
    sparse('fifty-mb.bin', 50 * 1024 * 1024);
    const name = file('big.yaml', `component:\n  type: x\n  a: &a !BinaryFile fifty-mb.bin\n  b: [${Array(100).fill('*a').join(', ')}]\n`);
    const error = configError(() => load({ files: [name] }));
    expect(error.code).toBe('ASPHALT_CONFIG');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: 'component.a', source: 'big.yaml:3:9' });
    expect(error.issues[0]!.message).toContain(`tags may load at most ${MAX_TAG_FILE_BYTES} bytes in total per configuration`);
  });

  it('count the bytes of every file of every config file and --set together', () => {
    sparse('twenty-a.bin', 20 * 1024 * 1024);
    sparse('twenty-b.bin', 20 * 1024 * 1024);
    const first = file('first.yaml', 'component:\n  type: x\n  a: !BinaryFile twenty-a.bin\n');
    const error = configError(() => load({ files: [first], sets: ['component.b=!BinaryFile twenty-b.bin'] }));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: 'component.b', source: '--set component.b=!BinaryFile twenty-b.bin' });
    expect(error.issues[0]!.message).toContain(`(${20 * 1024 * 1024} already loaded)`);
  });
});

/** Milliseconds `fn` takes. */
function timed(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

describe('large inputs load in linear time', () => {
  const keysFile = (name: string, n: number): string => {
    const lines = ['component:', '  type: x', '  map:'];
    for (let i = 0; i < n; i++) lines.push(`    key${i}: ${i}`);
    return file(name, `${lines.join('\n')}\n`);
  };

  it('a mapping with 90,000 keys loads, in time linear in the keys (the parser compared every pair: 70 s)', () => {
    let loaded: ReturnType<typeof load> | undefined;
    expect(Object.keys(((loaded = load({ files: [keysFile('keys.yaml', 90_000)] })).component as { map: object }).map)).toHaveLength(90_000);
    // Linear, not quadratic: 8x the keys take ~8x the time (quadratic: 64x). A ratio, not a
    // wall-clock bound, so load slows both sides; each side is its best of three runs, and the
    // bound (32x) sits halfway between the two on a log scale, so preemption on a loaded machine
    // cannot move one answer to the other.
    const small = keysFile('small.yaml', 10_000);
    const big = keysFile('big.yaml', 80_000);
    const smallMs = Math.min(...[1, 2, 3].map(() => timed(() => load({ files: [small] }))));
    const bigMs = Math.min(...[1, 2, 3].map(() => timed(() => load({ files: [big] }))));
    expect(bigMs / smallMs).toBeLessThan(32);
    expect(loaded).toBeDefined();
  });

  it('still reports a duplicate key among them, with its line', () => {
    const lines = ['component:', '  type: x', '  map:'];
    for (let i = 0; i < 20_000; i++) lines.push(`    key${i}: ${i}`);
    lines.push('    key7: again');
    const error = configError(() => load({ files: [file('dup.yaml', `${lines.join('\n')}\n`)] }));
    expect(error.issues).toEqual([expect.objectContaining({ path: 'component.map.key7', message: 'duplicate key', source: 'dup.yaml:20004:5' })]);
  });
});

describe('--set with absurd paths', () => {
  it('10,000 segments: the nesting limit of files, as a coded ConfigError (no stack overflow)', () => {
    const error = configError(() => load({ files: [], sets: [`component.${Array(10_000).fill('a').join('.')}=1`] }));
    expect(error.code).toBe('ASPHALT_CONFIG');
    expect(error.issues[0]!.message).toBe('the --set path has 10001 segments; paths are nested at most 200 levels deep');
    expect(error.message.length).toBeLessThan(1000); // the path is shortened, not printed whole
  });

  it('200,000 segments are refused as fast', () => {
    const flag = `component.${Array(200_000).fill('a').join('.')}=1`;
    let error: unknown;
    const ms = timed(() => (error = outcome(() => load({ files: [], sets: [flag] }))));
    expect(error).toBeInstanceOf(ConfigError);
    expect(ms).toBeLessThan(10_000); // ~20 ms idle; over 30 s before
  });

  it('the path and the value share the limit', () => {
    const path = `component.${Array(150).fill('a').join('.')}`;
    const error = configError(() => load({ files: [], sets: [`${path}=${'['.repeat(60)}${']'.repeat(60)}`] }));
    expect(error.issues[0]!.message).toMatch(/nested more than 200 levels deep/);
    expect(load({ files: [], sets: [`${path}=[[1]]`, 'component.type=x'] }).component.type).toBe('x');
  });
});

describe('a YAML indentation error', () => {
  it('points at the key, names its nested path, and says the expected column', () => {
    const name = file('indent.yaml', 'component:\n  type: x\n  components:\n    db:\n      port: 1\n     host: a\n');
    const error = configError(() => load({ files: [name] }));
    expect(error.issues).toHaveLength(1);
    const [issue] = error.issues;
    expect(issue!.path).toBe('component.components.db.host');
    expect(issue!.message).toContain('indent.yaml:6:6: YAML syntax error: All mapping items must start at the same column');
    expect(issue!.message).toContain("'host' is at column 6, but the keys of component.components.db start at column 7 (line 5)");
    expect(issue!.message).toContain('      6 |      host: a\n        |      ^');
    expect(error.message).not.toContain('(top level)');
  });

  it('at the second level too, with comments and blank lines in between', () => {
    const name = file('indent2.yaml', 'component:\n  type: x\n  options:\n    # the first\n    a: 1\n\n   b: 2\n');
    const issue = configError(() => load({ files: [name] })).issues[0]!;
    expect(issue.path).toBe('component.options.b');
    expect(issue.message).toContain("indent2.yaml:7:4: YAML syntax error: All mapping items must start at the same column: 'b' is at column 4, but the keys of component.options start at column 5 (line 5)");
  });
});
