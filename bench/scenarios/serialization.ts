import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Result, Row, Scenario } from '../harness';
import { formatRatio } from '../harness';
import { median, printTable, rowFromMs } from '../dag';
import { createSerializer } from '../../lib/serialization';
import { TemplateRenderer } from '../../lib/templating';

// The serializer and the template renderer against their bare libraries. Each subject runs in its
// own child process (its own JIT); the parent interleaves the rounds. No target: the issue sets
// none for these batteries, the figures say what the checks on untrusted input cost.
// - a round trip (serialize + deserialize) of a corpus of 20 records, per backend;
// - one render of a cached template (a loop over 20 items, escaped output).

const SUBJECT_ENV = 'ASPHALT_BENCH_SERIALIZATION_SUBJECT';
const ROUNDS = 10;
const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;

const corpus = Array.from({ length: 20 }, (_, i) => ({
  id: i,
  name: `user ${i}`,
  email: `user${i}@example.com`,
  active: i % 2 === 0,
  score: i * 1.5,
  tags: ['a', 'b', `t${i}`],
  address: { street: `${i} Main St`, city: 'Springfield', zip: `0${i}000` },
}));

const TEMPLATE = '<ul>{% for u in users %}<li>{{ u.name }} &lt;{{ u.email }}&gt;{% if u.active %} (active){% endif %}</li>{% endfor %}</ul>';

async function child(kind: string): Promise<void> {
  let op: () => unknown;
  const [who, what] = kind.split('-') as ['bare' | 'ours', string];
  if (what === 'liquid') {
    const folder = mkdtempSync(join(tmpdir(), 'asphalt-bench-templates-'));
    writeFileSync(join(folder, 'list.liquid'), TEMPLATE);
    if (who === 'bare') {
      const { Liquid } = await import('liquidjs');
      const liquid = new Liquid({ root: [folder], cache: true, outputEscape: 'escape', ownPropertyOnly: true });
      op = () => liquid.renderFile('list.liquid', { users: corpus });
    } else {
      const renderer = new TemplateRenderer({ folder });
      op = () => renderer.render('list', { users: corpus });
    }
  } else if (who === 'bare') {
    if (what === 'json') {
      const decoder = new TextDecoder();
      op = () => JSON.parse(decoder.decode(Buffer.from(JSON.stringify(corpus))));
    } else if (what === 'cbor') {
      const cbor = await import('cbor2');
      op = () => cbor.decode(cbor.encode(corpus));
    } else {
      const { Packr, Unpackr } = await import('msgpackr');
      const packr = new Packr({ useRecords: false });
      const unpackr = new Unpackr({ useRecords: false });
      op = () => unpackr.unpack(packr.pack(corpus));
    }
  } else {
    const serializer = createSerializer(what as 'json' | 'cbor' | 'msgpack');
    op = () => serializer.deserialize(serializer.serialize(corpus));
  }
  // cbor2 takes milliseconds per encode on Node 20 (see BENCHMARKS.md): a shorter warm-up keeps the run short.
  for (let i = 0, warmup = what === 'cbor' ? 50 : 2_000; i < warmup; i++) await op();
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const n = Number(line);
    const began = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await op();
    process.stdout.write(`${Number(process.hrtime.bigint() - began) / 1e6}\n`);
  }
}

interface Subject {
  readonly proc: ChildProcess;
  readonly replies: AsyncIterator<string>;
}

async function startSubject(kind: string): Promise<Subject> {
  const proc = spawn(process.execPath, [__filename], { env: { ...process.env, [SUBJECT_ENV]: kind }, stdio: ['pipe', 'pipe', 'inherit'] });
  const replies = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  if ((await replies.next()).value !== 'ready') throw new Error(`bench subject ${kind} did not start`);
  return { proc, replies };
}

async function batch(subject: Subject, n: number): Promise<number> {
  subject.proc.stdin!.write(`${n}\n`);
  return Number((await subject.replies.next()).value) / n;
}

async function run(): Promise<Result[]> {
  const cases: [title: string, what: string, n: number, bare: string, ours: string][] = [
    ['json round trip, 20 records', 'json', 1_000, 'JSON.stringify + JSON.parse', 'JsonSerializer'],
    ['cbor round trip, 20 records', 'cbor', 20, 'cbor2 encode + decode', 'CborSerializer'],
    ['msgpack round trip, 20 records', 'msgpack', 1_000, 'msgpackr pack + unpack', 'MsgpackSerializer'],
    ['render a cached template, 20 items', 'liquid', 300, 'liquid.renderFile', 'TemplateRenderer.render'],
  ];
  const subjects: Subject[] = [];
  const results: Result[] = [];
  const table: string[][] = [];
  try {
    for (const [title, what, n, bareName, oursName] of cases) {
      const bare = await startSubject(`bare-${what}`);
      const ours = await startSubject(`ours-${what}`);
      subjects.push(bare, ours);
      const times = { bare: [] as number[], ours: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        if (round % 2 === 0) {
          times.bare.push(await batch(bare, n));
          times.ours.push(await batch(ours, n));
        } else {
          times.ours.push(await batch(ours, n));
          times.bare.push(await batch(bare, n));
        }
      }
      const rows: Row[] = [rowFromMs(bareName, 'library', times.bare), rowFromMs(oursName, 'asphalt', times.ours)];
      const [b, o] = [median(times.bare), median(times.ours)];
      table.push([title, bareName, us(b), oursName, us(o), formatRatio(o / b)]);
      results.push({ title, rows, targets: [] });
    }
    console.log('\n## Serialization and templating: the battery vs the bare library (median per operation; no target)');
    printTable(['case', 'bare', 'bare per op', 'asphalt', 'asphalt per op', 'ratio (asphalt / bare)'], table);
    return results;
  } finally {
    for (const subject of subjects) subject.proc.stdin!.end();
    await Promise.all(subjects.map((s) => new Promise((resolve) => (s.proc.exitCode !== null ? resolve(null) : s.proc.once('exit', resolve)))));
  }
}

export const serializationScenario: Scenario = {
  name: 'serialization',
  description: 'Serializer (json, cbor, msgpack) and TemplateRenderer vs the bare libraries (round trip of 20 records; a cached render)',
  run,
};

if (require.main === module && process.env[SUBJECT_ENV]) {
  child(process.env[SUBJECT_ENV]!).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
