import { join } from 'node:path';
import { afterCommit, type Context, TeardownError } from 'asphalt-ts';
import { SqlCommitError, SqlDatabase, SqlSession, SqlSessionError } from 'asphalt-ts/sql';
import { recordingLogger, startSql, stopAll, useTempDir } from './fixtures';
import { usePostgres } from './postgres-server';

const pg = usePostgres('sessions');
const temp = useTempDir();
afterEach(stopAll);

let files = 0;
const dialects: [string, () => string][] = [
  ['SQLite', () => `sqlite:${join(temp(), `db${++files}.sqlite`)}`],
  ['PostgreSQL', () => pg().databaseUrl],
];

async function count(db: SqlDatabase, table = 'notes'): Promise<number> {
  const { rows } = await db.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

/** The error a context's close rejected with, unwrapped from its TeardownError. */
async function closeFailure(ctx: Context, error?: unknown): Promise<unknown> {
  try {
    await ctx.close(error);
  } catch (failure) {
    return failure instanceof TeardownError ? failure.errors[0] : failure;
  }
  throw new Error('the close did not fail');
}

describe.each(dialects)('a session on %s', (_name, url) => {
  let db: SqlDatabase;
  let root: Context;
  let stopApp: (error?: unknown) => Promise<void>;
  let dbUrl = '';
  const logger = recordingLogger();

  beforeEach(async () => {
    dbUrl = url();
    const started = await startSql({ url: dbUrl, drainTimeout: 200 }, logger);
    db = started.db;
    root = started.app.context;
    stopApp = (error) => started.app.stop(error);
    await db.query('DROP TABLE IF EXISTS tags');
    await db.query('DROP TABLE IF EXISTS notes');
    await db.query('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  });

  it('checks out a connection and begins only at the first statement, and commits when the context closes cleanly', async () => {
    const ctx = root.child();
    const session = await ctx.getResource(SqlSession);
    expect(db.stats().sessions).toBe(0);
    expect(session.inTransaction).toBe(false);
    await session.sql`INSERT INTO notes (id, body) VALUES (${1}, ${'one'})`;
    expect(session.inTransaction).toBe(true);
    expect(db.stats().sessions).toBe(1);
    const order: string[] = [];
    // Outside the transaction the row is not there yet (SQLite: the query waits for the one connection).
    const outside = db.query<{ n: number }>('SELECT count(*) AS n FROM notes').then(({ rows }) => order.push(`outside saw ${Number(rows[0]!.n)}`));
    if (session.dialect === 'sqlite') await new Promise((resolve) => setTimeout(resolve, 20));
    else await outside;
    order.push('close');
    await ctx.close();
    await outside;
    expect(order).toEqual(session.dialect === 'sqlite' ? ['close', 'outside saw 1'] : ['outside saw 0', 'close']);
    expect(await count(db)).toBe(1);
    expect(db.stats().sessions).toBe(0);
  });

  it('rolls back when the context closes with an error, and gives the connection back', async () => {
    const ctx = root.child();
    const session = await ctx.getResource(SqlSession);
    await session.sql`INSERT INTO notes (id, body) VALUES (${1}, ${'one'})`;
    await ctx.close(new Error('the handler failed'));
    expect(await count(db)).toBe(0);
    expect(db.stats()).toMatchObject({ sessions: 0, waiting: 0 });
  });

  it('rolls back a transaction still open when the application stops with an error', async () => {
    const ctx = root.child();
    const session = await ctx.getResource(SqlSession);
    await session.sql`INSERT INTO notes (id, body) VALUES (${1}, ${'one'})`;
    await stopApp(new Error('forced stop'));
    await expect(session.query('SELECT 1')).rejects.toBeInstanceOf(SqlSessionError);
    const again = await startSql({ url: dbUrl });
    expect(await count(again.db)).toBe(0);
  });

  it('surfaces a failed COMMIT (a deferred constraint) as the error of the context\'s teardown', async () => {
    await db.query('DROP TABLE IF EXISTS tags');
    await db.query('CREATE TABLE tags (note_id INTEGER REFERENCES notes (id) DEFERRABLE INITIALLY DEFERRED)');
    const ctx = root.child();
    const session = await ctx.getResource(SqlSession);
    await session.sql`INSERT INTO tags (note_id) VALUES (${42})`;
    const deferred = jest.fn();
    afterCommit(ctx, deferred);
    const failure = await closeFailure(ctx);
    expect(failure).toBeInstanceOf(SqlCommitError);
    expect(await count(db, 'tags')).toBe(0);
    expect(db.stats().sessions).toBe(0);
    expect(deferred).not.toHaveBeenCalled();
    // The connection went back usable: the next session commits.
    const next = root.child();
    await (await next.getResource(SqlSession)).sql`INSERT INTO notes (id, body) VALUES (${1}, ${'one'})`;
    await next.close();
    expect(await count(db)).toBe(1);
  });

  it('runs afterCommit work once after the commit, and never after a rollback', async () => {
    const events: string[] = [];
    const ok = root.child();
    const session = await ok.getResource(SqlSession);
    await session.sql`INSERT INTO notes (id, body) VALUES (${1}, ${'one'})`;
    let mailed!: () => void;
    const mailSent = new Promise<void>((resolve) => (mailed = resolve));
    expect(afterCommit(ok, async () => {
      events.push(`mail after commit, ${await count(db)} row(s) visible`);
      mailed();
    })).toBe(true);
    events.push('closing');
    await ok.close();
    await new Promise((resolve) => setImmediate(resolve));
    const failed = root.child();
    await (await failed.getResource(SqlSession)).sql`INSERT INTO notes (id, body) VALUES (${2}, ${'two'})`;
    afterCommit(failed, () => events.push('never'));
    await failed.close(new Error('rolled back'));
    await mailSent;
    expect(events).toEqual(['closing', 'mail after commit, 1 row(s) visible']);
  });

  it('logs and signals a deferred fn that fails, without failing the commit', async () => {
    const ctx = root.child();
    await ctx.getResource(SqlSession);
    afterCommit(ctx, () => {
      throw new Error('the mailer is down');
    });
    const errors = db.errors.waitFor(undefined, { timeout: 5_000 });
    await ctx.close();
    expect(await errors).toMatchObject({ source: 'after-commit' });
    expect(logger.lines.some((l) => l.level === 'error' && l.message.includes('the mailer is down'))).toBe(true);
  });

  it('lets a child context join its parent\'s transaction by default, and roll it back when the child fails', async () => {
    const parent = root.child();
    const outer = await parent.getResource(SqlSession);
    await outer.sql`INSERT INTO notes (id, body) VALUES (${1}, ${'parent'})`;
    const joined = parent.child();
    const inner = await joined.getResource(SqlSession);
    expect(inner).not.toBe(outer);
    expect(await inner.sql`SELECT body FROM notes`).toEqual([{ body: 'parent' }]);
    await inner.sql`INSERT INTO notes (id, body) VALUES (${2}, ${'child'})`;
    await joined.close();
    expect(await outer.sql`SELECT count(*) AS n FROM notes`).toEqual([{ n: outer.dialect === 'postgres' ? '2' : 2 }]);
    const child = parent.child();
    await (await child.getResource(SqlSession)).sql`INSERT INTO notes (id, body) VALUES (${3}, ${'failing child'})`;
    await child.close(new Error('the child failed'));
    expect(await closeFailure(parent)).toBeInstanceOf(SqlCommitError);
    expect(await count(db)).toBe(0);
  });

  it('gives a child with propagation nested a savepoint that rolls back alone', async () => {
    const parent = root.child();
    const outer = await parent.getResource(SqlSession);
    await outer.sql`INSERT INTO notes (id, body) VALUES (${1}, ${'parent'})`;
    const child = parent.child();
    const inner = (await child.getResource(SqlSession)).configure({ propagation: 'nested' });
    await inner.sql`INSERT INTO notes (id, body) VALUES (${2}, ${'child'})`;
    afterCommit(child, () => {
      throw new Error('never: the savepoint rolled back');
    });
    await child.close(new Error('the child failed'));
    const kept = parent.child();
    const second = (await kept.getResource(SqlSession)).configure({ propagation: 'nested' });
    await second.sql`INSERT INTO notes (id, body) VALUES (${3}, ${'kept'})`;
    const ran = jest.fn();
    afterCommit(kept, ran);
    await kept.close();
    expect(ran).not.toHaveBeenCalled(); // it waits for the outer commit
    await parent.close();
    expect(ran).toHaveBeenCalledTimes(1);
    expect((await db.query('SELECT id FROM notes ORDER BY id')).rows.map((r) => Number(r.id))).toEqual([1, 3]);
  });

  it('fails loudly when a joined child outlives its parent: no commit, and its later SQL refused', async () => {
    const parent = root.child();
    await (await parent.getResource(SqlSession)).sql`INSERT INTO notes (id, body) VALUES (${1}, ${'parent'})`;
    const child = parent.child();
    const inner = await child.getResource(SqlSession);
    await inner.query('SELECT 1');
    // The child is still open when its parent closes: it is aborted, so the parent may not commit.
    expect(await closeFailure(parent)).toBeInstanceOf(SqlCommitError);
    await expect(inner.sql`INSERT INTO notes (id, body) VALUES (${2}, ${'late'})`).rejects.toBeInstanceOf(SqlSessionError);
    expect(await count(db)).toBe(0);
  });

  it('runs autocommit statements on their own, and refuses writes in a read-only transaction', async () => {
    const auto = root.child();
    const session = (await auto.getResource(SqlSession)).configure({ autocommit: true });
    await session.sql`INSERT INTO notes (id, body) VALUES (${1}, ${'one'})`;
    expect(session.inTransaction).toBe(false);
    expect(await count(db)).toBe(1);
    expect(afterCommit(auto, () => undefined)).toBe(false); // no transaction: runs at once
    await auto.close();
    const reader = root.child();
    const readOnly = (await reader.getResource(SqlSession)).configure({ readOnly: true });
    expect(await readOnly.sql`SELECT body FROM notes`).toEqual([{ body: 'one' }]);
    await expect(readOnly.sql`INSERT INTO notes (id, body) VALUES (${2}, ${'two'})`).rejects.toThrow(/read.only|readonly/i);
    await reader.close(new Error('done'));
    expect(await count(db)).toBe(1);
  });

  it('streams a big result in batches inside the transaction, and shares it with Kysely', async () => {
    const ctx = root.child();
    const session = await ctx.getResource(SqlSession);
    for (let i = 1; i <= 250; i++) await session.sql`INSERT INTO notes (id, body) VALUES (${i}, ${`note ${i}`})`;
    let seen = 0;
    for await (const row of session.stream<{ id: number }>('SELECT id FROM notes ORDER BY id', [], { batchSize: 64 })) {
      seen++;
      expect(Number(row.id)).toBe(seen);
    }
    expect(seen).toBe(250);
    interface Tables { notes: { id: number; body: string } }
    const k = session.kysely<Tables>();
    await k.insertInto('notes').values({ id: 251, body: 'from kysely' }).execute();
    const [row] = await session.sql<{ body: string }>`SELECT body FROM notes WHERE id = ${251}`;
    expect(row).toEqual({ body: 'from kysely' });
    await expect(k.transaction().execute(async (tx) => {
      await tx.insertInto('notes').values({ id: 252, body: 'rolled back' }).execute();
      throw new Error('inner');
    })).rejects.toThrow('inner');
    await ctx.close(new Error('roll everything back'));
    expect(await count(db)).toBe(0);
  });

  it('warns when a context holds a connection much longer than its SQL took', async () => {
    const quick = await startSql({ url: dbUrl, holdWarning: 50 }, logger);
    const ctx = quick.app.context.child();
    const session = await ctx.getResource(SqlSession);
    await session.query('SELECT 1');
    const warned = quick.db.slowHolds.waitFor(undefined, { timeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    await ctx.close();
    expect((await warned).heldMs).toBeGreaterThan(50);
    expect(quick.db.stats().holdWarnings).toBe(1);
  });
});

it('refuses propagation new and a statement that would wait for itself on SQLite (one connection), and gives a second connection on PostgreSQL', async () => {
  const sqlite = await startSql({ url: 'sqlite::memory:' });
  const parent = sqlite.app.context.child();
  await (await parent.getResource(SqlSession)).query('SELECT 1');
  const child = parent.child();
  const inner = (await child.getResource(SqlSession)).configure({ propagation: 'new' });
  await expect(inner.query('SELECT 1')).rejects.toBeInstanceOf(SqlSessionError);
  // Outside the session, in the same context, a statement would wait forever for the one connection.
  await expect(child.run(() => sqlite.db.query('SELECT 1'))).rejects.toThrow(/would wait forever/);
  await child.close();
  await parent.close();
  expect((await sqlite.db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);

  const { db, app } = await startSql({ url: pg().databaseUrl });
  await db.query('CREATE TABLE audit (line TEXT)');
  const request = app.context.child();
  await (await request.getResource(SqlSession)).sql`INSERT INTO audit VALUES (${'request'})`;
  const audit = request.child();
  await (await audit.getResource(SqlSession)).configure({ propagation: 'new' }).sql`INSERT INTO audit VALUES (${'audit'})`;
  await audit.close();
  expect(db.stats().sessions).toBe(1);
  await request.close(new Error('the request failed'));
  expect((await db.query('SELECT line FROM audit')).rows).toEqual([{ line: 'audit' }]);
});

