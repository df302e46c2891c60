import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from '../lib';
import { AsphaltError, TeardownError } from '../lib';

/** The module of each public entry point: the core and every subpath of package.json `exports`. */
function entryModules(): Record<string, unknown>[] {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const subpaths = Object.keys(pkg.exports).filter((k) => /^\.\/[a-z-]+$/.test(k) && k !== './package.json');
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
