import { Component } from '../../lib';
import { Mailer } from '../../lib/mailer';
import { TestSmtpServer } from '../../lib/mailer/testing';
import { SqlComponent, SqlSession } from '../../lib/sql';
import { startTestApp } from '../../lib/testing';
import { MailerComponent } from '../../lib/mailer';

/** SQLite through `type: sql` and the mailer, as an application would have them. */
function appWith(smtp: TestSmtpServer): new () => Component {
  return class App extends Component {
    constructor() {
      super();
      this.addComponent('db', SqlComponent, { url: 'sqlite::memory:', poolSize: 1 });
      this.addComponent('mailer', MailerComponent, { ...smtp.mailerConfig, defaults: { from: 'app@example.com' } });
    }
  };
}

describe('mail sent inside a real SQL session (SQLite)', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
  });
  afterAll(() => smtp.stop());
  beforeEach(() => smtp.clear());

  async function start(): Promise<{ mailer: Mailer; unit: () => Promise<{ ctx: import('../../lib').Context; session: SqlSession }> }> {
    const app = await startTestApp(appWith(smtp));
    const setup = app.context.child();
    const ddl = (await setup.getResource(SqlSession)).configure({ autocommit: true });
    await ddl.sql`PRAGMA foreign_keys = ON`;
    await ddl.sql`CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL)`;
    await ddl.sql`CREATE TABLE tags (note INTEGER REFERENCES notes (id) DEFERRABLE INITIALLY DEFERRED, tag TEXT)`;
    await setup.close();
    return {
      mailer: await app.context.getResource(Mailer),
      unit: async () => {
        const ctx = app.context.child();
        return { ctx, session: await ctx.getResource(SqlSession) };
      },
    };
  }

  it('leaves only after the transaction commits', async () => {
    const { mailer, unit } = await start();
    const { ctx, session } = await unit();
    await session.sql`INSERT INTO notes (title) VALUES (${'milk'})`;
    expect(await mailer.send({ to: 'a@example.com', subject: 'note created', text: 'milk' }, { context: ctx })).toEqual({ deferred: true });
    await mailer.send({ to: 'a@example.com', subject: 'before commit', text: 'x' }, { context: ctx, immediate: true });
    await smtp.waitFor(1);
    expect(smtp.messages.map((m) => m.subject)).toEqual(['before commit']);
    await ctx.close();
    await mailer.drain();
    expect(smtp.messages.map((m) => m.subject)).toEqual(['before commit', 'note created']);
    const check = await unit();
    expect(await check.session.sql`SELECT title FROM notes`).toEqual([{ title: 'milk' }]);
    await check.ctx.close();
  });

  it('is dropped when the transaction rolls back', async () => {
    const { mailer, unit } = await start();
    const { ctx, session } = await unit();
    await session.sql`INSERT INTO notes (title) VALUES (${'eggs'})`;
    await mailer.send({ to: 'a@example.com', subject: 'rolled back', text: 'eggs' }, { context: ctx });
    await ctx.close(new Error('the request failed'));
    await mailer.send({ to: 'a@example.com', subject: 'marker', text: 'x' });
    await smtp.waitFor(1);
    await mailer.drain();
    expect(smtp.messages.map((m) => m.subject)).toEqual(['marker']);
    const check = await unit();
    expect(await check.session.sql`SELECT title FROM notes`).toEqual([]);
    await check.ctx.close();
  });

  it('is dropped when the commit fails', async () => {
    const { mailer, unit } = await start();
    const { ctx, session } = await unit();
    await mailer.send({ to: 'a@example.com', subject: 'never committed', text: 'x' }, { context: ctx });
    await session.sql`INSERT INTO tags (note, tag) VALUES (${99}, ${'orphan'})`; // checked only at COMMIT
    await expect(ctx.close()).rejects.toMatchObject({ errors: [expect.objectContaining({ code: 'ASPHALT_SQL_COMMIT' })] });
    await mailer.send({ to: 'a@example.com', subject: 'marker', text: 'x' });
    await smtp.waitFor(1);
    await mailer.drain();
    expect(smtp.messages.map((m) => m.subject)).toEqual(['marker']);
  });
});
