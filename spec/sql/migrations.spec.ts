import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqlMigrationError } from 'asphalt-ts/sql';
import { startSql, stopAll, useTempDir } from './fixtures';
import { usePostgres } from './postgres-server';

const pg = usePostgres('migrations');
const temp = useTempDir();
afterEach(stopAll);
const repo = join(__dirname, '..', '..');

function folder(name: string, files: Record<string, string>): string {
  const dir = join(temp(), name);
  mkdirSync(dir, { recursive: true });
  for (const [file, sql] of Object.entries(files)) writeFileSync(join(dir, file), sql);
  return dir;
}

/** One process that starts a `SqlComponent` with `migrateOnStart`, prints what it applied, and stops. */
function instance(url: string, migrations: string): Promise<{ code: number | null; out: string }> {
  const script = `
    require('reflect-metadata');
    const { bootstrap } = require(${JSON.stringify(join(repo, 'dist/lib/index.js'))});
    const { SqlComponent } = require(${JSON.stringify(join(repo, 'dist/lib/sql/index.js'))});
    const lines = [];
    const logger = { debug() {}, warn() {}, error: (o, m) => console.error(m), info: (o, m) => { if (o && o.applied) lines.push(o.applied.join(',')); } };
    bootstrap(SqlComponent, { url: process.env.URL, migrations: process.env.MIGRATIONS, migrateOnStart: true, startTimeout: 20000 }, { logger })
      .then((app) => app.stop()).then(() => console.log('applied:' + (lines[0] || 'none')), (e) => { console.error(e); process.exit(1); });`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, URL: url, MIGRATIONS: migrations }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

it('migrates once when three processes start together on PostgreSQL (advisory lock)', async () => {
  const dir = folder('concurrent', {
    '001_runs.sql': 'CREATE TABLE runs (pid INTEGER NOT NULL);\nSELECT pg_sleep(0.3);',
    '002_once.sql': 'INSERT INTO runs (pid) VALUES (pg_backend_pid());',
  });
  const results = await Promise.all([1, 2, 3].map(() => instance(pg().databaseUrl, dir)));
  for (const result of results) expect(result).toMatchObject({ code: 0 });
  const applied = results.map((r) => /applied:(\S+)/.exec(r.out)?.[1]).sort();
  expect(applied).toEqual(['001_runs.sql,002_once.sql', 'none', 'none']);
  const { db } = await startSql({ url: pg().databaseUrl });
  expect((await db.query('SELECT count(*)::int AS n FROM runs')).rows).toEqual([{ n: 1 }]);
  expect((await db.query('SELECT name FROM asphalt_migrations ORDER BY name')).rows).toEqual([{ name: '001_runs.sql' }, { name: '002_once.sql' }]);
}, 60_000);

it('applies SQLite migrations in name order, records them, and applies only new ones next time', async () => {
  const dir = folder('ordered', {
    '10_third.sql': "INSERT INTO log VALUES ('10');",
    '2_second.sql': "INSERT INTO log VALUES ('2');",
    '1_first.sql': 'CREATE TABLE log (step TEXT);',
  });
  const url = `sqlite:${join(temp(), 'ordered.sqlite')}`;
  const { db } = await startSql({ url, migrations: dir, migrateOnStart: true });
  expect((await db.query('SELECT step FROM log')).rows).toEqual([{ step: '2' }, { step: '10' }]);
  writeFileSync(join(dir, '11_fourth.sql'), "INSERT INTO log VALUES ('11');");
  expect(await db.migrate()).toEqual(['11_fourth.sql']);
  expect(await db.migrate()).toEqual([]);
});

it('rolls a failing migration back, keeps those before it, and refuses an applied file that changed', async () => {
  const dir = folder('failing', {
    '1_ok.sql': 'CREATE TABLE a (x INTEGER);',
    '2_bad.sql': 'CREATE TABLE b (x INTEGER);\nINSERT INTO nowhere VALUES (1);',
  });
  const { db } = await startSql({ url: 'sqlite::memory:', migrations: dir });
  const error = await db.migrate().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SqlMigrationError);
  expect((error as SqlMigrationError).migration).toBe('2_bad.sql');
  expect((await db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b')")).rows).toEqual([{ name: 'a' }]);
  writeFileSync(join(dir, '1_ok.sql'), 'CREATE TABLE a (x INTEGER, y INTEGER);');
  await expect(db.migrate()).rejects.toThrow(/1_ok\.sql was applied with checksum/);
});
