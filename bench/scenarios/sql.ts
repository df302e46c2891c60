import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Pool } from 'pg';
import type { Database } from 'better-sqlite3';
import { bootstrap, silentLogger, type Context } from '../../lib';
import { SqlComponent, SqlSession } from '../../lib/sql';
import type { Result, Row, Scenario } from '../harness';
import { formatRatio } from '../harness';
import { median, printTable, rateTarget, rowFromMs } from '../dag';
import { startPostgres } from '../support/postgres-cluster';

// One `select 1` through a context's session against the bare driver, PostgreSQL and SQLite. Each
// subject runs in its own child process (its own event loop and JIT), the parent interleaves the
// rounds and asks each for a batch in turn.
// - no transaction: context + session (autocommit) + query + close vs `pool.query`;
// - transaction: context + session + BEGIN/select/COMMIT vs connect + BEGIN/select/COMMIT + release;
// - 32 concurrent contexts on a pool of 10 (transactions), throughput;
// - the same on SQLite (`sqlite::memory:`) vs better-sqlite3 prepared statements.

const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
const SUBJECT_ENV = 'ASPHALT_BENCH_SQL_SUBJECT';
const ROUNDS = 12;
const CONCURRENCY = 32;
type Op = () => Promise<unknown>;

/** In a child: builds the subject's operations, then runs `case n` batches read from stdin. */
async function child(spec: { kind: string; url: string }): Promise<void> {
  const ops = new Map<string, Op>();
  let close: () => Promise<void>;
  if (spec.kind === 'bare-pg') {
    const pg = (await import('pg')).default;
    const pool: Pool = new pg.Pool({ connectionString: spec.url, max: 10 });
    ops.set('no-tx', () => pool.query('select 1'));
    ops.set('tx', async () => {
      const client = await pool.connect();
      await client.query('BEGIN');
      await client.query('select 1');
      await client.query('COMMIT');
      client.release();
    });
    close = () => pool.end();
  } else if (spec.kind === 'bare-sqlite') {
    const BetterSqlite = (await import('better-sqlite3')).default;
    const db: Database = new BetterSqlite(':memory:');
    const select = db.prepare('select 1');
    const begin = db.prepare('BEGIN');
    const commit = db.prepare('COMMIT');
    ops.set('no-tx', async () => select.all());
    ops.set('tx', async () => {
      begin.run();
      select.all();
      commit.run();
    });
    close = async () => void db.close();
  } else {
    const auto = await bootstrap(SqlComponent, { url: spec.url, poolSize: 10, autocommit: true }, { logger: silentLogger });
    const tx = await bootstrap(SqlComponent, { url: spec.url, poolSize: 10 }, { logger: silentLogger });
    const viaSession = (root: Context): Op => async () => {
      const ctx = root.child();
      const session = await ctx.getResource(SqlSession);
      await session.query('select 1');
      await ctx.close();
    };
    ops.set('no-tx', viaSession(auto.context));
    ops.set('tx', viaSession(tx.context));
    close = async () => {
      await auto.stop();
      await tx.stop();
    };
  }
  ops.set('concurrent', ops.get('tx')!);
  for (const op of ops.values()) for (let i = 0; i < 300; i++) await op();
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const [name, count] = line.split(' ');
    const op = ops.get(name!)!;
    const n = Number(count);
    const began = process.hrtime.bigint();
    if (name === 'concurrent') {
      let next = 0;
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < n) await op();
      }));
    } else for (let i = 0; i < n; i++) await op();
    process.stdout.write(`${Number(process.hrtime.bigint() - began) / 1e6}\n`);
  }
  await close();
}

interface Subject {
  readonly name: string;
  readonly proc: ChildProcess;
  readonly replies: AsyncIterator<string>;
}

async function startSubject(name: string, kind: string, url: string): Promise<Subject> {
  const proc = spawn(process.execPath, [__filename], { env: { ...process.env, [SUBJECT_ENV]: JSON.stringify({ kind, url }) }, stdio: ['pipe', 'pipe', 'inherit'] });
  const replies = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const first = await replies.next();
  if (first.value !== 'ready') throw new Error(`bench subject ${name} did not start`);
  return { name, proc, replies };
}

async function batch(subject: Subject, name: string, n: number): Promise<number> {
  subject.proc.stdin!.write(`${name} ${n}\n`);
  return Number((await subject.replies.next()).value);
}

async function compareSubjects(title: string, bare: Subject, ours: Subject, name: string, n: number): Promise<{ bare: number[]; ours: number[] }> {
  const times = { bare: [] as number[], ours: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ([['bare', bare], ['ours', ours]] as const) : ([['ours', ours], ['bare', bare]] as const);
    for (const [which, subject] of order) times[which].push((await batch(subject, name, n)) / n);
  }
  void title;
  return times;
}

async function run(): Promise<Result[]> {
  const server = await startPostgres();
  const subjects: Subject[] = [];
  try {
    const url = await server.createDatabase('bench');
    const bare = await startSubject('bare pg', 'bare-pg', url);
    const ours = await startSubject('asphalt pg', 'asphalt', url);
    const bareLite = await startSubject('bare better-sqlite3', 'bare-sqlite', '');
    const oursLite = await startSubject('asphalt sqlite', 'asphalt', 'sqlite::memory:');
    subjects.push(bare, ours, bareLite, oursLite);
    const results: Result[] = [];
    const table: string[][] = [];
    const medians = new Map<string, number>();
    const section = async (title: string, b: Subject, o: Subject, name: string, n: number, target: number, bareName: string, oursName: string): Promise<void> => {
      const t = await compareSubjects(title, b, o, name, n);
      const rows: Row[] = [rowFromMs(bareName, 'driver', t.bare), rowFromMs(oursName, 'asphalt', t.ours)];
      const bareMs = median(t.bare);
      const oursMs = median(t.ours);
      medians.set(`${name} ${o.name}`, oursMs);
      medians.set(`${name} ${b.name}`, bareMs);
      table.push([title, bareName, us(bareMs), oursName, us(oursMs), `${((oursMs - bareMs) * 1000).toFixed(1)} µs`, formatRatio(oursMs / bareMs)]);
      results.push({ title, rows, targets: [rateTarget(`${title}: asphalt within ${Math.round((target - 1) * 100)}% of the bare driver`, rows, oursName, bareName, 1 / target)] });
    };
    await section('pg, one select, no transaction', bare, ours, 'no-tx', 400, 1.1, 'pool.query', 'context + session (autocommit)');
    await section('pg, one select in a transaction', bare, ours, 'tx', 300, 1.1, 'connect+BEGIN+select+COMMIT+release', 'context + session');
    await section(`pg, ${CONCURRENCY} concurrent contexts, pool of 10`, bare, ours, 'concurrent', 600, 1.1, 'bare transactions', 'sessions');
    await section('sqlite, one select, no transaction', bareLite, oursLite, 'no-tx', 5_000, 3, 'prepared .all()', 'context + session (autocommit)');
    await section('sqlite, one select in a transaction', bareLite, oursLite, 'tx', 3_000, 3, 'BEGIN+select+COMMIT', 'context + session');
    console.log('\n## SQL: a context\'s session vs the bare driver (median per operation; concurrent: wall time / operations)');
    printTable(['case', 'bare', 'bare per op', 'asphalt', 'asphalt per op', 'overhead', 'ratio'], table);
    const extra = (subject: Subject): string => ((medians.get(`tx ${subject.name}`)! - medians.get(`no-tx ${subject.name}`)!) * 1000).toFixed(1);
    console.log(`  a transaction adds ${extra(ours)} µs through the session, ${extra(bare)} µs on the bare pool (BEGIN and COMMIT: two round trips)`);
    return results;
  } finally {
    for (const subject of subjects) subject.proc.stdin!.end();
    await Promise.all(subjects.map((s) => new Promise((resolve) => (s.proc.exitCode !== null ? resolve(null) : s.proc.once('exit', resolve)))));
    await server.stop();
  }
}

export const sqlScenario: Scenario = {
  name: 'sql',
  description: "SQL: a context's session vs bare pg and better-sqlite3 (no transaction, transaction, 32 concurrent contexts on 10 connections)",
  run,
};

if (require.main === module && process.env[SUBJECT_ENV]) {
  child(JSON.parse(process.env[SUBJECT_ENV]!) as { kind: string; url: string }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
