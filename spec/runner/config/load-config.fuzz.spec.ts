/**
 * Fuzzes the config loader: malformed YAML documents (mutations of valid configurations) and
 * random `--set` flags must each end in a loaded configuration or a ConfigError, never another
 * exception and never a hang.
 *
 * A fixed-seed subset runs with the specs. For a long run:
 *   FUZZ_RUNS=10000 FUZZ_REPORT=1 npx jest spec/runner/config/load-config.fuzz.spec.ts
 * (FUZZ_SEED picks another seed; FUZZ_REPORT prints the outcome distribution.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadConfig, type LoadedConfig } from '../../../lib/runner/config/load-config';
import { ConfigError } from '../../../lib/errors';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1200);
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_611);
/** One call taking longer than this counts as a hang. */
const MAX_CASE_MS = 2000;

const VALID_CONFIGS = [
  `component:
  type: ./app.js:App
  greeting: hello
  components:
    db:
      type: ./db.js:Db
      host: !Env [DB_HOST, localhost]
      port: 5432
      password: !Env DB_PASSWORD
    cache: { type: ./cache.js:Cache, sizes: [1, 2, 3], motd: !TextFile motd.txt }
runner:
  logLevel: info
  startTimeout: 5000
`,
  `component:
  type: shared
  key: !BinaryFile key.bin
services:
  server:
    component:
      components:
        listener: { type: ./listener.js:Listener, port: 7000 }
  client:
    component: { type: ./client.js:Client }
    runner: { logLevel: debug, logFormat: json }
`,
  `component:
  type: "./app.js:App"
  defaults: &defaults
    retries: 3
  text: |
    multi
    line
  folded: >
    folded
    text
  list:
    - a
    - { b: 1 }
    - [c, d]
  copy: *defaults
runner:
  shutdownDeadline: 15000
  blockedLoopThreshold: 0
`,
  `services:
  default:
    component:
      type: 'quoted: value'
      nulls: [~, null, ]
      numbers: [0x1f, 0o17, 1.5e3, .inf, -.inf, .nan]
`,
];

const TAGS = ['!Env ', '!Env [X, 1] ', '!TextFile ', '!BinaryFile ', '!Foo ', '!!python/object:os.system ', '!!js/function ', '!!binary ', '!!set ', '!<tag:x> ', '!'];
const NUMBERS = ['1e999', '-1e999', '99999999999999999999999999999', '0x' + 'f'.repeat(40), '.inf', '.nan', '-0', '1_000', '0o7777777777777777777'];
const SPECIALS = ':{}[]-?!&*#|>\'"%@`,\\\t\n ';

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'tab'; at: number }
  | { kind: 'indent'; line: number; delta: number }
  | { kind: 'quote'; at: number; quote: string }
  | { kind: 'tag'; at: number; tag: string }
  | { kind: 'nest'; at: number; depth: number; flow: boolean }
  | { kind: 'number'; at: number; number: string }
  | { kind: 'duplicateLine'; line: number }
  | { kind: 'swapLines'; a: number; b: number };

const position = fc.nat({ max: 10_000 });
const specialText = fc.string({ unit: fc.constantFrom(...SPECIALS.split(''), 'a', 'b', '0', 'é', '\u0000', '\ufeff', '\r'), minLength: 1, maxLength: 8 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('insert' as const), at: position, text: fc.oneof(specialText, fc.string({ unit: 'binary', maxLength: 6 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('tab' as const), at: position }),
  fc.record({ kind: fc.constant('indent' as const), line: position, delta: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('quote' as const), at: position, quote: fc.constantFrom('"', "'", '"\\', '`') }),
  fc.record({ kind: fc.constant('tag' as const), at: position, tag: fc.constantFrom(...TAGS) }),
  fc.record({ kind: fc.constant('nest' as const), at: position, depth: fc.integer({ min: 1, max: 400 }), flow: fc.boolean() }),
  fc.record({ kind: fc.constant('number' as const), at: position, number: fc.constantFrom(...NUMBERS) }),
  fc.record({ kind: fc.constant('duplicateLine' as const), line: position }),
  fc.record({ kind: fc.constant('swapLines' as const), a: position, b: position }),
);

function mutate(text: string, m: Mutation): string {
  const at = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  const lines = text.split('\n');
  const line = (n: number) => n % lines.length;
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'insert':
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case 'delete':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case 'tab':
      return text.slice(0, at(m.at)) + '\t' + text.slice(at(m.at));
    case 'indent': {
      const i = line(m.line);
      lines[i] = m.delta >= 0 ? ' '.repeat(m.delta) + lines[i] : lines[i]!.slice(-m.delta);
      return lines.join('\n');
    }
    case 'quote':
    case 'tag':
    case 'number': {
      const insert = m.kind === 'quote' ? m.quote : m.kind === 'tag' ? m.tag : m.number;
      return text.slice(0, at(m.at)) + insert + text.slice(at(m.at));
    }
    case 'nest': {
      const [open, close] = m.flow ? ['[', ']'] : ['- ', ''];
      const nested = m.flow ? open.repeat(m.depth) + 'x' + close.repeat(m.depth) : Array.from({ length: m.depth }, (_, d) => ' '.repeat(d * 2) + open).join('\n') + 'x';
      return text.slice(0, at(m.at)) + nested + text.slice(at(m.at));
    }
    case 'duplicateLine': {
      const i = line(m.line);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'swapLines': {
      const [a, b] = [line(m.a), line(m.b)];
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
  }
}

const document = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.nat(VALID_CONFIGS.length - 1), fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }) })).map(([base, mutations]) => mutations.reduce(mutate, VALID_CONFIGS[base]!)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...SPECIALS.split(''), 'k', 'v', '1'), maxLength: 200 }) },
);

const keySegment = fc.oneof(
  fc.constantFrom('component', 'runner', 'services', 'logLevel', 'startTimeout', 'components', 'db', 'port', 'server', '0', '5', '__proto__', 'constructor', '', 'a\\.b', 'x\\', 'type'),
  fc.string({ unit: fc.constantFrom('a', 'b', '.', '\\', '=', ' ', '0'), maxLength: 5 }),
);
const setValue = fc.oneof(
  fc.constantFrom('', '1', 'null', '~', 'debug', '[1, 2', '{a: 1}', '!Env X', '!Env [X, 1]', '!TextFile motd.txt', '!TextFile nope', '!BinaryFile key.bin', '!Foo 1', '"unterminated', "'x", 'a: b: c', '- a\n- b', '1e999', '&a [*a]', '*nope', '---\n---'),
  fc.string({ unit: fc.constantFrom(...SPECIALS.split(''), 'a', '1', '!', '='), maxLength: 30 }),
);
const goodSet = fc.constantFrom(
  'component.greeting=hi',
  'component.components.db.port=6543',
  'component.a\\.b=[1, 2]',
  'runner.logLevel=debug',
  'runner={ stopTimeout: 2000 }',
  'services.server.component.x=1',
  'component.empty=',
);
const setFlag = fc.oneof(
  { weight: 8, arbitrary: goodSet },
  { weight: 6, arbitrary: fc.tuple(fc.array(keySegment, { minLength: 1, maxLength: 5 }), fc.boolean(), setValue).map(([keys, equals, value]) => `${keys.join('.')}${equals ? '=' : ''}${value}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** `arbitrary`'s value one time in `times`, else undefined. */
function oneIn<T>(times: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: times - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

const scenario = fc.record({
  documents: fc.oneof({ weight: 3, arbitrary: fc.tuple(document) }, { weight: 1, arbitrary: fc.tuple(document, document) }),
  sets: fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.array(setFlag, { minLength: 1, maxLength: 3 }) }),
  service: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('server', 'client', 'default', 'nope', '') }),
  env: fc.record({
    DB_PASSWORD: fc.oneof({ weight: 7, arbitrary: fc.constant('secret') }, { weight: 1, arbitrary: fc.constant(undefined) }),
    X: oneIn(2, fc.constant('x')),
    ASPHALT_SERVICE: oneIn(8, fc.constantFrom('server', 'nope', '')),
    ASPHALT_LOG_LEVEL: oneIn(8, fc.constantFrom('debug', 'loud', '')),
    ASPHALT_START_TIMEOUT: oneIn(8, fc.constantFrom('1000', '-1', '1e3', 'soon', '99999999999')),
  }),
});

describe('loadConfig fuzz', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'asphalt-fuzz-'));
    writeFileSync(join(dir, 'motd.txt'), 'hello\n');
    writeFileSync(join(dir, 'key.bin'), Buffer.from([1, 2, 3]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`ends every one of ${RUNS} malformed documents and --set flags in a config or a ConfigError`, () => {
    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    let slowest = 0;
    let index = 0;
    const started = performance.now();
    fc.assert(
      fc.property(scenario, ({ documents, sets, service, env }) => {
        const files = documents.map((text) => {
          const name = `case-${index++ % 4}.yaml`;
          writeFileSync(join(dir, name), text);
          return name;
        });
        const begin = performance.now();
        let result: LoadedConfig | undefined;
        let error: unknown;
        try {
          result = loadConfig({ files, sets, service, env, cwd: dir });
        } catch (thrown) {
          error = thrown;
        }
        const elapsed = performance.now() - begin;
        slowest = Math.max(slowest, elapsed);
        if (elapsed > MAX_CASE_MS) throw new Error(`took ${Math.round(elapsed)} ms`);
        if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('prototype polluted');
        if (result !== undefined) {
          if (typeof result.component !== 'object' || typeof result.runner.logLevel !== 'string') throw new Error('bad result');
          count('loaded');
          return;
        }
        if (!(error instanceof ConfigError)) throw error;
        if (error.issues.length === 0 || typeof error.message !== 'string') throw new Error('empty ConfigError');
        count('ConfigError');
        count(`  first issue: ${classify(error.issues[0]!.message)}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    const total = performance.now() - started;
    if (process.env.FUZZ_REPORT) {
      const lines = [...outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${key}: ${n}`);
      process.stdout.write(
        `fuzz: ${RUNS} cases, seed ${SEED}, ${Math.round(total)} ms (slowest case ${Math.round(slowest)} ms)\n${lines.join('\n')}\n`,
      );
    }
    expect(outcomes.get('loaded') ?? 0).toBeGreaterThan(0);
    expect(outcomes.get('ConfigError') ?? 0).toBeGreaterThan(0);
  });
});

function classify(message: string): string {
  const rules: [RegExp, string][] = [
    [/YAML syntax error/, 'YAML syntax error'],
    [/^--set needs/, 'malformed --set'],
    [/unknown tag|cannot have the tag/, 'unknown tag'],
    [/environment variable .* is not set/, 'unset !Env'],
    [/^!(Env|TextFile|BinaryFile)/, 'bad tag argument / file'],
    [/unknown top-level key/, 'unknown top-level key'],
    [/unknown runner setting/, 'unknown runner setting'],
    [/^must be /, 'wrong type'],
    [/service/, 'service selection'],
    [/^missing: /, 'missing component'],
    [/nested more than|more than \d+ values/, 'too deep / too many values'],
    [/key/, 'bad key'],
    [/cannot set/, '--set through a non-mapping'],
  ];
  return rules.find(([pattern]) => pattern.test(message))?.[1] ?? `other: ${message.slice(0, 60)}`;
}
