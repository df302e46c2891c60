import { bootstrap, ComponentStartError } from 'asphalt-ts';
import { HealthComponent, HealthRegistry } from 'asphalt-ts/health';
import { SqlComponent, SqlConnectionError, SqlDatabase, SqlSession } from 'asphalt-ts/sql';
import { Component } from 'asphalt-ts';
import { freePort } from '../bridge/nats-server';
import { recordingLogger, startSql, stopAll } from './fixtures';
import { usePostgres } from './postgres-server';

const pg = usePostgres('faults');
afterEach(stopAll);

async function startFailure(url: string): Promise<SqlConnectionError> {
  try {
    const app = await bootstrap(SqlComponent, { url, startTimeout: 5_000 }, { logger: recordingLogger() });
    await app.stop();
  } catch (error) {
    expect(error).toBeInstanceOf(ComponentStartError);
    const cause = (error as ComponentStartError).cause;
    expect(cause).toBeInstanceOf(SqlConnectionError);
    return cause as SqlConnectionError;
  }
  throw new Error(`the start against ${url} did not fail`);
}

describe('starting against PostgreSQL', () => {
  it('fails within the start timeout, with a clear message, when nothing listens on the port', async () => {
    const port = await freePort();
    const error = await startFailure(`postgres://postgres:secret@127.0.0.1:${port}/app`);
    expect(error.reason).toBe('refused');
    expect(error.message).toContain(`127.0.0.1:${port} was refused: is PostgreSQL running`);
    expect(error.message).not.toContain('secret');
  });

  it('says when the password is wrong, and when the database does not exist', async () => {
    const auth = await startFailure(pg().databaseUrl.replace(':asphalt@', ':wrong@'));
    expect(auth.reason).toBe('auth');
    expect(auth.message).toContain("authentication failed for user 'postgres'");
    const unknown = await startFailure(pg().url('no_such_db'));
    expect(unknown.reason).toBe('unknown-database');
    expect(unknown.message).toContain("the database 'no_such_db' does not exist: create it (createdb no_such_db)");
  });
});

describe('connection failures while running', () => {
  it('logs and signals an idle connection that the server terminated, and never crashes', async () => {
    const logger = recordingLogger();
    const { db } = await startSql({ url: pg().databaseUrl, applicationName: 'idle_victim' }, logger);
    await db.query('SELECT 1'); // leaves one idle connection in the pool
    const failed = db.errors.waitFor((e) => e.source === 'idle-client', { timeout: 10_000 });
    await pg().psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'idle_victim'", 'faults');
    expect(await failed).toMatchObject({ source: 'idle-client' });
    expect(db.stats().lastError).toMatch(/^idle-client: /);
    expect(logger.lines.some((l) => l.level === 'warn' && l.message.includes('an idle connection failed'))).toBe(true);
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('rolls back and drops a connection terminated while a session held it', async () => {
    const { db, app } = await startSql({ url: pg().databaseUrl, applicationName: 'busy_victim' });
    const ctx = app.context.child();
    const session = await ctx.getResource(SqlSession);
    await session.query('SELECT 1');
    const failed = db.errors.waitFor((e) => e.source === 'client', { timeout: 10_000 });
    await pg().psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'busy_victim' AND state = 'idle in transaction'", 'faults');
    await failed;
    const error = await session.query('SELECT 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    await ctx.close(error);
    expect(db.stats().sessions).toBe(0);
    const next = app.context.child();
    expect(await (await next.getResource(SqlSession)).sql`SELECT 2 AS two`).toEqual([{ two: 2 }]);
    await next.close();
  });
});

it('contributes a health check with the pool figures (waits included)', async () => {
  class App extends Component {
    constructor() {
      super();
      this.addComponent('health', HealthComponent);
      this.addComponent('sql/main', SqlComponent, { url: pg().databaseUrl, poolSize: 3 });
    }
  }
  const app = await bootstrap(App, {}, { logger: recordingLogger() });
  try {
    const report = await (await app.context.getResource(HealthRegistry)).readiness();
    expect(report.details['sql:main']).toMatchObject({ status: 'up', dialect: 'postgres', waiting: 0, sessions: 0 });
  } finally {
    await app.stop();
  }
});

it('publishes several databases by alias, each with its own pool size', async () => {
  const replicaUrl = await pg().createDatabase('faults_replica');
  class App extends Component {
    constructor() {
      super();
      this.addComponent('db', SqlComponent, { url: pg().databaseUrl, poolSize: 4 });
      this.addComponent('sql/replica', SqlComponent, { url: replicaUrl, poolSize: 2 });
    }
  }
  const app = await bootstrap(App, {}, { logger: recordingLogger() });
  try {
    const primary = await app.context.getResource(SqlDatabase);
    const replica = await app.context.getResource(SqlDatabase, 'replica');
    expect([primary.name, replica.name]).toEqual(['default', 'replica']);
    const contexts = Array.from({ length: 5 }, () => app.context.child());
    const sessions = await Promise.all(contexts.map((ctx) => ctx.getResource(SqlSession, 'replica')));
    const running = sessions.map((session) => session.sql`SELECT current_database() AS db`);
    while (replica.stats().sessions < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(replica.stats()).toMatchObject({ total: 2, sessions: 2, waiting: 3 });
    await Promise.all(contexts.slice(0, 2).map((ctx) => ctx.close()));
    await Promise.all(contexts.slice(2).map(async (ctx, i) => {
      await running[i + 2];
      await ctx.close();
    }));
    expect(await running[0]).toEqual([{ db: 'faults_replica' }]);
    const main = app.context.child();
    expect(await (await main.getResource(SqlSession)).sql`SELECT current_database() AS db`).toEqual([{ db: 'faults' }]);
    await main.close();
    expect(replica.stats()).toMatchObject({ sessions: 0, waiting: 0 });
  } finally {
    await app.stop();
  }
});
