import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as api from '../lib';
import { AsphaltError, TeardownError } from '../lib';

/** The module of each public entry point: the core and every subpath of package.json `exports`. */
function entryModules(): Record<string, unknown>[] {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  // String targets are files, not module entries: ./package.json and ./jest-preset.
  const subpaths = Object.keys(pkg.exports).filter((k) => /^\.\/[a-z-]+$/.test(k) && typeof pkg.exports[k] === 'object');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return [api, ...subpaths.map((k) => require(join(__dirname, '..', 'lib', k.slice(2), 'index.ts')) as Record<string, unknown>)];
}

const entries = entryModules();

/** Every exported error class, of every entry point, with its code. */
function exportedErrors(): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of entries.flatMap((m) => Object.entries(m))) {
    if (typeof value !== 'function') continue;
    const isError = value === AsphaltError || value.prototype instanceof AsphaltError || value === TeardownError;
    if (isError) found.set(name, (value as unknown as { code: string }).code);
  }
  return found;
}

describe('the error catalogue', () => {
  it('lists every exported error class with its code in the README, and nothing else', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `(ASPHALT_[A-Z_]+)` \| `(\w+)` \|/gm)].map(([, code, cls]) => [cls!, code!] as const);
    expect(new Map(rows)).toEqual(exportedErrors());
    expect(rows.map(([, code]) => code).filter((code, i, all) => all.indexOf(code) !== i)).toEqual([]); // each row once
  });

  it('gives every error class its own stable code', () => {
    const codes = [...exportedErrors().values()];
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^ASPHALT_[A-Z_]+$/);
  });

  it('makes instanceof AsphaltError true for TeardownError, which is an AggregateError', () => {
    const error = new TeardownError([new Error('a')], 'one failed');
    expect(error).toBeInstanceOf(AggregateError);
    expect(error).toBeInstanceOf(AsphaltError);
    expect(new Error('x')).not.toBeInstanceOf(AsphaltError);
    expect(new api.ResourceConflictError('x')).not.toBeInstanceOf(api.ResourceNotFoundError);
  });
});

describe('argument errors', () => {
  it('are InvalidArgumentErrors with a stable code that say what the call expects', async () => {
    const expectInvalid = (error: unknown, message: RegExp): void => {
      expect(error).toBeInstanceOf(api.InvalidArgumentError);
      expect((error as api.AsphaltError).code).toBe('ASPHALT_INVALID_ARGUMENT');
      expect((error as Error).message).toMatch(message);
    };
    const caught = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      throw new Error('expected a throw');
    };
    expectInvalid(caught(() => api.token('has space')), /token id must be .*token<Pool>\('Db'\)/);
    const signal = new api.Signal<number>();
    expectInvalid(caught(() => signal.connect(42 as never)), /connect\(\) needs a function, got number/);
    expectInvalid(caught(() => signal.stream({ maxQueue: -1 })), /maxQueue must be a positive integer, got -1/);
    expectInvalid(await signal.waitFor(undefined, { timeout: -5 }).catch((error: unknown) => error), /timeout must be a finite number of ms >= 0, got -5/);
    const { graph } = api.resolveGraph(class Root extends api.Component {});
    expectInvalid(caught(() => graph.node('root.nope')), /No component at path 'root\.nope'/);
  });
});

/**
 * Every `throw new X(` in lib/, found by a code search, throws a coded error class exported from an
 * entry point, or one of the internal ones below, each caught where it is thrown and turned into a
 * coded error (or, for the test kit's assertions, a test failure).
 */
const INTERNAL_THROWS: Record<string, string> = {
  'graph/build-tree.ts Error': 'caught at once and reported as a ComponentTypeError naming the name function',
  'redis/redis-component.ts Error': "a health check's failure: its message becomes the check's 'down' detail",
  'queue/queue-component.ts Error': "a health check's failure: its message becomes the check's 'down' detail",
  'queue/queue-worker-component.ts Error': "a health check's failure: its message becomes the check's 'down' detail",
  'runner/config/tag-files.ts TagFileLimit': 'caught by the YAML tag and reported as a ConfigError with the source',
  'bridge/codec.ts Unserializable': 'caught by the encoder and reported as a BridgePayloadError with the path',
  'bridge/codec.ts Error': 'caught by the decoder and answered as a RemoteRejectedError',
  'serialization/custom-type-registry.ts TypeError': 'caught by the reader and reported as a DeserializationError (custom-decode)',
  'testing/graph-assertions.ts Error': 'a failed test assertion (expectStartOrder), as a test framework reports it',
  'testing/start-test-app.ts AggregateError': 'several test applications failed to stop; each failure inside is a coded error',
};

describe('thrown sites', () => {
  it('throw only coded errors from lib/, except the internal ones listed with the reason', () => {
    const root = join(__dirname, '..', 'lib');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts')) files.push(path);
      }
    };
    walk(root);
    const coded = new Set(exportedErrors().keys());
    const unexpected: string[] = [];
    const usedInternal = new Set<string>();
    for (const file of files) {
      const rel = file.slice(root.length + 1);
      for (const [, cls] of readFileSync(file, 'utf8').matchAll(/throw new ([A-Za-z]+)\(/g)) {
        if (coded.has(cls!)) continue;
        const site = `${rel} ${cls}`;
        if (INTERNAL_THROWS[site] !== undefined) usedInternal.add(site);
        else unexpected.push(site);
      }
    }
    expect(unexpected).toEqual([]);
    expect([...usedInternal].sort()).toEqual(Object.keys(INTERNAL_THROWS).sort());
  });
});
