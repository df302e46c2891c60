import { join } from 'node:path';
import { afterCommit, Component, Context } from 'asphalt-ts';
import { startTestApp } from 'asphalt-ts/testing';
import { SqlComponent, SqlSession } from 'asphalt-ts/sql';
import { useSqlTestDatabase } from 'asphalt-ts/testing/sql';
import { usePostgres } from './postgres-server';

const pg = usePostgres('recipe');
const migrations = (dialect: string): string => join(__dirname, '..', '..', 'samples', 'notes', 'migrations', dialect);

class App extends Component {
  constructor() {
    super();
    this.addComponent('db', SqlComponent, { url: 'postgres://never.used.example/app' });
  }
}

describe.each([
  ['SQLite', 'sqlite', () => 'sqlite::memory:'],
  ['PostgreSQL', 'postgres', () => pg().databaseUrl],
])('the testing recipe on %s', (_name, dialect, url) => {
  const db = useSqlTestDatabase({ url, migrations: migrations(dialect) });

  async function inRequest<T>(app: { context: Context }, fn: (session: SqlSession, ctx: Context) => Promise<T>): Promise<T> {
    const ctx = app.context.child();
    try {
      return await fn(await ctx.getResource(SqlSession), ctx);
    } finally {
      await ctx.close();
    }
  }

  it('gives the app a database where its commits are visible within the test', async () => {
    const app = await startTestApp(App, {}, { overrides: [db.override('root.db')] });
    const mailed: string[] = [];
    await inRequest(app, async (session, ctx) => {
      await session.sql`INSERT INTO notes (title) VALUES (${'first'})`;
      afterCommit(ctx, () => mailed.push('after commit'));
    });
    expect(mailed).toEqual(['after commit']);
    expect((await db.query('SELECT title FROM notes')).rows).toEqual([{ title: 'first' }]);
    await inRequest(app, async (session) => {
      await session.sql`INSERT INTO notes (title) VALUES (${'rolled back'})`;
      throw new Error('stop');
    }).catch(() => undefined);
  });

  it('starts every test from the migrated schema, without the rows of the tests before', async () => {
    expect((await db.query('SELECT count(*) AS n FROM notes')).rows.map((r) => Number(r.n))).toEqual([0]);
    const app = await startTestApp(App, {}, { overrides: [db.override('root.db')] });
    const rows = await inRequest(app, (session) => session.sql`SELECT name FROM asphalt_migrations`);
    expect(rows).toEqual([{ name: '001_notes.sql' }]);
  });
});
